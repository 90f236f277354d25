import 'dotenv/config';
import { readFileSync } from 'node:fs';
import { importCalendarCsv } from '../adapters/csv/calendar-csv.js';
import { ConfigError, loadStoreSettings } from '../config.js';
import { CalendarService } from '../domain/calendar/service.js';
import { systemClock } from '../domain/shared/clock.js';
import { RoleService } from '../domain/shared/role-service.js';
import { messagesFor } from '../i18n/index.js';
import { SqliteCalendarRepository } from '../store/calendar-repo.js';
import { DatabasePathError, openDatabase } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { SqliteReminderRepository } from '../store/reminder-repo.js';
import { SqliteRoleRepository } from '../store/role-repo.js';

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
    const roles = new RoleService({ approverIds: [], designerIds: [], adminIds: [] }, new SqliteRoleRepository(db), systemClock);
    const calendar = new CalendarService({ entries: new SqliteCalendarRepository(db), reminders: new SqliteReminderRepository(db), roles, clock: systemClock, tz: settings.timezone });
    const r = importCalendarCsv(text, calendar, messagesFor(settings.locale));
    console.log(`${file}: ${r.imported} fechas importadas, ${r.existing} ya estaban, ${r.errors.length} líneas con errores.`);
    for (const e of r.errors) console.log(`  línea ${e.line}: ${e.message}`);
    return r.errors.length ? 1 : 0;
  } finally {
    db.close();
  }
}

process.exitCode = main();
