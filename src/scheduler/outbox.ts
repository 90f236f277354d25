import type { Effect } from '../domain/approvals/effects.js';
import type { Clock } from '../domain/shared/clock.js';
import type { Logger } from '../logger.js';
import type { OutboxRow, SqliteOutbox } from '../store/outbox-repo.js';
import { DeliveryError } from './delivery-error.js';

export interface Deliverer {
  /** Sends one outbox row; throws DeliveryError (or anything: treated as retryable). */
  deliver(row: OutboxRow): Promise<void>;
}

export interface OutboxOptions {
  pollMs: number;
  /** attempts before a retryable failure is given up and reported */
  maxAttempts: number;
  leaseMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  batch: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  pollMs: 1000,
  maxAttempts: 12,
  leaseMs: 60_000,
  baseBackoffMs: 1000,
  maxBackoffMs: 5 * 60_000,
  batch: 20,
};

export function backoffMs(attempt: number, o: Pick<OutboxOptions, 'baseBackoffMs' | 'maxBackoffMs'>, random = Math.random): number {
  const exp = Math.min(o.maxBackoffMs, o.baseBackoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.8 + 0.4 * random()));
}

/**
 * Delivers outbox rows in order. A timer only ticks; the rows are the truth, so a restart neither
 * loses nor repeats a delivered message (a send interrupted mid-flight is retried when its lease ends).
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private pausedUntil = 0;

  constructor(
    private readonly outbox: SqliteOutbox,
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
    await this.running;
  }

  /** Resolves when nothing is due now (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.outbox.nextDueAt();
    const now = this.clock.now();
    const wait = next === null ? this.opts.pollMs : Math.max(0, Math.min(this.opts.pollMs, Math.max(next, this.pausedUntil) - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, wait);
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const now = this.clock.now();
      if (now < this.pausedUntil) return;
      const rows = this.outbox.claimDue(now, this.opts.batch, this.opts.leaseMs);
      if (rows.length === 0) return;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        const paused = await this.deliverOne(row);
        if (paused) {
          // Slack's limits are per method and workspace: hold everything until Retry-After passes.
          for (const rest of rows.slice(i + 1)) this.outbox.retryAt(rest.id, this.pausedUntil, 'held: rate limited');
          return;
        }
      }
    }
  }

  /** Returns true when the platform asked us to slow down. */
  private async deliverOne(row: OutboxRow): Promise<boolean> {
    const ctx = { outboxId: row.id, pieceId: row.pieceId, kind: row.effect.type, attempt: row.attempts };
    try {
      await this.deliverer.deliver(row);
      this.outbox.markSent(row.id, this.clock.now());
      this.log.debug(ctx, 'outbox delivered');
      return false;
    } catch (e) {
      const err = e instanceof DeliveryError ? e : new DeliveryError('retryable', errorCode(e));
      const now = this.clock.now();
      if (err.failure === 'rate_limited') {
        this.pausedUntil = now + (err.retryAfterMs ?? 1000);
        this.outbox.retryAt(row.id, this.pausedUntil, err.code);
        this.log.warn({ ...ctx, retryAfterMs: err.retryAfterMs }, 'rate limited; holding the outbox');
        return true;
      }
      if (err.failure === 'retryable' && row.attempts < this.opts.maxAttempts) {
        const at = now + backoffMs(row.attempts, this.opts);
        this.outbox.retryAt(row.id, at, err.code);
        this.log.warn({ ...ctx, error: err.code, retryAt: new Date(at).toISOString() }, 'delivery failed; will retry');
        return false;
      }
      this.outbox.markFailed(row.id, err.code, now);
      this.log.error({ ...ctx, error: err.code, effect: describe(row.effect) }, 'delivery failed permanently');
      this.onGiveUp(row, err.code);
      return false;
    }
  }
}

function errorCode(e: unknown): string {
  if (e instanceof Error) return (e as { code?: string }).code ?? e.message;
  return String(e);
}

const describe = (e: Effect): string => ('to' in e ? `${e.type} → ${e.to}` : e.type);
