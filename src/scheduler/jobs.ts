import type { PieceRepository, RoleDirectory } from '../domain/approvals/ports.js';
import { isAwaitingApproval } from '../domain/approvals/types.js';
import { reminderTimes } from '../domain/calendar/recurrence.js';
import type { CalendarService } from '../domain/calendar/service.js';
import type { Clock } from '../domain/shared/clock.js';
import type { Effect } from '../domain/shared/effects.js';
import { REMINDER_HOUR, type ReminderCode } from '../domain/calendar/types.js';
import { addDays, isoWeekday, localDateOf, localToEpoch, type LocalDate } from '../domain/shared/time.js';
import type { Logger } from '../logger.js';
import { inTransaction, type DB } from '../store/db.js';
import type { SqliteCalendarRepository } from '../store/calendar-repo.js';
import type { SqliteOutbox } from '../store/outbox-repo.js';
import type { PlannedReminder, ReminderRow, SqliteReminderRepository } from '../store/reminder-repo.js';

export interface JobSettings {
  tz: string;
  calendarChannelId: string | null;
  digestChannelId: string | null;
  digestTime: string; // HH:mm
  digestDays: number[]; // ISO weekdays
  /** A reminder missed while the bot was down is still sent (marked late) if it is at most this old. */
  graceMs: number;
}

export interface JobDeps {
  db: DB;
  calendar: CalendarService;
  entries: SqliteCalendarRepository;
  reminders: SqliteReminderRepository;
  pieces: PieceRepository;
  roles: RoleDirectory;
  outbox: SqliteOutbox;
  clock: Clock;
  log: Logger;
  settings: JobSettings;
  /** called after rows were handed to the outbox */
  onEnqueued: () => void;
}

/** A reminder this much past its due time is reported as late. */
const LATE_AFTER_MS = 60_000;
const PLAN_EVERY_MS = 60_000;

/**
 * Timed work: reminders, piece alerts and digests. A timer only calls `tick()`; the work is rows
 * with a due time, re-checked against the current state and marked done in the transaction that
 * writes their outbox messages, so a restart neither loses nor repeats one.
 */
export class JobScheduler {
  private timer: NodeJS.Timeout | null = null;
  private lastPlan = Number.NEGATIVE_INFINITY;
  private lastPlanDay: LocalDate | null = null;

  constructor(private readonly d: JobDeps) {}

  start(tickMs = 1000): void {
    this.tick();
    if (tickMs > 0) {
      this.timer = setInterval(() => this.tick(), tickMs);
      this.timer.unref?.();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Plans ahead when due, then fires what is due. Returns how many rows were handled. */
  tick(): number {
    const now = this.d.clock.now();
    const today = localDateOf(now, this.d.settings.tz);
    try {
      if (now - this.lastPlan >= PLAN_EVERY_MS || today !== this.lastPlanDay || now < this.lastPlan) this.plan(now);
      const handled = this.fireDue(now);
      if (handled) this.d.onEnqueued();
      return handled;
    } catch (e) {
      this.d.log.error({ err: e }, 'scheduler tick failed');
      return 0;
    }
  }

  /** Writes the rows for what is coming: entry reminders, digests, alerts for pieces due tomorrow. */
  plan(now: number): void {
    const s = this.d.settings;
    const today = localDateOf(now, s.tz);
    this.d.calendar.planAll();
    const rows: PlannedReminder[] = [];
    for (let i = 0; i < 8; i++) {
      const date = addDays(today, i);
      const dueAt = localToEpoch(date, s.digestTime, s.tz)!;
      if (s.digestDays.includes(isoWeekday(date)) && dueAt > now) rows.push({ key: `digest:${date}`, kind: 'digest' as const, occurrenceDate: date, dueAt });
    }
    // A piece that publishes tomorrow and is not approved: alert at the reminder hour today (or now, if later).
    const tomorrow = addDays(today, 1);
    const alertAt = Math.max(localToEpoch(today, REMINDER_HOUR, s.tz)!, now);
    for (const p of this.d.pieces.plannedBetween(localToEpoch(tomorrow, null, s.tz)!, localToEpoch(addDays(tomorrow, 1), null, s.tz)!)) {
      if (isAwaitingApproval(p.stage)) rows.push({ key: `piece_alert:${p.id}:${tomorrow}`, kind: 'piece_alert' as const, pieceId: p.id, occurrenceDate: tomorrow, dueAt: alertAt });
    }
    inTransaction(this.d.db, () => this.d.reminders.plan(rows));
    this.lastPlan = now;
    this.lastPlanDay = today;
  }

  private fireDue(now: number): number {
    let handled = 0;
    for (;;) {
      const batch = this.d.reminders.due(now, 200);
      if (batch.length === 0) return handled;
      for (const row of batch) {
        inTransaction(this.d.db, () => this.fire(row, now));
        handled++;
      }
    }
  }

  /** One row, in one transaction: re-check, write its messages, mark it. */
  private fire(row: ReminderRow, now: number): void {
    const late = now - row.dueAt > LATE_AFTER_MS;
    if (now - row.dueAt > this.d.settings.graceMs) {
      this.d.reminders.mark(row.id, 'skipped', now, true, 'missed while the bot was down');
      this.d.log.warn({ key: row.key, dueAt: new Date(row.dueAt).toISOString() }, 'reminder missed; recorded as skipped');
      return;
    }
    const effects = this.effectsFor(row, late);
    if (effects === null) {
      this.d.reminders.mark(row.id, 'cancelled', now, late, 'no longer applies');
      return;
    }
    if (!this.d.reminders.mark(row.id, 'sent', now, late)) return;
    for (const e of effects) this.d.outbox.enqueue(e, now);
  }

  /** The messages a row stands for, or null when what it was for changed or is gone. */
  private effectsFor(row: ReminderRow, late: boolean): Effect[] | null {
    const s = this.d.settings;
    switch (row.kind) {
      case 'entry': {
        const entry = this.d.entries.get(row.entryId!);
        if (!entry || !row.occurrenceDate) return null;
        const occ = this.d.calendar.occurrencesOfEntry(entry, row.occurrenceDate);
        const still = occ && reminderTimes(occ, entry.reminders, s.tz).some((r) => r.code === (row.code as ReminderCode) && r.dueAt === row.dueAt);
        if (!still) return null;
        const to = new Set<string>([entry.ownerId ?? entry.createdBy]);
        if (s.calendarChannelId) to.add(s.calendarChannelId);
        return [...to].map((t) => ({ type: 'calendar_reminder' as const, to: t, entryId: entry.id, occurrenceDate: row.occurrenceDate!, late }));
      }
      case 'piece_alert': {
        const p = this.d.pieces.get(row.pieceId!);
        if (!p || !isAwaitingApproval(p.stage) || p.plannedAt === null) return null;
        if (localDateOf(p.plannedAt, s.tz) !== row.occurrenceDate || p.plannedAt <= this.d.clock.now()) return null;
        const to = new Set([p.authorId, ...this.d.roles.usersWith('approver')]);
        return [...to].map((t) => ({ type: 'piece_alert' as const, to: t, pieceId: p.id, late }));
      }
      case 'digest': {
        const to: Effect[] = [];
        if (s.digestChannelId) to.push({ type: 'digest', to: s.digestChannelId, date: row.occurrenceDate!, personal: false, late });
        for (const u of this.d.reminders.subscribers()) to.push({ type: 'digest', to: u, date: row.occurrenceDate!, personal: true, late });
        return to.length ? to : null;
      }
    }
  }
}
