import type { CalendarEntry } from '../../domain/calendar/types.js';
import type { Effect } from '../../domain/shared/effects.js';
import type { Address } from '../../domain/people/types.js';
import type { Fmt } from '../../views/format.js';

/**
 * What an undeliverable message was about and for whom, for the admins' alert and /pieza fallos:
 * «un recordatorio del calendario para U123» about «la fecha #45 «Conferencia»».
 */
export function describeDelivery(fmt: Fmt, entries: { get(id: number): CalendarEntry | null }, e: Effect, label: (to: Address) => string): { what: string; about: string } {
  const a = fmt.m.admin;
  const to = 'to' in e ? a.to(label(e.to)) : '';
  const what = `${a.effectName[e.type]}${to}`;
  if ('entryId' in e) return { what, about: a.aboutEntry(e.entryId, entries.get(e.entryId)?.title ?? '') };
  if ('pieceId' in e && e.pieceId !== null) return { what, about: a.aboutPiece(e.pieceId) };
  if (e.type === 'digest') return { what, about: a.aboutDigest(e.date) };
  return { what, about: '—' };
}
