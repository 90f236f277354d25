/**
 * Seeding the bot's SQLite file before it starts, through the store (migrations + repositories),
 * never through the app. Reading results back is tolerant of the schema changing underneath.
 */
import Database from 'better-sqlite3';
import type { EntryInput, Recurrence } from '../../src/domain/calendar/types.js';
import { defaultReminders } from '../../src/domain/calendar/validate.js';
import { SqliteCalendarRepository } from '../../src/store/calendar-repo.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { SqlitePieceRepository } from '../../src/store/piece-repo.js';
import { SqlitePeopleRepository } from '../../src/store/people-repo.js';
import { BOT_USERS } from './bot.js';

/** A new database file with every migration applied, open for seeding. Close it before the bot starts. */
export function createDatabase(path: string): DB {
  const db = openDatabase(path);
  migrate(db);
  return db;
}

const isoDate = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** The person of ours behind a bench Slack user (the bot stores people, not Slack ids). */
export const personOf = (db: DB, slackUserId: string): string => new SqlitePeopleRepository(db).ensure('slack', slackUserId);

/**
 * `n` repeating entries, as an office's yearly programme looks: weekly on one to five weekdays,
 * monthly, yearly; half timed, half all-day; the default reminders; series that started up to a
 * year ago and some that start in the coming weeks. No reminder rows are planned here.
 */
export function seedRepeatingEntries(db: DB, n: number, now = Date.now()): void {
  const entries = new SqliteCalendarRepository(db);
  const weekdaySets = [[1], [2, 4], [1, 3, 5], [1, 2, 3, 4, 5], [6]];
  entries.transaction(() => {
    for (let i = 0; i < n; i++) {
      const shape = i % 6;
      const recurrence: Recurrence =
        shape <= 2 ? { freq: 'weekly', weekdays: weekdaySets[i % weekdaySets.length]! } : shape === 3 || shape === 4 ? { freq: 'monthly' } : { freq: 'yearly' };
      const time = i % 2 === 0 ? `${String(8 + (i % 10)).padStart(2, '0')}:${i % 4 === 0 ? '00' : '30'}` : null;
      // Most series already run (started up to a year ago); one in five starts within 30 days.
      const startOffsetDays = i % 5 === 0 ? i % 30 : -(i % 365);
      const input: EntryInput = {
        title: `Entrada repetida ${i}`,
        kind: i % 3 === 0 ? 'press_conference' : i % 3 === 1 ? 'post' : 'meeting',
        startDate: isoDate(now + startOffsetDays * 86_400_000),
        time,
        ownerId: personOf(db, BOT_USERS.author),
        recurrence,
        untilDate: null,
        reminders: defaultReminders(time),
        notes: null,
      };
      entries.insert(input, personOf(db, BOT_USERS.author), now);
    }
  });
}

/** `n` pieces waiting for content review, each with its creation event. Returns their ids. */
export function seedPiecesInReview(db: DB, n: number, now = Date.now()): number[] {
  const repo = new SqlitePieceRepository(db);
  const ids: number[] = [];
  repo.transaction(() => {
    for (let i = 0; i < n; i++) {
      const authorId = personOf(db, i % 2 ? BOT_USERS.author : 'UAUTHOR2');
      const { piece } = repo.insert(
        { title: `Pieza ${i}`, body: 'Texto de la pieza '.repeat(10), kind: 'post', networks: ['facebook'], plannedAt: now + 86_400_000, plannedHasTime: true, materialsUrl: null, needsDesign: false, authorId, platform: 'slack', stage: 'content_review', originKey: null },
        now,
      );
      repo.appendEvent({ pieceId: piece.id, versionFrom: 0, event: 'submit', fromStage: 'draft', toStage: 'content_review', actorId: authorId, reason: null, data: {}, platform: 'slack', at: now });
      ids.push(piece.id);
    }
  });
  return ids;
}

/** A read-only look at the bot's file while it runs (WAL: the bot keeps writing). */
export function openReadOnly(path: string): DB {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Rows of timed work the bot has written, per table. Tolerant of the schema: today the table is
 * `reminders`; the scheduler is becoming a generic `jobs` table. Whichever exists is counted.
 */
export function countTimedRows(path: string): Record<string, number> {
  const db = openReadOnly(path);
  try {
    const out: Record<string, number> = {};
    for (const table of ['reminders', 'jobs']) {
      const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
      if (exists) out[table] = (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    }
    return out;
  } finally {
    db.close();
  }
}
