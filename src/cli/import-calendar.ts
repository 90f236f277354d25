import 'dotenv/config';
import { readFileSync } from 'node:fs';
import { importCalendarFile } from '../adapters/csv/calendar-csv.js';
import { ConfigError, loadStoreSettings } from '../config.js';
import { calendarForTools } from '../core.js';
import { createLogger } from '../logger.js';
import { systemClock } from '../domain/shared/clock.js';
import { messagesFor } from '../i18n/index.js';
import { DatabasePathError, openDatabase } from '../store/db.js';
import { migrate } from '../store/migrate.js';

/**
 * npm run calendario:importar -- archivo.csv
 * Exit codes: 0 everything imported (or already there); 1 some lines have errors (the others were
 * imported); 2 nothing could be imported (no file, unreadable, empty, required columns missing, bad config).
 */
function main(): number {
  const file = process.argv[2];
  const settings = (() => {
    try {
      return loadStoreSettings(process.env);
    } catch (e) {
      if (e instanceof ConfigError) {
        console.error(e.message);
        return null;
      }
      throw e;
    }
  })();
  if (!settings) return 2;
  const m = messagesFor(settings.locale);
  if (!file) {
    console.error(m.cal.csv.usage);
    return 2;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    console.error(m.cal.csv.unreadableFile(file, (e as Error).message));
    return 2;
  }
  let db;
  try {
    db = openDatabase(settings.databasePath);
  } catch (e) {
    if (e instanceof DatabasePathError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  try {
    migrate(db);
    const { calendar, person } = calendarForTools(db, settings.timezone, systemClock, createLogger('warn'));
    const r = importCalendarFile(bytes, calendar, m, { person });
    for (const w of r.warnings) console.log(w);
    if (r.fileError) {
      console.error(`${file}: ${r.fileError}`);
      return 2;
    }
    const failed = new Set(r.errors.map((e) => e.line)).size;
    console.log(m.cal.csv.summary(file, { imported: r.imported, updated: r.updated, existing: r.existing, failed }));
    for (const e of r.errors) console.log(`  ${m.cal.csv.line(e.line, e.message)}`);
    return r.errors.length ? 1 : 0;
  } finally {
    db.close();
  }
}

process.exitCode = main();
