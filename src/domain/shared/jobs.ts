import type { Effect } from './effects.js';

/**
 * Timed work, as the domain sees it: rows with a due time, planned by the feature that owns their
 * kind and fired one at a time into effects. The scheduler engine stores and runs them; it knows
 * no kind by name, so a new feature adds kinds without touching it.
 */
export interface PlannedJob {
  kind: string;
  /** identity of what the row is for; planning the same key twice keeps the first row */
  key: string;
  /** what it is about (`entry:12`, `piece:4`), so a change can cancel its rows together */
  subject?: string | null;
  payload?: Record<string, unknown>;
  dueAt: number;
}

export interface JobRow {
  id: number;
  kind: string;
  key: string;
  subject: string | null;
  payload: Record<string, unknown>;
  dueAt: number;
}

export interface JobsPort {
  /** Idempotent (unique key). Returns how many rows were new. */
  schedule(rows: readonly PlannedJob[]): number;
  /** Cancels the pending rows about a subject (an entry edited or deleted). */
  cancelSubject(subject: string, now: number, note: string): void;
}

/** What firing one row decided. */
export type FireResult =
  | { effects: Effect[] }
  /** what it was for changed or is gone */
  | { cancel: string }
  /** still wanted, at another time (a time-zone data update moved it) */
  | { rescheduleAt: number };

export interface FireContext {
  now: number;
  /** fired more than a minute after its due time (the bot was down or busy) */
  late: boolean;
}

/** A kind of timed work, registered by the feature that owns it. */
export interface JobKind {
  kind: string;
  /** How far ahead rows are planned; 0 = rows are only written when something happens. */
  horizonMs: number;
  /**
   * The settings the rows depend on (time zone and its data version, digest time…). When it
   * changes, pending rows planned with another value are dropped and the horizon is planned anew.
   */
  plannedWith: string;
  /** A row more late than this is recorded as skipped instead of fired (null: never too late). */
  graceMs: number | null;
  /**
   * Rows due in (from, to], a slice at a time: `cursor` is where the previous slice stopped (null
   * at first); return `next: null` when the window is done. Keep each slice small: call
   * `more()` and stop when it says the slice's time is up.
   */
  plan?(from: number, to: number, cursor: string | null, more: () => boolean): { rows: PlannedJob[]; next: string | null };
  /** Re-checks one due row against the current state and says what to do. Runs in a transaction. */
  fire(row: JobRow, ctx: FireContext): FireResult;
}
