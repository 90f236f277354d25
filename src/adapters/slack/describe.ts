import type { CalendarEntry } from '../../domain/calendar/types.js';
import type { Effect } from '../../domain/shared/effects.js';
import type { Address } from '../../domain/people/types.js';
import type { Fmt } from '../../views/format.js';

/**
 * What an undeliverable message was about and for whom, for the admins' alert and /pieza fallos:
 * «un recordatorio del calendario para U123» about «la fecha #45 «Conferencia»».
 */
export function describeDelivery(fmt: Fmt, entries: { get(id: number): CalendarEntry | null }, e: Effect, label: (to: Address) => string): { what: string; about: string; to?: string } {
  const a = fmt.m.admin;
  const what = a.effectName[e.type];
  const to = 'to' in e ? label(e.to) : undefined;
  return { ...describeAbout(fmt, entries, e), what, ...(to ? { to } : {}) };
}

function describeAbout(fmt: Fmt, entries: { get(id: number): CalendarEntry | null }, e: Effect): { about: string } {
  const a = fmt.m.admin;
  if ('entryId' in e) return { about: a.aboutEntry(e.entryId, entries.get(e.entryId)?.title ?? '') };
  if ('pieceId' in e && e.pieceId !== null) return { about: a.aboutPiece(e.pieceId) };
  if (e.type === 'digest') return { about: a.aboutDigest(e.date) };
  return { about: '—' };
}
