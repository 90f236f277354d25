import type { PlannedReminder, ReminderPort } from '../domain/calendar/ports.js';
import type { DB } from './db.js';

export type { PlannedReminder };
type ReminderKind = PlannedReminder['kind'];

export interface ReminderRow extends Required<PlannedReminder> {
  id: number;
  status: 'pending' | 'sent' | 'skipped' | 'cancelled';
}

interface Row {
  id: number;
  key: string;
  kind: ReminderKind;
  entry_id: number | null;
  piece_id: number | null;
  occurrence_date: string | null;
  code: string | null;
  due_at: number;
  status: ReminderRow['status'];
}

const toRow = (r: Row): ReminderRow => ({
  id: r.id,
  key: r.key,
  kind: r.kind,
  entryId: r.entry_id,
  pieceId: r.piece_id,
  occurrenceDate: r.occurrence_date,
  code: r.code,
  dueAt: r.due_at,
  status: r.status,
});

/** Timed jobs as rows. Planning is idempotent (unique key); firing is claimed in a transaction. */
export class SqliteReminderRepository implements ReminderPort {
  private readonly q;

  constructor(private readonly db: DB) {
    this.q = {
      plan: db.prepare(
        `INSERT INTO reminders (key, kind, entry_id, piece_id, occurrence_date, code, due_at)
         VALUES (@key, @kind, @entryId, @pieceId, @occurrenceDate, @code, @dueAt) ON CONFLICT (key) DO NOTHING`,
      ),
      due: db.prepare<[number, number], Row>(`SELECT * FROM reminders WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?`),
      mark: db.prepare(`UPDATE reminders SET status = ?, done_at = ?, late = ?, note = ? WHERE id = ? AND status = 'pending'`),
      cancelEntry: db.prepare(`UPDATE reminders SET status = 'cancelled', done_at = ?, note = ? WHERE entry_id = ? AND status = 'pending'`),
      nextDue: db.prepare<[], { t: number | null }>(`SELECT min(due_at) AS t FROM reminders WHERE status = 'pending'`),
    };
  }

  /** Returns how many rows were new. */
  plan(rows: readonly PlannedReminder[]): number {
    let n = 0;
    for (const r of rows) {
      n += this.q.plan.run({ entryId: null, pieceId: null, occurrenceDate: null, code: null, ...r }).changes;
    }
    return n;
  }

  due(now: number, limit: number): ReminderRow[] {
    return this.q.due.all(now, limit).map(toRow);
  }

  /** Marks a pending row; false when someone else already did (it fires once). */
  mark(id: number, status: 'sent' | 'skipped' | 'cancelled', now: number, late: boolean, note: string | null = null): boolean {
    return this.q.mark.run(status, now, late ? 1 : 0, note, id).changes === 1;
  }

  cancelForEntry(entryId: number, now: number, note: string): void {
    this.q.cancelEntry.run(now, note, entryId);
  }

  nextDueAt(): number | null {
    return this.q.nextDue.get()?.t ?? null;
  }


  subscribe(userId: string, now: number): boolean {
    return this.db.prepare('INSERT INTO digest_subscriptions (user_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(userId, now).changes === 1;
  }

  unsubscribe(userId: string): boolean {
    return this.db.prepare('DELETE FROM digest_subscriptions WHERE user_id = ?').run(userId).changes === 1;
  }

  subscribers(): string[] {
    return this.db.prepare<[], { user_id: string }>('SELECT user_id FROM digest_subscriptions ORDER BY user_id').all().map((r) => r.user_id);
  }
}
