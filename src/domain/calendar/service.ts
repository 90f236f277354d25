import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { addDays, isLocalDate, localDateOf, type LocalDate } from '../shared/time.js';
import type { RoleDirectory } from '../approvals/ports.js';
import { entryReminderRows } from './plan.js';
import type { CalendarRepository, ReminderPort } from './ports.js';
import { isSeriesDate, occurrenceOf, occurrencesOf } from './recurrence.js';
import type { CalendarEntry, EntryInput, Occurrence } from './types.js';
import { editedSeries, validateEdit, validateEntry, type EntryField, type EntryError, type RawEntryInput } from './validate.js';

export interface CalendarDeps {
  entries: CalendarRepository;
  reminders: ReminderPort;
  roles: RoleDirectory;
  clock: Clock;
  tz: string;
}

/**
 * What an edit applies to. `shown` is the date the form was opened for: the series moves by as many
 * days as the person moved that date (without it, the date typed becomes the start).
 */
export type Scope = { kind: 'series'; shown?: LocalDate | null } | { kind: 'occurrence'; date: LocalDate };

export type EntryResult = { ok: true; entry: CalendarEntry; created: boolean } | { ok: false; errors: Partial<Record<EntryField, EntryError>> };

export class CalendarService {
  constructor(private readonly d: CalendarDeps) {}

  today(): LocalDate {
    return localDateOf(this.d.clock.now(), this.d.tz);
  }

  /** A new entry, its reminders planned in the same transaction. */
  create(raw: RawEntryInput, actorId: string, importKey: string | null = null): EntryResult {
    const now = this.d.clock.now();
    const v = validateEntry(raw, now, this.d.tz);
    if (!v.ok) return v;
    return this.d.entries.transaction(() => {
      const { entry, created } = this.d.entries.insert(v.value, actorId, now, importKey);
      if (created) this.replan(entry, now);
      return { ok: true as const, entry, created };
    });
  }

  get(id: number): CalendarEntry {
    const e = this.d.entries.get(id);
    if (!e) throw new DomainError('calendar.not_found', { entryId: id });
    return e;
  }

  /** The next occurrence from today (or the last one, for a series that ended). */
  nextOccurrence(e: CalendarEntry): Occurrence | null {
    const today = this.today();
    const ex = this.d.entries.exceptionsFor([e.id]);
    // A date moved back may come before the series' start.
    const first = ex.reduce((min, x) => (x.newDate && x.newDate < min ? x.newDate : min), e.startDate);
    return occurrencesOf(e, ex, today, addDays(today, 800), this.d.tz)[0] ?? occurrencesOf(e, ex, first, today, this.d.tz).at(-1) ?? null;
  }

  canEdit(e: CalendarEntry, userId: string): boolean {
    const roles = this.d.roles.rolesOf(userId);
    return e.createdBy === userId || e.ownerId === userId || roles.has('admin') || roles.has('approver');
  }

  private requireEditor(e: CalendarEntry, userId: string): void {
    if (!this.canEdit(e, userId)) throw new DomainError('calendar.not_allowed', { entryId: e.id });
  }

  private requireOccurrence(e: CalendarEntry, date: LocalDate): void {
    const found = isLocalDate(date) && isSeriesDate(e, date);
    if (!found) throw new DomainError('calendar.no_occurrence', { entryId: e.id, date });
  }

  /** Edits the whole series, or moves / renames one occurrence. */
  update(id: number, raw: RawEntryInput, scope: Scope, actorId: string): EntryResult {
    const now = this.d.clock.now();
    const e = this.get(id);
    this.requireEditor(e, actorId);
    if (scope.kind === 'series') {
      const shown = scope.shown ?? e.startDate;
      const v = validateEdit(raw, shown, 'series', now, this.d.tz);
      if (!v.ok) return v;
      const value = editedSeries(e, v.value, shown);
      return this.d.entries.transaction(() => {
        // updatedAt names the reminder rows: it must move even within the same millisecond.
        this.d.entries.update(id, value, Math.max(now, e.updatedAt + 1));
        const entry = this.get(id);
        this.replan(entry, now);
        return { ok: true as const, entry, created: false };
      });
    }
    this.requireOccurrence(e, scope.date);
    const v = validateEdit(raw, scope.date, 'occurrence', now, this.d.tz);
    if (!v.ok) return v;
    return this.d.entries.transaction(() => {
      this.d.entries.setException({
        entryId: id,
        occurrenceDate: scope.date,
        action: 'move',
        newDate: v.value.startDate,
        newTime: v.value.time,
        newTitle: v.value.title === e.title ? null : v.value.title,
      });
      this.touch(e, now);
      const entry = this.get(id);
      this.replan(entry, now);
      return { ok: true as const, entry, created: false };
    });
  }

  remove(id: number, scope: Scope, actorId: string): CalendarEntry {
    const now = this.d.clock.now();
    const e = this.get(id);
    this.requireEditor(e, actorId);
    if (scope.kind === 'occurrence') this.requireOccurrence(e, scope.date);
    this.d.entries.transaction(() => {
      if (scope.kind === 'series') {
        this.d.entries.softDelete(id, actorId, now);
        this.d.reminders.cancelForEntry(id, now, 'entry deleted');
      } else {
        this.d.entries.setException({ entryId: id, occurrenceDate: scope.date, action: 'skip', newDate: null, newTime: null, newTitle: null });
        this.touch(e, now);
        this.replan(this.get(id), now);
      }
    });
    return e;
  }

  /** Occurrences of every entry whose date falls in [from, to]. */
  occurrences(from: LocalDate, to: LocalDate): Occurrence[] {
    const entries = this.d.entries.activeBetween(from, to);
    const ex = this.d.entries.exceptionsFor(entries.map((e) => e.id));
    return entries.flatMap((e) => occurrencesOf(e, ex, from, to, this.d.tz)).sort((a, b) => a.startsAt - b.startsAt);
  }

  /** The occurrence a series has for one of its dates (after exceptions), if any. */
  occurrencesOfEntry(e: CalendarEntry, occurrenceDate: LocalDate): Occurrence | null {
    const ex = this.d.entries.exceptionsFor([e.id]);
    return occurrenceOf(e, ex, occurrenceDate, this.d.tz);
  }

  /** Keeps reminder rows planned ahead for every live entry (idempotent). */
  planAll(): number {
    const now = this.d.clock.now();
    const today = this.today();
    const entries = this.d.entries.activeBetween(today, addDays(today, 70));
    const ex = this.d.entries.exceptionsFor(entries.map((e) => e.id));
    return this.d.entries.transaction(() => entries.reduce((n, e) => n + this.d.reminders.plan(entryReminderRows(e, ex, today, now, this.d.tz)), 0));
  }

  /** Live entries, for the feed. */
  entriesBetween(from: LocalDate, to: LocalDate): { entries: CalendarEntry[]; exceptions: ReturnType<CalendarRepository['exceptionsFor']> } {
    const entries = this.d.entries.activeBetween(from, to);
    return { entries, exceptions: this.d.entries.exceptionsFor(entries.map((e) => e.id)) };
  }

  private replan(e: CalendarEntry, now: number): void {
    this.d.reminders.cancelForEntry(e.id, now, 'entry changed');
    this.d.reminders.plan(entryReminderRows(e, this.d.entries.exceptionsFor([e.id]), this.today(), now, this.d.tz));
  }

  /** An exception changes the entry: a new updatedAt gives its reminders new keys. */
  private touch(e: CalendarEntry, now: number): void {
    const input: EntryInput = { title: e.title, kind: e.kind, startDate: e.startDate, time: e.time, ownerId: e.ownerId, recurrence: e.recurrence, untilDate: e.untilDate, reminders: e.reminders, notes: e.notes };
    this.d.entries.update(e.id, input, Math.max(now, e.updatedAt + 1));
  }
}

