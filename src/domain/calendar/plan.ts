import { addDays, type LocalDate } from '../shared/time.js';
import type { PlannedReminder } from './ports.js';
import { occurrencesOf, reminderTimes } from './recurrence.js';
import type { CalendarEntry, EntryException } from './types.js';

/** How far ahead reminder rows are written; a periodic planner keeps the window moving. */
export const HORIZON_DAYS = 62;

/**
 * The key names the entry *as last edited* (updatedAt), so an edit plans fresh rows and the old
 * ones, cancelled, can never fire for the old time.
 */
export const entryReminderKey = (e: CalendarEntry, occurrenceDate: LocalDate, code: string): string =>
  `entry:${e.id}@${e.updatedAt}:${occurrenceDate}:${code}`;

/** Reminder rows for an entry's occurrences from `today` on, due after `now`. Pure. */
export function entryReminderRows(e: CalendarEntry, exceptions: readonly EntryException[], today: LocalDate, now: number, tz: string): PlannedReminder[] {
  const rows: PlannedReminder[] = [];
  // Reminders can fall up to a week before the occurrence: look a week past the horizon.
  for (const o of occurrencesOf(e, exceptions, today, addDays(today, HORIZON_DAYS + 7), tz)) {
    for (const r of reminderTimes(o, e.reminders, tz)) {
      if (r.dueAt <= now || r.dueAt > now + HORIZON_DAYS * 86_400_000) continue;
      rows.push({ key: entryReminderKey(e, o.occurrenceDate, r.code), kind: 'entry', entryId: e.id, occurrenceDate: o.occurrenceDate, code: r.code, dueAt: r.dueAt });
    }
  }
  return rows;
}
