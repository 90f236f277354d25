import type { Effect } from '../domain/approvals/effects.js';
import type { OutboxPort } from '../domain/approvals/ports.js';
import { inTransaction, type DB } from './db.js';

export interface OutboxRow {
  id: number;
  /** the delivery lane: one per surface (slack, teams, console) */
  lane: string;
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
  lane: string;
  payload: string;
  piece_id: number | null;
  attempts: number;
  created_at: number;
  last_error: string | null;
  done_at: number | null;
}

const toRow = (r: Row): FailedRow => ({
  id: r.id,
  lane: r.lane,
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
        `INSERT INTO outbox (lane, kind, payload, piece_id, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      // `exclude`: rows this worker already holds (queued behind a send about the same piece or person).
      due: db.prepare<[string, number, string, number, string, string, number], Row>(
        `SELECT * FROM (
           SELECT * FROM outbox WHERE lane = ? AND status = 'pending' AND next_attempt_at <= ?
           UNION ALL
           SELECT * FROM outbox WHERE lane = ? AND status = 'sending' AND lease_until <= ? AND id NOT IN (SELECT value FROM json_each(?)))
          WHERE id NOT IN (SELECT value FROM json_each(?))
          ORDER BY id LIMIT ?`,
      ),
      claim: db.prepare(
        `UPDATE outbox SET status = 'sending', lease_until = ?, attempts = attempts + 1
          WHERE id = ? AND (status = 'pending' OR (status = 'sending' AND lease_until <= ?))`,
      ),
      renew: db.prepare(`UPDATE outbox SET lease_until = ? WHERE id = ? AND status = 'sending'`),
      sent: db.prepare(`UPDATE outbox SET status = 'sent', done_at = ?, lease_until = NULL WHERE id = ?`),
      retry: db.prepare(
        `UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, lease_until = NULL WHERE id = ?`,
      ),
      // Waiting out a rate limit is not a failed attempt: give back the attempt the claim counted.
      defer: db.prepare(
        `UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, lease_until = NULL, attempts = max(0, attempts - 1) WHERE id = ?`,
      ),
      prune: db.prepare(`DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE done_at IS NOT NULL AND done_at < ? AND status = 'sent' LIMIT ?)`),
      failed: db.prepare(
        `UPDATE outbox SET status = 'failed', last_error = ?, done_at = ?, lease_until = NULL WHERE id = ?`,
      ),
      nextDue: db.prepare<[string], { t: number | null }>(`SELECT min(next_attempt_at) AS t FROM outbox WHERE lane = ? AND status = 'pending'`),
      // Only rows still open or failed: the index keeps this cheap however many were sent.
      counts: db.prepare<[], { lane: string; status: string; n: number }>(
        `SELECT lane, status, count(*) AS n FROM outbox WHERE status != 'sent' GROUP BY lane, status`,
      ),
      byId: db.prepare<[number], Row>(`SELECT * FROM outbox WHERE id = ?`),
      failures: db.prepare<[number], Row>(`SELECT * FROM outbox WHERE status != 'sent' AND status = 'failed' ORDER BY id DESC LIMIT ?`),
    };
  }

  enqueue(effect: Effect, now: number, lane = 'slack'): void {
    const pieceId = 'pieceId' in effect ? effect.pieceId : null;
    this.q.enqueue.run(lane, effect.type, JSON.stringify(effect), pieceId, now, now);
  }

  /** Whether a row of this kind about this piece still waits (or is being sent) in a lane. */
  hasOpen(kind: string, pieceId: number, lane: string): boolean {
    return Boolean(this.db.prepare(`SELECT 1 FROM outbox WHERE piece_id = ? AND kind = ? AND lane = ? AND status IN ('pending', 'sending') LIMIT 1`).get(pieceId, kind, lane));
  }

  /**
   * Rows waiting in a lane no surface delivers. A command-line tool's rows (lane `route`: it does not
   * know the surfaces) are written into the lanes that deliver them. A row left in the lane of a
   * surface that was turned off is moved only when it was for one person (a direct message goes to
   * one surface); a channel's copy is not — the other surfaces wrote their own copies when it was
   * decided, so moving it would say the same thing twice. Those are marked failed («surface_off»).
   */
  reroute(now: number, lanes: readonly string[], lanesOf: (effect: Effect) => readonly string[], limit = 200): number {
    if (!lanes.length) return 0;
    const marks = lanes.map(() => '?').join(', ');
    const rows = this.db
      .prepare<unknown[], { id: number; lane: string; payload: string }>(
        `SELECT id, lane, payload FROM outbox WHERE lane NOT IN (${marks}) AND (status = 'pending' OR (status = 'sending' AND lease_until <= ?)) ORDER BY id LIMIT ?`,
      )
      .all(...lanes, now, limit);
    if (!rows.length) return 0;
    inTransaction(this.db, () => {
      for (const r of rows) {
        const effect = JSON.parse(r.payload) as Effect & { to?: { person?: string } };
        if (r.lane === 'route' || effect.to?.person !== undefined) {
          for (const lane of lanesOf(effect)) this.enqueue(effect, now, lane);
          this.db.prepare('DELETE FROM outbox WHERE id = ?').run(r.id);
        } else {
          this.db.prepare(`UPDATE outbox SET status = 'failed', last_error = 'surface_off', done_at = ?, lease_until = NULL WHERE id = ?`).run(now, r.id);
        }
      }
    });
    return rows.length;
  }

  /**
   * Claims due rows for delivery, oldest first. A claimed row holds a lease: if the bot dies while
   * sending, the row becomes due again when the lease runs out.
   */
  claimDue(now: number, limit: number, leaseMs: number, lane = 'slack', exclude: readonly number[] = []): OutboxRow[] {
    const held = JSON.stringify(exclude);
    return this.db
      .transaction(() => {
        const rows = this.q.due.all(lane, now, lane, now, held, held, limit);
        return rows.filter((r) => this.q.claim.run(now + leaseMs, r.id, now).changes === 1).map(toRow);
      })
      .immediate()
      .map((r) => ({ ...r, attempts: r.attempts + 1 }));
  }

  /** A queued row starts its send now: its lease counts from now, so it never expires mid-send. */
  renewLease(id: number, until: number): void {
    this.q.renew.run(until, id);
  }

  markSent(id: number, now: number): void {
    this.q.sent.run(now, id);
  }

  retryAt(id: number, at: number, error: string): void {
    this.q.retry.run(at, error, id);
  }

  /**
   * Back to pending without spending an attempt: waiting out a rate limit, a surface that cannot be
   * reached or a refused token, or a row not yet started when the bot stops.
   */
  handBack(id: number, at: number, error: string): void {
    this.q.defer.run(at, error, id);
  }

  /** Deletes up to `limit` rows sent before `before` (retention); returns how many. */
  prune(before: number, limit: number): number {
    return this.q.prune.run(before, limit).changes;
  }

  markFailed(id: number, error: string, now: number): void {
    this.q.failed.run(error, now, id);
  }

  nextDueAt(lane = 'slack'): number | null {
    return this.q.nextDue.get(lane)?.t ?? null;
  }

  /** Open and failed rows per lane: { slack: { pending: 2, failed: 1 } }. */
  counts(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const r of this.q.counts.all()) (out[r.lane] ??= {})[r.status] = r.n;
    return out;
  }

  row(id: number): FailedRow | null {
    const r = this.q.byId.get(id);
    return r ? toRow(r) : null;
  }

  failures(limit = 20): FailedRow[] {
    return this.q.failures.all(limit).map(toRow);
  }
}
