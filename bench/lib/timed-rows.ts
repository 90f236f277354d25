/**
 * The one place the benches write timed work directly into the bot's `jobs` table (the generic
 * table of due rows every feature's job kinds share).
 */
import { localDateOf, localTimeOf } from '../../src/domain/shared/time.js';
import { SqliteCalendarRepository } from '../../src/store/calendar-repo.js';
import type { DB } from '../../src/store/db.js';
import { SqliteJobRepository } from '../../src/store/job-repo.js';
import { BOT_USERS, BOT_TZ } from './bot.js';
import { personOf } from './seed.js';

/**
 * Rows are planned with the settings they depend on; the bot drops rows planned with others at
 * start. Reminders depend on the office's zone and the runtime's time-zone data (the same node).
 */
const reminderPlannedWith = `${BOT_TZ}|${process.versions.tz ?? 'unknown'}`;

/** `n` pending reminder rows of one far-future entry, one second apart from an hour from `now`. */
export function seedFutureReminders(db: DB, n: number, now = Date.now()): void {
  const entries = new SqliteCalendarRepository(db);
  const jobs = new SqliteJobRepository(db);
  const author = personOf(db, BOT_USERS.author);
  db.transaction(() => {
    const { entry } = entries.insert(
      { title: 'Conferencia de prensa', kind: 'press_conference', startDate: '2099-01-01', time: '10:00', ownerId: author, recurrence: { freq: 'none' }, untilDate: null, reminders: [], notes: null },
      author,
      now,
    );
    const rows = [];
    for (let i = 0; i < n; i++) {
      rows.push({ kind: 'calendar.reminder', key: `bench:${i}`, subject: `entry:${entry.id}`, payload: { entryId: entry.id, occurrenceDate: '2099-01-01', code: 'day_before', v: entry.updatedAt }, dueAt: now + 3_600_000 + i * 1000 });
    }
    jobs.insert(rows, () => reminderPlannedWith, now);
  })();
}

/**
 * Entries whose «15 minutes before» reminder is due at each of `dueTimes` (whole minutes, as the
 * calendar's times are): the bot plans them itself at start, and each becomes one direct message
 * to the author. Returns how many reminders are due at each time.
 */
export function seedDueReminders(db: DB, dueTimes: readonly number[], now = Date.now()): void {
  const entries = new SqliteCalendarRepository(db);
  const author = personOf(db, BOT_USERS.author);
  db.transaction(() => {
    dueTimes.forEach((dueAt, i) => {
      const startsAt = dueAt + 15 * 60_000;
      entries.insert(
        { title: `Muestra ${i}`, kind: 'meeting', startDate: localDateOf(startsAt, BOT_TZ), time: localTimeOf(startsAt, BOT_TZ), ownerId: author, recurrence: { freq: 'none' }, untilDate: null, reminders: ['quarter_before'], notes: null },
        author,
        now,
      );
    });
  })();
}
