import type { CalendarEntry, EntryChange, EntryEvent, EntryException, EntryInput, EntryKind, Recurrence, ReminderCode } from '../domain/calendar/types.js';
import type { LocalDate } from '../domain/shared/time.js';
import type { CalendarRepository } from '../domain/calendar/ports.js';
import { inTransaction, type DB } from './db.js';

interface EntryRow {
  id: number;
  title: string;
  kind: string;
  start_date: string;
  time: string | null;
  owner_id: string | null;
  recurrence: string;
  until_date: string | null;
  reminders: string;
  notes: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  version: number;
  updated_by: string | null;
}

const toEntry = (r: EntryRow): CalendarEntry => ({
  id: r.id,
  title: r.title,
  kind: r.kind as EntryKind,
  startDate: r.start_date,
  time: r.time,
  ownerId: r.owner_id,
  recurrence: JSON.parse(r.recurrence) as Recurrence,
  untilDate: r.until_date,
  reminders: JSON.parse(r.reminders) as ReminderCode[],
  notes: r.notes,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
  updatedBy: r.updated_by,
});

const params = (e: EntryInput) => ({
  title: e.title,
  kind: e.kind,
  startDate: e.startDate,
  time: e.time,
  ownerId: e.ownerId,
  recurrence: JSON.stringify(e.recurrence),
  untilDate: e.untilDate,
  reminders: JSON.stringify(e.reminders),
  notes: e.notes,
});

/**
 * Ids of live entries that may have a date in [@from, @to]: series without an end that started,
 * entries whose last date is not before the range, and entries with a date moved into it. Three
 * index seeks (an OR of them would make SQLite read every entry ever created).
 */
const ACTIVE_IDS = `
  SELECT id FROM calendar_entries INDEXED BY calendar_entries_span WHERE deleted_at IS NULL AND last_date IS NULL AND start_date <= @to
  UNION SELECT id FROM calendar_entries INDEXED BY calendar_entries_span WHERE deleted_at IS NULL AND last_date >= @from AND start_date <= @to
  UNION SELECT entry_id FROM calendar_exceptions WHERE action = 'move' AND new_date BETWEEN @from AND @to`;

interface EventRow {
  entry_id: number;
  version_from: number;
  action: EntryChange;
  occurrence_date: string | null;
  actor_id: string;
  origin_key: string | null;
  at: number;
}

const toEvent = (r: EventRow): EntryEvent => ({
  entryId: r.entry_id,
  versionFrom: r.version_from,
  action: r.action,
  occurrenceDate: r.occurrence_date,
  actorId: r.actor_id,
  originKey: r.origin_key,
  at: r.at,
});

export class SqliteCalendarRepository implements CalendarRepository {
  constructor(private readonly db: DB) {}

  transaction<T>(fn: () => T): T {
    return inTransaction(this.db, fn);
  }

  /** Inserts, or returns the entry already imported with the same key. */
  insert(e: EntryInput, createdBy: string, now: number, importKey: string | null = null): { entry: CalendarEntry; created: boolean } {
    const info = this.db
      .prepare(
        `INSERT INTO calendar_entries (title, kind, start_date, time, owner_id, recurrence, until_date, reminders, notes, import_key, created_by, created_at, updated_at, updated_by)
         VALUES (@title, @kind, @startDate, @time, @ownerId, @recurrence, @untilDate, @reminders, @notes, @importKey, @createdBy, @now, @now, @createdBy)
         ON CONFLICT (import_key) DO NOTHING`,
      )
      .run({ ...params(e), importKey, createdBy, now });
    if (info.changes === 1) return { entry: this.get(Number(info.lastInsertRowid))!, created: true };
    const row = this.db.prepare<[string], EntryRow>('SELECT * FROM calendar_entries WHERE import_key = ?').get(importKey ?? '');
    if (!row) throw new Error('calendar insert ignored without an import key conflict');
    return { entry: toEntry(row), created: false };
  }

  /** The entry a CSV row was imported as, live or deleted. */
  byImportKey(importKey: string): { entry: CalendarEntry; deleted: boolean } | null {
    const row = this.db.prepare<[string], EntryRow>('SELECT * FROM calendar_entries WHERE import_key = ?').get(importKey);
    return row ? { entry: toEntry(row), deleted: row.deleted_at !== null } : null;
  }

  /**
   * Writes the entry and bumps its version. With `expectedVersion`, only if the entry is still at
   * that version (false when someone else changed it first), as pieces are written.
   */
  update(id: number, e: EntryInput, now: number, by: { actorId?: string | null; expectedVersion?: number | null } = {}): boolean {
    const info = this.db
      .prepare(
        `UPDATE calendar_entries SET title = @title, kind = @kind, start_date = @startDate, time = @time, owner_id = @ownerId,
           recurrence = @recurrence, until_date = @untilDate, reminders = @reminders, notes = @notes, updated_at = @now,
           version = version + 1, updated_by = coalesce(@actorId, updated_by)
         WHERE id = @id AND deleted_at IS NULL AND (@expectedVersion IS NULL OR version = @expectedVersion)`,
      )
      .run({ ...params(e), id, now, actorId: by.actorId ?? null, expectedVersion: by.expectedVersion ?? null });
    return info.changes === 1;
  }

  /** Soft-deletes and bumps the version; with `expectedVersion`, only at that version. */
  softDelete(id: number, actorId: string, now: number, expectedVersion: number | null = null): boolean {
    const info = this.db
      .prepare(
        `UPDATE calendar_entries SET deleted_at = @now, deleted_by = @actorId, version = version + 1, updated_by = @actorId, updated_at = @now
         WHERE id = @id AND deleted_at IS NULL AND (@expectedVersion IS NULL OR version = @expectedVersion)`,
      )
      .run({ id, actorId, now, expectedVersion });
    return info.changes === 1;
  }

  /** An entry even if deleted: to tell a person with a stale form who deleted it. */
  getWithDeleted(id: number): (CalendarEntry & { deletedAt: number | null; deletedBy: string | null }) | null {
    const r = this.db.prepare<[number], EntryRow & { deleted_by: string | null }>('SELECT * FROM calendar_entries WHERE id = ?').get(id);
    return r ? { ...toEntry(r), deletedAt: r.deleted_at, deletedBy: r.deleted_by } : null;
  }

  appendEvent(ev: EntryEvent): void {
    this.db
      .prepare(
        `INSERT INTO calendar_entry_events (entry_id, version_from, action, occurrence_date, actor_id, origin_key, at)
         VALUES (@entryId, @versionFrom, @action, @occurrenceDate, @actorId, @originKey, @at)`,
      )
      .run(ev);
  }

  /** The change that replaced `versionFrom`: who made a form opened on that version stale. */
  eventAtVersion(entryId: number, versionFrom: number): EntryEvent | null {
    const r = this.db.prepare<[number, number], EventRow>('SELECT * FROM calendar_entry_events WHERE entry_id = ? AND version_from = ?').get(entryId, versionFrom);
    return r ? toEvent(r) : null;
  }

  eventByOrigin(originKey: string): EntryEvent | null {
    const r = this.db.prepare<[string], EventRow>('SELECT * FROM calendar_entry_events WHERE origin_key = ?').get(originKey);
    return r ? toEvent(r) : null;
  }

  /** A live entry (deleted ones are gone for everyone but the audit). */
  get(id: number): CalendarEntry | null {
    const r = this.db.prepare<[number], EntryRow>('SELECT * FROM calendar_entries WHERE id = ? AND deleted_at IS NULL').get(id);
    return r ? toEntry(r) : null;
  }

  /**
   * Live entries that may have occurrences between the two dates: the series that span them, and
   * those with a date moved into them from anywhere (however far, even from a series that ended).
   */
  activeBetween(from: LocalDate, to: LocalDate): CalendarEntry[] {
    return this.db
      .prepare<{ from: string; to: string }, EntryRow>(
        `SELECT * FROM calendar_entries WHERE +deleted_at IS NULL AND id IN (${ACTIVE_IDS}) ORDER BY start_date, id`,
      )
      .all({ from, to })
      .map(toEntry);
  }

  /** The same entries as `activeBetween` (dates moved into the range included), a page at a time by id. */
  activePage(from: LocalDate, to: LocalDate, afterId: number, limit: number): CalendarEntry[] {
    return this.db
      .prepare<{ from: string; to: string; afterId: number; limit: number }, EntryRow>(
        `SELECT * FROM calendar_entries WHERE +deleted_at IS NULL AND id > @afterId AND id IN (${ACTIVE_IDS}) ORDER BY id LIMIT @limit`,
      )
      .all({ from, to, afterId, limit })
      .map(toEntry);
  }

  exceptionsFor(entryIds: readonly number[]): EntryException[] {
    if (entryIds.length === 0) return [];
    const rows = this.db
      .prepare<unknown[], { entry_id: number; occurrence_date: string; action: 'skip' | 'move'; new_date: string | null; new_time: string | null; new_title: string | null }>(
        `SELECT * FROM calendar_exceptions WHERE entry_id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(entryIds));
    return rows.map((r) => ({ entryId: r.entry_id, occurrenceDate: r.occurrence_date, action: r.action, newDate: r.new_date, newTime: r.new_time, newTitle: r.new_title }));
  }

  setException(x: EntryException): void {
    this.db
      .prepare(
        `INSERT INTO calendar_exceptions (entry_id, occurrence_date, action, new_date, new_time, new_title) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (entry_id, occurrence_date) DO UPDATE SET action = excluded.action, new_date = excluded.new_date,
           new_time = excluded.new_time, new_title = excluded.new_title`,
      )
      .run(x.entryId, x.occurrenceDate, x.action, x.newDate, x.newTime, x.newTitle);
  }
}
