import 'dotenv/config';
import { importCalendarFile } from '../adapters/csv/calendar-csv.js';
import { calendarForTools } from '../core.js';
import { createLogger } from '../logger.js';
import { systemClock } from '../domain/shared/clock.js';
import { startImport } from './tool.js';

/**
 * npm run calendario:importar -- archivo.csv
 * Exit codes: 0 everything imported (or already there); 1 some lines have errors (the others were
 * imported); 2 nothing could be imported (no file, unreadable, empty, required columns missing, bad config).
 */
function main(): number {
  const run = startImport(process.argv, process.env, (m) => m.cal.csv.usage);
  if (run === 2) return 2;
  const { file, bytes, db, m, settings } = run;
  try {
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
