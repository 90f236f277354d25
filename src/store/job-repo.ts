import type { JobRow, PlannedJob } from '../domain/shared/jobs.js';
import { inTransaction, type DB } from './db.js';

interface Row {
  id: number;
  kind: string;
  key: string;
  subject: string | null;
  payload: string;
  due_at: number;
}

const toJob = (r: Row): JobRow => ({
  id: r.id,
  kind: r.kind,
  key: r.key,
  subject: r.subject,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  dueAt: r.due_at,
});

export type JobEnd = 'done' | 'skipped' | 'cancelled';

/** The generic table of due rows. Planning is idempotent (unique key); a row ends once. */
export class SqliteJobRepository {
  private readonly q;

  constructor(private readonly db: DB) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO jobs (kind, key, subject, payload, due_at, planned_with, created_at)
         VALUES (@kind, @key, @subject, @payload, @dueAt, @plannedWith, @now) ON CONFLICT (key) DO NOTHING`,
      ),
      due: db.prepare<[number, number], Row>(
        `SELECT id, kind, key, subject, payload, due_at FROM jobs WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?`,
      ),
      end: db.prepare(`UPDATE jobs SET state = ?, done_at = ?, late = ?, note = ? WHERE id = ? AND state = 'pending'`),
      reschedule: db.prepare(`UPDATE jobs SET due_at = ? WHERE id = ? AND state = 'pending'`),
      cancelSubject: db.prepare(`UPDATE jobs SET state = 'cancelled', done_at = ?, note = ? WHERE subject = ? AND state = 'pending'`),
      dropStale: db.prepare(`DELETE FROM jobs WHERE kind = ? AND state = 'pending' AND planned_with != ?`),
      horizon: db.prepare<[string], { planned_until: number; planned_with: string }>(`SELECT planned_until, planned_with FROM job_horizons WHERE kind = ?`),
      setHorizon: db.prepare(
        `INSERT INTO job_horizons (kind, planned_until, planned_with) VALUES (?, ?, ?)
         ON CONFLICT (kind) DO UPDATE SET planned_until = excluded.planned_until, planned_with = excluded.planned_with`,
      ),
      prune: db.prepare(`DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE done_at IS NOT NULL AND done_at < ? LIMIT ?)`),
    };
  }

  transaction<T>(fn: () => T): T {
    return inTransaction(this.db, fn);
  }

  /** Returns how many rows were new. */
  insert(rows: readonly PlannedJob[], plannedWith: (kind: string) => string, now: number): number {
    let n = 0;
    for (const r of rows) {
      n += this.q.insert.run({ kind: r.kind, key: r.key, subject: r.subject ?? null, payload: JSON.stringify(r.payload ?? {}), dueAt: r.dueAt, plannedWith: plannedWith(r.kind), now }).changes;
    }
    return n;
  }

  due(now: number, limit: number): JobRow[] {
    return this.q.due.all(now, limit).map(toJob);
  }

  /** Ends a pending row; false when it had already ended (it fires once). */
  end(id: number, state: JobEnd, now: number, late: boolean, note: string | null = null): boolean {
    return this.q.end.run(state, now, late ? 1 : 0, note, id).changes === 1;
  }

  reschedule(id: number, dueAt: number): void {
    this.q.reschedule.run(dueAt, id);
  }

  cancelSubject(subject: string, now: number, note: string): void {
    this.q.cancelSubject.run(now, note, subject);
  }

  /** Drops pending rows of a kind planned with other settings; returns how many. */
  dropPlannedWithOther(kind: string, plannedWith: string): number {
    return this.q.dropStale.run(kind, plannedWith).changes;
  }

  horizon(kind: string): { plannedUntil: number; plannedWith: string } | null {
    const r = this.q.horizon.get(kind);
    return r ? { plannedUntil: r.planned_until, plannedWith: r.planned_with } : null;
  }

  setHorizon(kind: string, plannedUntil: number, plannedWith: string): void {
    this.q.setHorizon.run(kind, plannedUntil, plannedWith);
  }

  /** Deletes up to `limit` rows that ended before `before`; returns how many. */
  prune(before: number, limit: number): number {
    return this.q.prune.run(before, limit).changes;
  }
}
