import type { LocalDate } from '../shared/time.js';
import type { CalendarEntry, EntryEvent, EntryException, EntryInput } from './types.js';

export interface CalendarRepository {
  transaction<T>(fn: () => T): T;
  insert(e: EntryInput, createdBy: string, now: number, importKey?: string | null): { entry: CalendarEntry; created: boolean };
  update(id: number, e: EntryInput, now: number, by?: { actorId?: string | null; expectedVersion?: number | null }): boolean;
  softDelete(id: number, actorId: string, now: number, expectedVersion?: number | null): boolean;
  get(id: number): CalendarEntry | null;
  getWithDeleted(id: number): (CalendarEntry & { deletedAt: number | null; deletedBy: string | null }) | null;
  appendEvent(ev: EntryEvent): void;
  eventAtVersion(entryId: number, versionFrom: number): EntryEvent | null;
  eventByOrigin(originKey: string): EntryEvent | null;
  activeBetween(from: LocalDate, to: LocalDate): CalendarEntry[];
  exceptionsFor(entryIds: readonly number[]): EntryException[];
  setException(x: EntryException): void;
}

export interface PlannedReminder {
  key: string;
  kind: 'entry' | 'piece_alert' | 'digest';
  entryId?: number | null;
  pieceId?: number | null;
  occurrenceDate?: string | null;
  code?: string | null;
  dueAt: number;
}

export interface ReminderPort {
  plan(rows: readonly PlannedReminder[]): number;
  cancelForEntry(entryId: number, now: number, note: string): void;
}
