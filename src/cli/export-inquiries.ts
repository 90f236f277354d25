import 'dotenv/config';
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { inquiriesCsv } from '../adapters/csv/inquiry-csv.js';
import { ConfigError, loadStoreSettings } from '../config.js';
import { addDays, isLocalDate, localToEpoch } from '../domain/shared/time.js';
import { messagesFor } from '../i18n/index.js';
import { SqliteInquiryRepository } from '../store/inquiry-repo.js';
import { SqlitePeopleRepository } from '../store/people-repo.js';
import { openStore } from './tool.js';

/**
 * npm run consultas:exportar -- --desde 2026-01-01 --hasta 2026-12-31 [--anonimizar] [--salida archivo.csv]
 * The inquiries received between those dates (office time, both included) and every event of each,
 * one row per event. `--salida -` writes to standard output. Exit codes: 0 written; 2 bad options,
 * bad settings or a database or file that cannot be opened.
 */
function main(argv: string[]): number {
  let settings;
  try {
    settings = loadStoreSettings(process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    return 2;
  }
  const t = messagesFor(settings.locale).inq.export;
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { desde: { type: 'string' }, hasta: { type: 'string' }, anonimizar: { type: 'boolean', default: false }, salida: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (e) {
    const flag = /'([^']+)'/.exec((e as Error).message)?.[1] ?? '';
    console.error(flag ? t.unknownFlag(flag) : (e as Error).message);
    console.error(t.usage);
    return 2;
  }
  const { desde, hasta, anonimizar } = values;
  if (!desde || !hasta) {
    console.error(t.usage);
    return 2;
  }
  for (const [flag, v] of [['--desde', desde], ['--hasta', hasta]] as const) {
    if (!isLocalDate(v)) {
      console.error(t.badDate(flag, v));
      return 2;
    }
  }
  if (hasta < desde) {
    console.error(t.badRange(desde, hasta));
    return 2;
  }
  const out = values.salida ?? `consultas-${desde}-${hasta}${anonimizar ? '-anonimizado' : ''}.csv`;
  // A mistyped DATABASE_PATH must not read as «no inquiries»: an export never creates a database.
  if (!existsSync(settings.databasePath)) {
    console.error(t.noDatabase(settings.databasePath));
    return 2;
  }
  const db = openStore(settings.databasePath);
  if (db === 2) return 2;
  try {
    const repo = new SqliteInquiryRepository(db);
    const people = new SqlitePeopleRepository(db);
    const inquiries = repo.receivedBetween(localToEpoch(desde, null, settings.timezone)!, localToEpoch(addDays(hasta, 1), null, settings.timezone)!);
    const events = repo.eventsOf(inquiries.map((i) => i.id));
    const names = new Map<string, string>();
    const nameOf = (id: string): string => {
      if (!names.has(id)) names.set(id, people.label(id));
      return names.get(id)!;
    };
    const csv = inquiriesCsv(inquiries, events, { tz: settings.timezone, anonymize: anonimizar ?? false, nameOf });
    try {
      if (out === '-') process.stdout.write(csv);
      else writeFileSync(out, csv);
    } catch (e) {
      console.error(t.cannotWrite(out, (e as Error).message));
      return 2;
    }
    (out === '-' ? console.error : console.log)(t.done(out, inquiries.length, events.length, anonimizar ?? false));
    return 0;
  } finally {
    db.close();
  }
}

process.exitCode = main(process.argv.slice(2));
