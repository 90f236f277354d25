import type { Effect } from '../domain/approvals/effects.js';
import type { OutboxPort } from '../domain/approvals/ports.js';
import type { DB } from './db.js';

export interface OutboxRow {
  id: number;
  effect: Effect;
  pieceId: number | null;
  attempts: number;
  createdAt: number;
}

export interface FailedRow extends OutboxRow {
  lastError: string | null;
  doneAt: number | null;
}

interface Row {
  id: number;
  payload: string;
  piece_id: number | null;
  attempts: number;
  created_at: number;
  last_error: string | null;
  done_at: number | null;
}

const toRow = (r: Row): FailedRow => ({
  id: r.id,
  effect: JSON.parse(r.payload) as Effect,
  pieceId: r.piece_id,
  attempts: r.attempts,
  createdAt: r.created_at,
  lastError: r.last_error,
  doneAt: r.done_at,
});

export class SqliteOutbox implements OutboxPort {
  private readonly q;

  constructor(private readonly db: DB) {
    this.q = {
      enqueue: db.prepare(
        `INSERT INTO outbox (kind, payload, piece_id, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)`,
      ),
      due: db.prepare<[number, number, number], Row>(
        `SELECT * FROM outbox
          WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until <= ?)
          ORDER BY id LIMIT ?`,
      ),
      claim: db.prepare(
        `UPDATE outbox SET status = 'sending', lease_until = ?, attempts = attempts + 1
          WHERE id = ? AND (status = 'pending' OR (status = 'sending' AND lease_until <= ?))`,
      ),
      sent: db.prepare(`UPDATE outbox SET status = 'sent', done_at = ?, lease_until = NULL WHERE id = ?`),
      retry: db.prepare(
        `UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, lease_until = NULL WHERE id = ?`,
      ),
      failed: db.prepare(
        `UPDATE outbox SET status = 'failed', last_error = ?, done_at = ?, lease_until = NULL WHERE id = ?`,
      ),
      nextDue: db.prepare<[], { t: number | null }>(`SELECT min(next_attempt_at) AS t FROM outbox WHERE status = 'pending'`),
      counts: db.prepare<[], { status: string; n: number }>(`SELECT status, count(*) AS n FROM outbox GROUP BY status`),
      failures: db.prepare<[number], Row>(`SELECT * FROM outbox WHERE status = 'failed' ORDER BY id DESC LIMIT ?`),
    };
  }

  enqueue(effect: Effect, now: number): void {
    const pieceId = 'pieceId' in effect ? effect.pieceId : null;
    this.q.enqueue.run(effect.type, JSON.stringify(effect), pieceId, now, now);
  }

  /**
   * Claims due rows for delivery, oldest first. A claimed row holds a lease: if the bot dies while
   * sending, the row becomes due again when the lease runs out.
   */
  claimDue(now: number, limit: number, leaseMs: number): OutboxRow[] {
    return this.db
      .transaction(() => {
        const rows = this.q.due.all(now, now, limit);
        return rows.filter((r) => this.q.claim.run(now + leaseMs, r.id, now).changes === 1).map(toRow);
      })
      .immediate()
      .map((r) => ({ ...r, attempts: r.attempts + 1 }));
  }

  markSent(id: number, now: number): void {
    this.q.sent.run(now, id);
  }

  retryAt(id: number, at: number, error: string): void {
    this.q.retry.run(at, error, id);
  }

  markFailed(id: number, error: string, now: number): void {
    this.q.failed.run(error, now, id);
  }

  nextDueAt(): number | null {
    return this.q.nextDue.get()?.t ?? null;
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.q.counts.all().map((r) => [r.status, r.n]));
  }

  failures(limit = 20): FailedRow[] {
    return this.q.failures.all(limit).map(toRow);
  }
}
