import type { PlannedJob } from '../shared/jobs.js';
import { addDays, localDateOf, type LocalDate } from '../shared/time.js';
import { occurrencesOf, reminderTimes } from './recurrence.js';
import type { CalendarEntry, EntryException } from './types.js';

/** How far ahead reminder rows are written; the scheduler extends the window as days pass. */
export const HORIZON_DAYS = 62;
export const REMINDER_KIND = 'calendar.reminder';

/** Reminders can fall up to a week before their occurrence. */
const LONGEST_LEAD_DAYS = 7;

export interface ReminderPayload {
  entryId: number;
  occurrenceDate: LocalDate;
  code: string;
  /** the entry's updatedAt when planned: an edit makes the row stale */
  v: number;
}

/**
 * The key names the entry *as last edited* (updatedAt), so an edit plans fresh rows and the old
 * ones, cancelled, can never fire for the old time.
 */
export const entryReminderKey = (e: CalendarEntry, occurrenceDate: LocalDate, code: string): string =>
  `entry:${e.id}@${e.updatedAt}:${occurrenceDate}:${code}`;

export const entrySubject = (entryId: number): string => `entry:${entryId}`;

/** Reminder rows of an entry due in (from, to]. Pure. */
export function entryReminderRows(e: CalendarEntry, exceptions: readonly EntryException[], from: number, to: number, tz: string): PlannedJob[] {
  const rows: PlannedJob[] = [];
  const first = localDateOf(from, tz);
  const last = addDays(localDateOf(to, tz), LONGEST_LEAD_DAYS);
  for (const o of occurrencesOf(e, exceptions, first, last, tz)) {
    for (const r of reminderTimes(o, e.reminders, tz)) {
      if (r.dueAt <= from || r.dueAt > to) continue;
      const payload: ReminderPayload = { entryId: e.id, occurrenceDate: o.occurrenceDate, code: r.code, v: e.updatedAt };
      rows.push({ kind: REMINDER_KIND, key: entryReminderKey(e, o.occurrenceDate, r.code), subject: entrySubject(e.id), payload: { ...payload }, dueAt: r.dueAt });
    }
  }
  return rows;
}
