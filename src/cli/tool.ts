import { readFileSync } from 'node:fs';
import { ConfigError, loadStoreSettings, type Config } from '../config.js';
import { messagesFor, type Messages } from '../i18n/index.js';
import { DatabasePathError, openDatabase, type DB } from '../store/db.js';
import { migrate } from '../store/migrate.js';

export interface ToolRun {
  file: string;
  bytes: Buffer;
  db: DB;
  m: Messages;
  settings: Pick<Config, 'databasePath' | 'timezone' | 'locale'>;
}

/**
 * What every import command does first: read the settings, the file named on the command line and
 * the database (migrated). Any problem is printed in the office's words and gives exit code 2.
 */
export function startImport(argv: string[], env: Record<string, string | undefined>, usage: (m: Messages) => string): ToolRun | 2 {
  let settings;
  try {
    settings = loadStoreSettings(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    return 2;
  }
  const m = messagesFor(settings.locale);
  const file = argv[2];
  if (!file) {
    console.error(usage(m));
    return 2;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    console.error(m.cal.csv.unreadableFile(file, (e as Error).message));
    return 2;
  }
  const db = openStore(settings.databasePath);
  return db === 2 ? 2 : { file, bytes, db, m, settings };
}

/** The database, migrated; a path that cannot be opened is told in the office's words (exit code 2). */
export function openStore(path: string): DB | 2 {
  let db: DB;
  try {
    db = openDatabase(path);
  } catch (e) {
    if (!(e instanceof DatabasePathError)) throw e;
    console.error(e.message);
    return 2;
  }
  try {
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
