import type { PieceRepository } from '../approvals/ports.js';
import { AWAITING_APPROVAL, isAwaitingApproval, type Piece, type Stage } from '../approvals/types.js';
import { addDays, localToEpoch, type LocalDate } from '../shared/time.js';
import type { CalendarService } from './service.js';
import type { Occurrence } from './types.js';

/** What the digest lists as waiting: every stage on the way to approval except an unsent draft. */
const WAITING: readonly Stage[] = AWAITING_APPROVAL.filter((s) => s !== 'draft');

export interface DigestData {
  date: LocalDate;
  now: number;
  today: { date: LocalDate; occurrences: Occurrence[]; pieces: Piece[] };
  /** oldest first, at most `waitingShown` */
  waiting: Piece[];
  waitingTotal: number;
  dueSoon: Piece[];
  publishedYesterday: Piece[];
}

/** What the morning digest says, read through the ports. */
export function buildDigest(calendar: CalendarService, pieces: PieceRepository, tz: string, date: LocalDate, now: number, waitingShown: number): DigestData {
  const dayStart = (d: LocalDate) => localToEpoch(d, null, tz)!;
  const todayPieces = pieces.plannedBetween(dayStart(date), dayStart(addDays(date, 1)));
  const { pieces: waiting, total } = pieces.inStages(WAITING, waitingShown);
  const dueSoon = pieces.plannedBetween(dayStart(date), dayStart(addDays(date, 2))).filter((p) => isAwaitingApproval(p.stage));
  return {
    date,
    now,
    today: { date, occurrences: calendar.occurrences(date, date), pieces: todayPieces },
    waiting,
    waitingTotal: total,
    dueSoon,
    publishedYesterday: pieces.publishedBetween(dayStart(addDays(date, -1)), dayStart(date)),
  };
}
