import type { Address } from '../domain/people/types.js';
import type { Effect } from '../domain/shared/effects.js';
import type { Fmt } from './format.js';
import { formatDateTime } from './format.js';
import type { Rich } from './model.js';

/** Titles of what a message was about, looked up when the failure is shown. */
export interface Titles {
  piece(id: number): string | null;
  entry(id: number): string | null;
  /** an inquiry's folio */
  inquiry?(id: number): string | null;
}

/** A message that could not be delivered, as the outbox keeps it. */
export interface FailedMessage {
  id: number;
  effect: Effect;
  lastError: string | null;
  doneAt: number | null;
}

/** To whom: a person (each surface mentions them) or a named place. */
export function addressee(f: Fmt, to: Address): Rich {
  return 'person' in to ? [{ user: to.person }] : [f.m.admin.place[to.place]];
}

/** What the message was («un recordatorio del calendario») and what it was about («la fecha #45 «Informe»»). */
export function failureParts(f: Fmt, e: Effect, titles: Titles): { what: string; about: string; to: Rich } {
  const a = f.m.admin;
  // Cards, their updates and their thread notes live in the review channel; an inquiry's card in the inquiry channel.
  const to = addressee(f, 'to' in e ? e.to : { place: 'inquiryId' in e ? 'inquiries' : 'review' });
  const about =
    'inquiryId' in e
      ? a.aboutInquiry(titles.inquiry?.(e.inquiryId) ?? `#${e.inquiryId}`)
      : 'entryId' in e
      ? a.aboutEntry(e.entryId, titles.entry(e.entryId) ?? '')
      : 'pieceId' in e && e.pieceId !== null
        ? a.aboutPiece(e.pieceId, titles.piece(e.pieceId) ?? '')
        : e.type === 'digest'
          ? a.aboutDigest(e.date)
          : '—';
  return { what: a.effectName[e.type], about, to };
}

/** The admins' alert: what could not be delivered, about what, for whom, why, and where to see the list. */
export function failureAlert(f: Fmt, m: FailedMessage, titles: Titles): Rich {
  const p = failureParts(f, m.effect, titles);
  return f.m.admin.deliveryFailed(p.what, p.about, p.to, f.m.admin.explain(m.lastError ?? ''));
}

/** One line of «pieza fallos». */
export function failureLine(f: Fmt, m: FailedMessage, titles: Titles): Rich {
  const p = failureParts(f, m.effect, titles);
  return f.m.reply.failureLine(m.id, p.what, p.about, p.to, f.m.admin.explain(m.lastError ?? ''), m.doneAt ? formatDateTime(f, m.doneAt) : '');
}
