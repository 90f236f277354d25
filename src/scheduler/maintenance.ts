import type { JobKind } from '../domain/shared/jobs.js';
import { addDays, localDateOf, localToEpoch } from '../domain/shared/time.js';

export const PRUNE_KIND = 'maintenance.prune';
const DAY_MS = 86_400_000;
/** Rows deleted per firing: a big backlog is pruned in small transactions, never one long one. */
const PRUNE_BATCH = 2000;

export interface Prunable {
  /** Deletes up to `limit` finished rows older than `before`; returns how many. */
  prune(before: number, limit: number): number;
}

/**
 * Retention: sent outbox rows and finished job rows older than RETENTION_DAYS are deleted every
 * night. The audit tables (piece_events, role_events) are never pruned.
 */
export function pruneKind(d: { tables: Prunable[]; retentionDays: number; tz: string; at?: string }): JobKind {
  const at = d.at ?? '03:30';
  return {
    kind: PRUNE_KIND,
    horizonMs: 2 * DAY_MS,
    plannedWith: `${d.tz}|${at}`,
    graceMs: null,
    plan(from, to) {
      const rows = [];
      for (let date = localDateOf(from, d.tz); date <= localDateOf(to, d.tz); date = addDays(date, 1)) {
        const dueAt = localToEpoch(date, at, d.tz)!;
        if (dueAt > from && dueAt <= to) rows.push({ kind: PRUNE_KIND, key: `prune:${date}`, dueAt });
      }
      return { rows, next: null };
    },
    fire(_row, { now }) {
      const before = now - d.retentionDays * DAY_MS;
      let full = false;
      for (const t of d.tables) if (t.prune(before, PRUNE_BATCH) === PRUNE_BATCH) full = true;
      // More to delete: come back in a second rather than hold the database now.
      return full ? { rescheduleAt: now + 1000 } : { effects: [] };
    },
  };
}
