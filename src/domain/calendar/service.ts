import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { addDays, isLocalDate, localDateOf, type LocalDate } from '../shared/time.js';
import type { RoleDirectory } from '../approvals/ports.js';
import type { JobsPort } from '../shared/jobs.js';
import { entryReminderRows, entrySubject, HORIZON_DAYS } from './plan.js';
import type { CalendarRepository } from './ports.js';
import { isSeriesDate, occurrenceOf, occurrencesOf } from './recurrence.js';
import type { CalendarEntry, EntryChange, EntryInput, Occurrence } from './types.js';
import { editedSeries, validateEdit, validateEntry, type EntryField, type EntryError, type RawEntryInput } from './validate.js';

export interface CalendarDeps {
  entries: CalendarRepository;
  jobs: JobsPort;
  roles: RoleDirectory;
  clock: Clock;
  tz: string;
}

/**
 * What an edit applies to. `shown` is the date the form was opened for: the series moves by as many
 * days as the person moved that date (without it, the date typed becomes the start).
 */
export type Scope = { kind: 'series'; shown?: LocalDate | null } | { kind: 'occurrence'; date: LocalDate };

/** What a change was read at: the version on the form or card, and the form itself (to spot a replay). */
export interface EditGuard {
  version?: number | null;
  originKey?: string | null;
}

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

  /** The entry imported with this key (a CSV row), live or deleted, so a re-import can update it. */
  imported(importKey: string): { entry: CalendarEntry; deleted: boolean } | null {
    return this.d.entries.byImportKey(importKey);
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

  /**
   * The entry a change is about, checked against the version the person's form or card was opened
   * on: a newer change (or a deletion) since then is a `calendar.stale_version` naming who and when.
   * With `actorId`, checks first that this person may change it.
   */
  current(id: number, seenVersion: number | null | undefined, actorId?: string): CalendarEntry {
    const e = this.d.entries.get(id);
    // Someone who may not change it is told so, not sent to open it again.
    if (e && actorId) this.requireEditor(e, actorId);
    if (e && (seenVersion == null || e.version === seenVersion)) return e;
    const gone = this.d.entries.getWithDeleted(id);
    if (!gone || seenVersion == null) throw new DomainError('calendar.not_found', { entryId: id });
    throw this.staleError(gone, seenVersion);
  }

  private staleError(e: CalendarEntry & { deletedAt?: number | null; deletedBy?: string | null }, seenVersion: number): DomainError {
    const ev = this.d.entries.eventAtVersion(e.id, seenVersion);
    const deleted = e.deletedAt != null;
    return new DomainError('calendar.stale_version', {
      entryId: e.id,
      deleted,
      actorId: ev?.actorId ?? (deleted ? e.deletedBy : e.updatedBy) ?? null,
      at: ev?.at ?? (deleted ? e.deletedAt : e.updatedAt) ?? null,
    });
  }

  /** A form already applied (Slack resends a submission it thinks went unanswered): true, nothing to do again. */
  private applied(id: number, guard: EditGuard): boolean {
    return !!guard.originKey && this.d.entries.eventByOrigin(guard.originKey)?.entryId === id;
  }

  /**
   * Writes the change guarded by the version it was read at (someone may have changed the entry
   * between reading and writing), records who made it, and plans its reminders again.
   */
  private commit(e: CalendarEntry, change: EntryChange, occurrenceDate: LocalDate | null, actorId: string, guard: EditGuard, now: number, value: EntryInput = e): CalendarEntry {
    // updatedAt names the reminder rows: it must move even within the same millisecond.
    if (!this.d.entries.update(e.id, value, Math.max(now, e.updatedAt + 1), { actorId, expectedVersion: e.version })) throw this.staleError(this.d.entries.getWithDeleted(e.id)!, e.version);
    this.d.entries.appendEvent({ entryId: e.id, versionFrom: e.version, action: change, occurrenceDate, actorId, originKey: guard.originKey ?? null, at: now });
    const entry = this.get(e.id);
    this.replan(entry, now);
    return entry;
  }

  /** Edits the whole series, or moves / renames one occurrence. */
  update(id: number, raw: RawEntryInput, scope: Scope, actorId: string, guard: EditGuard = {}): EntryResult {
    const now = this.d.clock.now();
    return this.d.entries.transaction((): EntryResult => {
      if (this.applied(id, guard)) return { ok: true, entry: this.d.entries.getWithDeleted(id)!, created: false };
      const e = this.current(id, guard.version, actorId);
      if (scope.kind === 'series') {
        const shown = scope.shown ?? e.startDate;
        const v = validateEdit(raw, shown, 'series', now, this.d.tz);
        if (!v.ok) return v;
        return { ok: true, entry: this.commit(e, 'edit_series', null, actorId, guard, now, editedSeries(e, v.value, shown)), created: false };
      }
      this.requireOccurrence(e, scope.date);
      const v = validateEdit(raw, scope.date, 'occurrence', now, this.d.tz);
      if (!v.ok) return v;
      this.d.entries.setException({
        entryId: id,
        occurrenceDate: scope.date,
        action: 'move',
        newDate: v.value.startDate,
        newTime: v.value.time,
        newTitle: v.value.title === e.title ? null : v.value.title,
      });
      return { ok: true, entry: this.commit(e, 'move_occurrence', scope.date, actorId, guard, now), created: false };
    });
  }

  /** Deletes the series, or removes one of its dates; returns the entry as it was. */
  remove(id: number, scope: Scope, actorId: string, guard: EditGuard = {}): CalendarEntry {
    const now = this.d.clock.now();
    return this.d.entries.transaction(() => {
      if (this.applied(id, guard)) return this.d.entries.getWithDeleted(id)!;
      const e = this.current(id, guard.version, actorId);
      if (scope.kind === 'series') {
        if (!this.d.entries.softDelete(id, actorId, now, e.version)) throw this.staleError(this.d.entries.getWithDeleted(id)!, e.version);
        this.d.entries.appendEvent({ entryId: id, versionFrom: e.version, action: 'delete_series', occurrenceDate: null, actorId, originKey: guard.originKey ?? null, at: now });
        this.d.jobs.cancelSubject(entrySubject(id), now, 'entry deleted');
      } else {
        this.requireOccurrence(e, scope.date);
        this.d.entries.setException({ entryId: id, occurrenceDate: scope.date, action: 'skip', newDate: null, newTime: null, newTitle: null });
        this.commit(e, 'skip_occurrence', scope.date, actorId, guard, now);
      }
      return e;
    });
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

  /** Live entries, for the feed. */
  entriesBetween(from: LocalDate, to: LocalDate): { entries: CalendarEntry[]; exceptions: ReturnType<CalendarRepository['exceptionsFor']> } {
    const entries = this.d.entries.activeBetween(from, to);
    return { entries, exceptions: this.d.entries.exceptionsFor(entries.map((e) => e.id)) };
  }

  private replan(e: CalendarEntry, now: number): void {
    // Planned on write up to the horizon; the scheduler extends the horizon as days pass.
    this.d.jobs.cancelSubject(entrySubject(e.id), now, 'entry changed');
    this.d.jobs.schedule(entryReminderRows(e, this.d.entries.exceptionsFor([e.id]), now, now + HORIZON_DAYS * 86_400_000, this.d.tz));
  }
}

