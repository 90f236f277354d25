import { performance } from 'node:perf_hooks';
import type { Clock } from '../domain/shared/clock.js';
import type { Effect } from '../domain/shared/effects.js';
import type { JobKind, JobRow, JobsPort, PlannedJob } from '../domain/shared/jobs.js';
import type { Logger } from '../logger.js';
import type { SqliteJobRepository } from '../store/job-repo.js';

export interface JobEngineOptions {
  /** How long one slice of firing or planning may hold the event loop. */
  sliceMs: number;
  /** A horizon is extended when it is this far behind (planning is incremental, not every tick). */
  planStepMs: number;
}

export const DEFAULT_JOB_OPTIONS: JobEngineOptions = { sliceMs: 8, planStepMs: 60 * 60_000 };

/** A row fired more than this after its due time is reported as late. */
const LATE_AFTER_MS = 60_000;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface JobEngineDeps {
  repo: SqliteJobRepository;
  clock: Clock;
  log: Logger;
  /** writes an effect to the outbox (inside the firing transaction) */
  enqueue: (effect: Effect, now: number) => void;
  /** called after rows were handed to the outbox */
  onEnqueued: () => void;
  options?: Partial<JobEngineOptions>;
}

/**
 * The engine of timed work. Features register job kinds; the engine keeps each kind's horizon
 * planned (incrementally, in slices that yield to the event loop) and fires due rows, each in the
 * transaction that writes its outbox messages, so a restart neither loses nor repeats one. Firing
 * never waits behind planning: they run on separate paths.
 */
export class JobScheduler implements JobsPort {
  private readonly kinds = new Map<string, JobKind>();
  private readonly o: JobEngineOptions;
  private timer: NodeJS.Timeout | null = null;
  private planning: Promise<void> | null = null;
  private firingAgain: NodeJS.Immediate | null = null;
  private stopped = true;
  /** set by stop(): a planning pass in progress ends at its next slice */
  private halted = false;

  constructor(private readonly d: JobEngineDeps) {
    this.o = { ...DEFAULT_JOB_OPTIONS, ...d.options };
  }

  register(kind: JobKind): this {
    if (this.kinds.has(kind.kind)) throw new Error(`job kind registered twice: ${kind.kind}`);
    this.kinds.set(kind.kind, kind);
    return this;
  }

  schedule(rows: readonly PlannedJob[]): number {
    return this.d.repo.insert(rows, (k) => this.kindOf(k).plannedWith, this.d.clock.now());
  }

  cancelSubject(subject: string, now: number, note: string): void {
    this.d.repo.cancelSubject(subject, now, note);
  }

  /**
   * Heals what changed while the bot was down (settings, time-zone data), fires what is due, then
   * keeps firing on a timer and planning in the background.
   */
  start(tickMs = 1000): void {
    this.stopped = false;
    // Started again after a stop (the console's «Reiniciar»): planning runs again too.
    this.halted = false;
    this.heal();
    this.fireDue();
    // Planning starts at the first tick, not now: the first requests after start find the code
    // paths cold, and need the event loop more than a horizon that on-write planning already covers.
    if (tickMs > 0) {
      this.timer = setInterval(() => {
        this.fireDue();
        this.kickPlanning();
      }, tickMs);
      this.timer.unref?.();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.halted = true;
    if (this.timer) clearInterval(this.timer);
    if (this.firingAgain) clearImmediate(this.firingAgain);
    this.timer = null;
    this.firingAgain = null;
    await this.planning;
  }

  /** Plans every horizon to the end, then fires everything due (tests and tools). */
  async tick(): Promise<number> {
    this.heal();
    await this.kickPlanning();
    await this.planning;
    let handled = 0;
    for (let n = this.fireDue(false); n > 0; n = this.fireDue(false)) handled += n;
    return handled;
  }

  private kindOf(name: string): JobKind {
    const k = this.kinds.get(name);
    if (!k) throw new Error(`unknown job kind: ${name}`);
    return k;
  }

  /** Rows planned with other settings are dropped, and their kind is planned again from now. */
  private heal(): void {
    const now = this.d.clock.now();
    for (const k of this.kinds.values()) {
      const h = this.d.repo.horizon(k.kind);
      if (h && h.plannedWith === k.plannedWith) continue;
      // Planned again from as far back as a row may still be sent: what fell due while the bot was
      // down (or in the moments of an upgrade) is sent late, not lost; keys stop a repeat.
      const dropped = this.d.repo.transaction(() => {
        const n = this.d.repo.dropPlannedWithOther(k.kind, k.plannedWith);
        this.d.repo.setHorizon(k.kind, now - (k.graceMs ?? 0), k.plannedWith);
        return n;
      });
      if (h) this.d.log.info({ kind: k.kind, dropped, was: h.plannedWith, now: k.plannedWith }, 'settings changed; re-planning');
    }
  }

  /**
   * Fires due rows for at most one slice; when more are due it continues on the next turn of the
   * event loop, so a burst of due rows never holds it. Returns how many rows it handled.
   */
  private fireDue(continueLater = true): number {
    const until = performance.now() + this.o.sliceMs;
    let handled = 0;
    let more = false;
    try {
      outer: for (;;) {
        const now = this.d.clock.now();
        const batch = this.d.repo.due(now, 50);
        if (batch.length === 0) break;
        for (const row of batch) {
          this.fireOne(row, now);
          handled++;
          if (performance.now() >= until) {
            more = true;
            break outer;
          }
        }
      }
    } catch (e) {
      this.d.log.error({ err: e }, 'firing due jobs failed');
    }
    if (handled) this.d.onEnqueued();
    if (more && continueLater && !this.stopped && !this.firingAgain) {
      this.firingAgain = setImmediate(() => {
        this.firingAgain = null;
        this.fireDue();
      });
    }
    return handled;
  }

  /** One row, in one transaction: re-check, write its messages, end it. */
  private fireOne(row: JobRow, now: number): void {
    const kind = this.kinds.get(row.kind);
    const late = now - row.dueAt > LATE_AFTER_MS;
    const ctx = { jobId: row.id, kind: row.kind, key: row.key };
    try {
      this.d.repo.transaction(() => {
        if (!kind) {
          this.d.repo.end(row.id, 'cancelled', now, late, 'unknown job kind');
          this.d.log.warn(ctx, 'job of an unknown kind cancelled');
          return;
        }
        if (kind.graceMs !== null && now - row.dueAt > kind.graceMs) {
          this.d.repo.end(row.id, 'skipped', now, true, 'missed while the bot was down');
          this.d.log.warn({ ...ctx, dueAt: new Date(row.dueAt).toISOString() }, 'job missed; recorded as skipped');
          return;
        }
        const r = kind.fire(row, { now, late });
        if ('cancel' in r) this.d.repo.end(row.id, 'cancelled', now, late, r.cancel);
        else if ('rescheduleAt' in r) this.d.repo.reschedule(row.id, r.rescheduleAt);
        else if (this.d.repo.end(row.id, 'done', now, late)) for (const e of r.effects) this.d.enqueue(e, now);
      });
    } catch (e) {
      // A row that cannot be fired must not block the ones behind it: record it and say so.
      this.d.log.error({ ...ctx, err: e }, 'job failed; recorded as skipped');
      this.d.repo.end(row.id, 'skipped', now, late, `error: ${(e as Error).message ?? String(e)}`.slice(0, 500));
    }
  }

  /** Starts a planning pass in the background unless one is running; returns it. */
  private kickPlanning(): Promise<void> {
    if (this.planning) return this.planning;
    const now = this.d.clock.now();
    const behind = [...this.kinds.values()].filter((k) => {
      if (!k.plan || k.horizonMs <= 0) return false;
      const h = this.d.repo.horizon(k.kind);
      return !h || now + k.horizonMs - h.plannedUntil >= Math.min(this.o.planStepMs, k.horizonMs);
    });
    if (behind.length === 0) return Promise.resolve();
    this.planning = (async () => {
      for (const k of behind) {
        if (this.halted) return;
        await this.extend(k);
      }
    })()
      .catch((e: unknown) => this.d.log.error({ err: e }, 'planning failed'))
      .finally(() => {
        this.planning = null;
      });
    return this.planning;
  }

  /** Plans one kind from its horizon to now + horizonMs, a slice at a time. */
  private async extend(k: JobKind): Promise<void> {
    const now = this.d.clock.now();
    const h = this.d.repo.horizon(k.kind);
    // From where the last pass stopped, even if that is a little in the past (rows due since then
    // still fire, late); never further back than a row could still be sent (a kind with no grace
    // limit plans everything it missed, and decides at firing what is still worth sending).
    const from = k.graceMs === null ? (h?.plannedUntil ?? now) : Math.max(h?.plannedUntil ?? now, now - k.graceMs);
    const to = now + k.horizonMs;
    let cursor: string | null = null;
    let rows = 0;
    const t0 = performance.now();
    do {
      const until = performance.now() + this.o.sliceMs;
      const slice = k.plan!(from, to, cursor, () => performance.now() < until);
      rows += this.d.repo.transaction(() => this.d.repo.insert(slice.rows, () => k.plannedWith, this.d.clock.now()));
      cursor = slice.next;
      if (cursor !== null) await yieldToLoop();
    } while (cursor !== null && !this.halted);
    if (this.halted) return;
    this.d.repo.setHorizon(k.kind, to, k.plannedWith);
    this.d.log.debug({ kind: k.kind, rows, ms: Math.round(performance.now() - t0) }, 'horizon planned');
  }
}
