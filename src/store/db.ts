import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type DB = Database.Database;

/** Opens the database with the settings every connection needs. `:memory:` works for tests. */
export function openDatabase(path: string): DB {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** A transaction helper that nests: inside an open transaction it just runs the function. */
export function inTransaction<T>(db: DB, fn: () => T): T {
  if (db.inTransaction) return fn();
  return db.transaction(fn).immediate();
}

/** For /healthz: can the database still be read? Returns the error message when not. */
export function checkDatabase(db: DB): string | null {
  try {
    // One row, not a count: /healthz must stay cheap however big the tables get.
    db.prepare('SELECT 1 FROM pieces LIMIT 1').get();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
