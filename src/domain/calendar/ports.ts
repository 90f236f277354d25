import type { LocalDate } from '../shared/time.js';
import type { CalendarEntry, EntryEvent, EntryException, EntryInput } from './types.js';

export interface CalendarRepository {
  transaction<T>(fn: () => T): T;
  insert(e: EntryInput, createdBy: string, now: number, importKey?: string | null): { entry: CalendarEntry; created: boolean };
  byImportKey(importKey: string): { entry: CalendarEntry; deleted: boolean } | null;
  update(id: number, e: EntryInput, now: number, by?: { actorId?: string | null; expectedVersion?: number | null }): boolean;
  softDelete(id: number, actorId: string, now: number, expectedVersion?: number | null): boolean;
  get(id: number): CalendarEntry | null;
  getWithDeleted(id: number): (CalendarEntry & { deletedAt: number | null; deletedBy: string | null }) | null;
  appendEvent(ev: EntryEvent): void;
  eventAtVersion(entryId: number, versionFrom: number): EntryEvent | null;
  eventByOrigin(originKey: string): EntryEvent | null;
  activeBetween(from: LocalDate, to: LocalDate): CalendarEntry[];
  /** The same entries a page at a time, by id after `afterId` (for planning in slices). */
  activePage(from: LocalDate, to: LocalDate, afterId: number, limit: number): CalendarEntry[];
  exceptionsFor(entryIds: readonly number[]): EntryException[];
  setException(x: EntryException): void;
}

export interface DigestSubscriptions {
  subscribers(): string[];
}
