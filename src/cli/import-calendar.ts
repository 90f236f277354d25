import 'dotenv/config';
import { readFileSync } from 'node:fs';
import { importCalendarCsv } from '../adapters/csv/calendar-csv.js';
import { ConfigError, loadStoreSettings } from '../config.js';
import { calendarForTools } from '../core.js';
import { createLogger } from '../logger.js';
import { systemClock } from '../domain/shared/clock.js';
import { messagesFor } from '../i18n/index.js';
import { openDatabase } from '../store/db.js';
import { migrate } from '../store/migrate.js';

/** npm run calendario:importar -- archivo.csv */
function main(): number {
  const file = process.argv[2];
  if (!file) {
    console.error('Uso: npm run calendario:importar -- archivo.csv   (columnas en el README, ejemplo en examples/)');
    return 2;
  }
  let settings;
  try {
    settings = loadStoreSettings(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`No se pudo leer ${file}: ${(e as Error).message}`);
    return 2;
  }
  const db = openDatabase(settings.databasePath);
  try {
    migrate(db);
    const calendar = calendarForTools(db, settings.timezone, systemClock, createLogger('warn'));
    const r = importCalendarCsv(text, calendar, messagesFor(settings.locale));
    console.log(`${file}: ${r.imported} fechas importadas, ${r.existing} ya estaban, ${r.errors.length} líneas con errores.`);
    for (const e of r.errors) console.log(`  línea ${e.line}: ${e.message}`);
    return r.errors.length ? 1 : 0;
  } finally {
    db.close();
  }
}

process.exitCode = main();
