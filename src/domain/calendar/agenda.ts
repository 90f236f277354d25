import type { PieceRepository } from '../approvals/ports.js';
import { addDays, daysBetween, localDateOf, localToEpoch, type LocalDate } from '../shared/time.js';
import type { CalendarService } from './service.js';
import type { Occurrence } from './types.js';
import type { Piece } from '../approvals/types.js';

export interface AgendaDay {
  date: LocalDate;
  occurrences: Occurrence[];
  pieces: Piece[];
}

/** Calendar entries and planned pieces, day by day, for [from, to]. */
export function agenda(calendar: CalendarService, pieces: PieceRepository, tz: string, from: LocalDate, to: LocalDate): AgendaDay[] {
  const occ = calendar.occurrences(from, to);
  const planned = pieces.plannedBetween(localToEpoch(from, null, tz)!, localToEpoch(addDays(to, 1), null, tz)!);
  const days: AgendaDay[] = [];
  for (let i = 0; i <= daysBetween(from, to); i++) {
    const date = addDays(from, i);
    days.push({
      date,
      occurrences: occ.filter((o) => o.date === date),
      pieces: planned.filter((p) => localDateOf(p.plannedAt!, tz) === date),
    });
  }
  return days;
}
