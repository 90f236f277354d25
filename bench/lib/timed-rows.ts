/**
 * The one place the benches write timed work rows directly. Today that is the `reminders` table
 * (through its repository); the scheduler is becoming a registry of job kinds over one generic
 * `jobs` table of due rows, and then only these two functions change.
 */
import { SqliteCalendarRepository } from '../../src/store/calendar-repo.js';
import type { DB } from '../../src/store/db.js';
import { SqliteReminderRepository } from '../../src/store/reminder-repo.js';
import { BOT_USERS } from './bot.js';

/** `n` pending reminder rows of one far-future entry, one second apart from an hour from `now`. */
export function seedFutureReminders(db: DB, n: number, now = Date.now()): void {
  const entries = new SqliteCalendarRepository(db);
  const reminders = new SqliteReminderRepository(db);
  db.transaction(() => {
    const { entry } = entries.insert(
      { title: 'Conferencia de prensa', kind: 'press_conference', startDate: '2099-01-01', time: '10:00', ownerId: BOT_USERS.author, recurrence: { freq: 'none' }, untilDate: null, reminders: [], notes: null },
      BOT_USERS.author,
      now,
    );
    const rows = [];
    for (let i = 0; i < n; i++) rows.push({ key: `bench:${i}`, kind: 'entry' as const, entryId: entry.id, occurrenceDate: '2099-01-01', code: 'day_before', dueAt: now + 3_600_000 + i * 1000 });
    reminders.plan(rows);
  })();
}

/**
 * One digest row per due time (digest rows re-check nothing but the channel, so each one becomes
 * exactly one message to DIGEST_CHANNEL_ID). Keys differ so none is merged with another.
 */
export function seedDueDigests(db: DB, dueTimes: readonly number[]): void {
  const reminders = new SqliteReminderRepository(db);
  db.transaction(() => {
    reminders.plan(dueTimes.map((dueAt, i) => ({ key: `digest:bench-${i}`, kind: 'digest' as const, occurrenceDate: new Date(dueAt).toISOString().slice(0, 10), dueAt })));
  })();
}
