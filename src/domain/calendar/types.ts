import type { LocalDate } from '../shared/time.js';

export const ENTRY_KINDS = [
  'press_release',
  'press_conference',
  'post',
  'paid_promotion',
  'coverage',
  'commemoration',
  'meeting',
  'other',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export type Recurrence =
  | { freq: 'none' }
  | { freq: 'weekly'; weekdays: number[] } // ISO weekdays 1..7
  | { freq: 'monthly' } // on the start date's day of the month (months without that day are skipped, as in RFC 5545)
  | { freq: 'yearly' };

/** When to remind, relative to an occurrence. 09:00 is in the office's time zone. */
export const REMINDER_CODES = ['week_before', 'day_before', 'same_day', 'hour_before', 'quarter_before'] as const;
export type ReminderCode = (typeof REMINDER_CODES)[number];
export const REMINDER_HOUR = '09:00';

export interface CalendarEntry {
  id: number;
  title: string;
  kind: EntryKind;
  startDate: LocalDate;
  time: string | null; // HH:mm, null = all day
  ownerId: string | null;
  recurrence: Recurrence;
  untilDate: LocalDate | null;
  reminders: ReminderCode[];
  notes: string | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** Bumped by every change (series edit, a date moved or removed, deletion); forms carry it. */
  version: number;
  updatedBy: string | null;
}

/** What changed an entry, recorded under the version it replaced. */
export type EntryChange = 'edit_series' | 'move_occurrence' | 'skip_occurrence' | 'delete_series';
export interface EntryEvent {
  entryId: number;
  versionFrom: number;
  action: EntryChange;
  occurrenceDate: LocalDate | null;
  actorId: string;
  /** the form that made the change, so a replayed submission is recognised */
  originKey: string | null;
  at: number;
}

/** One occurrence changed or removed without touching the series. */
export interface EntryException {
  entryId: number;
  occurrenceDate: LocalDate; // the date the series would have put it on
  action: 'skip' | 'move';
  newDate: LocalDate | null;
  newTime: string | null;
  newTitle: string | null;
}

export interface Occurrence {
  entryId: number;
  occurrenceDate: LocalDate; // identity within the series
  date: LocalDate; // where it actually falls
  time: string | null;
  title: string;
  kind: EntryKind;
  ownerId: string | null;
  startsAt: number; // epoch ms (local midnight for all-day)
  recurring: boolean;
}

export type EntryInput = Omit<CalendarEntry, 'id' | 'createdBy' | 'createdAt' | 'updatedAt' | 'version' | 'updatedBy'>;
