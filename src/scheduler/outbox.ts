import type { Effect } from '../domain/shared/effects.js';
import type { Clock } from '../domain/shared/clock.js';
import type { Logger } from '../logger.js';
import type { OutboxRow, SqliteOutbox } from '../store/outbox-repo.js';
import { DeliveryError } from './delivery-error.js';

/** One surface's sender. */
export interface Deliverer {
  /** Sends one outbox row; throws DeliveryError (anything else is treated as retryable). */
  deliver(row: OutboxRow): Promise<void>;
  /**
   * Which rate limit a row will spend (Slack limits each Web API method separately). A rate
   * limit pauses only the rows of the same scope; by default one scope for the whole lane.
   */
  scopeOf?(row: OutboxRow): string;
  /** False while the surface cannot be reached at all: rows wait, and no attempt is spent. */
  ready?(): boolean;
}

export interface OutboxOptions {
  pollMs: number;
  /** attempts before a retryable failure is given up and reported (rate-limit waits do not count) */
  maxAttempts: number;
  /** a claimed row becomes due again after this; every send times out well before it */
  leaseMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  batch: number;
  /** rows about different things sent at the same time, so one slow request does not hold the rest */
  concurrency: number;
  /**
   * A retryable failure is given up only after `maxAttempts` and when the row is at least this old:
   * an outage of the platform (hours of 5xx) delays messages, it does not lose them.
   */
  giveUpAfterMs: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  pollMs: 1000,
  maxAttempts: 12,
  leaseMs: 60_000,
  baseBackoffMs: 1000,
  maxBackoffMs: 5 * 60_000,
  batch: 20,
  concurrency: 4,
  giveUpAfterMs: 24 * 3_600_000,
};

export function backoffMs(attempt: number, o: Pick<OutboxOptions, 'baseBackoffMs' | 'maxBackoffMs'>, random = Math.random): number {
  const exp = Math.min(o.maxBackoffMs, o.baseBackoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.8 + 0.4 * random()));
}

/** Rows about the same piece (or to the same person) keep their order; others may pass each other. */
const orderKey = (row: OutboxRow): string => {
  const e = row.effect as Effect & { to?: unknown };
  // An inquiry's card and its refreshes go one after another: a refresh never overtakes a newer one.
  // (Pages keep the recipient's order: a slow card must not hold a page back.)
  if (e.type === 'inquiry_card' || e.type === 'inquiry_refresh') return `inquiry:${e.inquiryId}`;
  return row.pieceId !== null ? `piece:${row.pieceId}` : e.to !== undefined ? `to:${JSON.stringify(e.to)}` : `row:${row.id}`;
};

/**
 * Delivers one lane of the outbox (one surface). A timer only ticks; the rows are the truth, so a
 * restart neither loses nor repeats a delivered message (a send interrupted mid-flight is retried
 * when its lease ends). A rate limit pauses this lane only — and only the scope it names.
 */
export class OutboxWorker {
  // Its logger names the lane (the surface builds it as a child logger with `lane`).
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly pausedUntil = new Map<string, number>();
  /** resolves the pool's wait when new work arrives during a run */
  private wake: (() => void) | null = null;

  constructor(
    private readonly outbox: SqliteOutbox,
    readonly lane: string,
    private readonly deliverer: Deliverer,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly onGiveUp: (row: OutboxRow, error: string) => void,
    private readonly opts: OutboxOptions = DEFAULT_OUTBOX_OPTIONS,
  ) {}

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Deliver now (after a decision commits); coalesces with a run in progress. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      this.wake?.();
      return;
    }
    this.running = this.drain()
      .catch((e: unknown) => this.log.error({ err: e }, 'outbox run failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.schedule();
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wake?.();
    await this.running;
  }

  /** Resolves when nothing is due now (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.outbox.nextDueAt(this.lane);
    const now = this.clock.now();
    // While the surface cannot be reached, rows are due but cannot go: poll, do not spin (the
    // surface kicks the lane as soon as it answers again).
    const blocked = this.deliverer.ready && !this.deliverer.ready();
    const wait = next === null || blocked ? this.opts.pollMs : Math.max(0, Math.min(this.opts.pollMs, next - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, wait);
    this.timer.unref?.();
  }

  private scope(row: OutboxRow): string {
    return this.deliverer.scopeOf?.(row) ?? '*';
  }

  /**
   * A pool of sends: up to `concurrency` rows in flight, rows about the same piece (or person) in
   * order, and a new row claimed as soon as a slot is free or new work is kicked in — so one request
   * that hangs (until its timeout) holds only its own slot, never the rows behind it.
   */
  private async drain(): Promise<void> {
    const inFlight = new Map<string, Promise<void>>();
    /** every row claimed by this run and not finished: never claimed twice while it waits its turn */
    const held = new Set<number>();
    while (!this.stopped) {
      if (this.deliverer.ready && !this.deliverer.ready()) break;
      const free = this.opts.concurrency - inFlight.size;
      const rows = free > 0 ? this.outbox.claimDue(this.clock.now(), Math.min(free, this.opts.batch), this.opts.leaseMs, this.lane, [...held]) : [];
      for (const row of rows) {
        const key = orderKey(row);
        held.add(row.id);
        const p: Promise<void> = (inFlight.get(key) ?? Promise.resolve())
          .then(() => this.sendInTurn(row))
          .finally(() => {
            held.delete(row.id);
            if (inFlight.get(key) === p) inFlight.delete(key);
          });
        inFlight.set(key, p);
      }
      if (rows.length > 0 && inFlight.size < this.opts.concurrency) continue;
      if (inFlight.size === 0) break;
      // Wait for a slot, or for new work (a decision just committed), whichever comes first.
      await Promise.race([...inFlight.values(), new Promise<void>((r) => (this.wake = r))]);
      this.wake = null;
    }
    await Promise.all(inFlight.values());
  }

  /** A claimed row's turn: sent now (its lease renewed), or, if the bot is stopping, handed back untouched. */
  private async sendInTurn(row: OutboxRow): Promise<void> {
    try {
      const now = this.clock.now();
      if (this.stopped || (this.deliverer.ready && !this.deliverer.ready())) {
        // Not started: back to pending at once (no attempt spent), so it goes as soon as the lane can
        // send again — after a restart, or when the surface answers — without waiting out a lease.
        this.outbox.handBack(row.id, now, this.stopped ? 'held: stopping' : 'held: surface unavailable');
        return;
      }
      this.outbox.renewLease(row.id, now + this.opts.leaseMs);
      await this.deliverOne(row);
    } catch (e) {
      // Recording the outcome failed (the database): the row comes back when its lease ends; the
      // rows queued behind it must still get their turn.
      this.log.error({ err: e, outboxId: row.id }, 'outbox row could not be recorded');
    }
  }

  private async deliverOne(row: OutboxRow): Promise<void> {
    const ctx = { outboxId: row.id, pieceId: row.pieceId, kind: row.effect.type, attempt: row.attempts };
    const scope = this.scope(row);
    const paused = this.pausedUntil.get(scope) ?? 0;
    if (paused > this.clock.now()) {
      // Held behind a rate limit of its scope: not an attempt.
      this.outbox.handBack(row.id, paused, 'held: rate limited');
      return;
    }
    try {
      await this.deliverer.deliver(row);
      this.outbox.markSent(row.id, this.clock.now());
      this.log.debug(ctx, 'outbox delivered');
    } catch (e) {
      const err = e instanceof DeliveryError ? e : new DeliveryError('retryable', errorCode(e));
      const now = this.clock.now();
      if (err.failure === 'unavailable') {
        this.outbox.handBack(row.id, now, err.code);
        this.log.warn({ ...ctx, error: err.code }, 'surface unavailable; holding the row');
        return;
      }
      if (err.failure === 'rate_limited') {
        const until = now + (err.retryAfterMs ?? 1000);
        this.pausedUntil.set(scope, Math.max(until, this.pausedUntil.get(scope) ?? 0));
        this.outbox.handBack(row.id, until, err.code);
        this.log.warn({ ...ctx, scope, retryAfterMs: err.retryAfterMs }, 'rate limited; holding this scope');
        return;
      }
      if (err.failure === 'retryable' && (row.attempts < this.opts.maxAttempts || now - row.createdAt < this.opts.giveUpAfterMs)) {
        const at = now + backoffMs(row.attempts, this.opts);
        this.outbox.retryAt(row.id, at, err.code);
        this.log.warn({ ...ctx, error: err.code, retryAt: new Date(at).toISOString() }, 'delivery failed; will retry');
        return;
      }
      this.outbox.markFailed(row.id, err.code, now);
      this.log.error({ ...ctx, error: err.code, effect: describe(row.effect) }, 'delivery failed permanently');
      this.onGiveUp(row, err.code);
    }
  }
}

function errorCode(e: unknown): string {
  if (e instanceof Error) return (e as { code?: string }).code ?? e.message;
  return String(e);
}

const describe = (e: Effect): string => ('to' in e ? `${e.type} → ${JSON.stringify(e.to)}` : e.type);
