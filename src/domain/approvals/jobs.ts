import type { RoleDirectory, PieceRepository } from './ports.js';
import type { Effect } from '../shared/effects.js';
import type { JobKind, PlannedJob } from '../shared/jobs.js';
import { addDays, localDateOf, localToEpoch } from '../shared/time.js';
import { REMINDER_HOUR } from '../calendar/types.js';
import { isAwaitingApproval, type Piece } from './types.js';

export const PIECE_ALERT_KIND = 'approvals.piece_alert';
const DAY_MS = 86_400_000;

/**
 * «Se publica mañana y sigue en revisión»: a piece planned for tomorrow that is not approved
 * alerts its author and the approvers at the reminder hour today (or at once, if written later).
 * Pure: the row for one piece, or null when it needs none.
 */
export function pieceAlertJob(p: Piece, now: number, tz: string): PlannedJob | null {
  if (p.plannedAt === null || !isAwaitingApproval(p.stage)) return null;
  const publishes = localDateOf(p.plannedAt, tz);
  const alertDay = addDays(publishes, -1);
  const dueAt = Math.max(localToEpoch(alertDay, REMINDER_HOUR, tz)!, now);
  // Only on the day before: a piece written on its own day gets no «mañana».
  if (localDateOf(dueAt, tz) !== alertDay) return null;
  return { kind: PIECE_ALERT_KIND, key: `piece_alert:${p.id}:${publishes}`, subject: `piece:${p.id}`, payload: { pieceId: p.id, occurrenceDate: publishes }, dueAt };
}

export function pieceAlertKind(d: { pieces: PieceRepository; roles: RoleDirectory; tz: string; tzData: string; graceMs: number }): JobKind {
  return {
    kind: PIECE_ALERT_KIND,
    horizonMs: 2 * DAY_MS,
    plannedWith: `${d.tz}|${d.tzData}`,
    graceMs: d.graceMs,
    plan(from, to) {
      const rows: PlannedJob[] = [];
      // Alerts due in (from, to] are for pieces planned the day after.
      const first = addDays(localDateOf(from, d.tz), 1);
      const last = addDays(localDateOf(to, d.tz), 2);
      for (const p of d.pieces.plannedBetween(localToEpoch(first, null, d.tz)!, localToEpoch(last, null, d.tz)!)) {
        const row = pieceAlertJob(p, from, d.tz);
        if (row && row.dueAt > from && row.dueAt <= to) rows.push(row);
      }
      return { rows, next: null };
    },
    fire(row, { now, late }) {
      const pieceId = Number(row.payload.pieceId);
      const p = d.pieces.get(pieceId);
      if (!p || !isAwaitingApproval(p.stage) || p.plannedAt === null) return { cancel: 'approved or withdrawn' };
      if (localDateOf(p.plannedAt, d.tz) !== row.payload.occurrenceDate || p.plannedAt <= now) return { cancel: 'publication date changed' };
      const to = new Set([p.authorId, ...d.roles.usersWith('approver')]);
      const effects: Effect[] = [...to].map((person) => ({ type: 'piece_alert', to: { person }, pieceId: p.id, late }));
      return { effects };
    },
  };
}
