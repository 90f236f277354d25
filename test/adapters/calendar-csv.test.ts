import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { importCalendarCsv, importCalendarFile } from '../../src/adapters/csv/calendar-csv.js';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { es } from '../../src/i18n/es.js';
import { calendarForTools } from '../../src/core.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { SteppingClock, tempDbPath } from '../helpers/harness.js';

const TZ = 'America/Mexico_City';
const EXAMPLE = new URL('../../examples/programa-anual-2027.csv', import.meta.url);
const example = readFileSync(EXAMPLE, 'utf8');
const HEADER = 'fecha,hora,tipo,titulo,responsable,repeticion,dias,hasta,recordatorios,notas';

let db: DB | undefined;
afterEach(() => db?.close());

function setUp(date = '2026-11-22') {
  const path = tempDbPath();
  db = openDatabase(path);
  migrate(db);
  const clock = new SteppingClock(localToEpoch(date, '08:00', TZ)!);
  const { calendar, person } = calendarForTools(db, TZ, clock, createLogger('silent'));
  return { calendar, person, clock, path, db };
}
const entry = (title: string) => db!.prepare('SELECT * FROM calendar_entries WHERE title = ?').get(title) as Record<string, unknown>;
const pendingCodes = (id: unknown) => (db!.prepare(`SELECT json_extract(payload, '$.code') AS code FROM jobs WHERE subject = ? AND state = 'pending' ORDER BY due_at`).all(`entry:${id}`) as { code: string }[]).map((r) => r.code);
const count = () => (db!.prepare('SELECT count(*) AS n FROM calendar_entries').get() as { n: number }).n;

describe('CSV import', () => {
  it('imports a series that has already started (hasta ahead or none); single dates already past are refused', () => {
    const { calendar } = setUp('2027-03-10');
    const r = importCalendarCsv(example, calendar, es);
    expect(r.errors).toEqual([
      { line: 2, message: 'fecha: Esa fecha ya pasó. Elija una fecha futura.' },
      { line: 3, message: 'fecha: Esa fecha ya pasó. Elija una fecha futura.' },
      { line: 6, message: 'fecha: Esa fecha ya pasó. Elija una fecha futura.' },
    ]);
    expect(r.imported).toBe(11);
    const weekly = entry('Publicación y pautas en redes sociales');
    expect(weekly).toMatchObject({ start_date: '2027-01-04', until_date: '2027-12-27' });
    expect(pendingCodes(weekly.id).length).toBeGreaterThan(0);
    expect(entry('Elaboración y difusión de comunicado mensual')).toMatchObject({ start_date: '2027-01-15' });
    // A series that ended is still refused, on its «hasta».
    const ended = importCalendarCsv(`${HEADER}\n2027-01-05,,otro,Serie terminada,,semanal,mar,2027-02-23,,`, calendar, es);
    expect(ended.errors).toEqual([{ line: 2, message: 'hasta: Esa fecha ya pasó. Elija una fecha futura.' }]);
  });

  it('a corrected row updates its entry and replans its reminders; an unchanged file changes nothing', () => {
    // Close enough to 10 February for its reminders to be planned.
    const { calendar, clock, person } = setUp('2027-01-01');
    expect(importCalendarCsv(example, calendar, es, { person })).toMatchObject({ imported: 14, updated: 0, existing: 0, errors: [] });
    const before = entry('Conferencia de prensa');
    expect(pendingCodes(before.id)).toEqual(['week_before', 'day_before', 'hour_before']);
    clock.advance(60_000);
    const corrected = example.replace(
      '2027-02-10,11:00,conferencia de prensa,Conferencia de prensa,,no,,,semana;dia;hora,Programa anual: febrero',
      '2027-02-10,12:30,comunicado,Conferencia de prensa,UOWNER1,no,,,dia;15min,Programa anual: febrero (sede nueva)',
    );
    expect(corrected).not.toBe(example);
    expect(importCalendarCsv(corrected, calendar, es, { person })).toMatchObject({ imported: 0, updated: 1, existing: 13, errors: [] });
    const after = entry('Conferencia de prensa');
    // The Slack id in «responsable» becomes a person of ours, linked to that Slack user.
    const owner = person('UOWNER1');
    expect(db!.prepare(`SELECT external_id FROM person_identities WHERE person_id = ? AND surface = 'slack'`).get(owner)).toEqual({ external_id: 'UOWNER1' });
    expect(after).toMatchObject({ id: before.id, time: '12:30', kind: 'press_release', owner_id: owner, created_by: 'sys:csv-import', notes: 'Programa anual: febrero (sede nueva)', reminders: '["day_before","quarter_before"]' });
    expect(pendingCodes(after.id)).toEqual(['day_before', 'quarter_before']);
    expect(count()).toBe(14);
    expect(importCalendarCsv(corrected, calendar, es, { person })).toMatchObject({ imported: 0, updated: 0, existing: 14, errors: [] });
    // A responsable that names nobody is refused, with the line.
    const bad = importCalendarCsv(`${HEADER}\n2027-02-11,,,Otra,Marcela,,,,,`, calendar, es, { person });
    expect(bad.errors).toEqual([{ line: 2, message: expect.stringContaining('responsable «Marcela» no se reconoce') }]);
  });

  it('the title that identifies a row ignores case, accents and spaces; the same row twice in one file is named', () => {
    const { calendar } = setUp();
    importCalendarCsv(`${HEADER}\n2027-02-10,11:00,,Conferencia de prensa,,,,,,`, calendar, es);
    const r = importCalendarCsv(`${HEADER}\n2027-02-10,11:00,,CONFERENCIA  de  prénsa,,,,,,\n2027-02-10,12:00,,Conferencia de prensa,,,,,,`, calendar, es);
    expect(r).toMatchObject({ updated: 1, imported: 0 });
    expect(r.errors).toEqual([{ line: 3, message: expect.stringContaining('repite la fecha y el título de la línea 2') }]);
    expect(count()).toBe(1);
  });

  it.each([
    ['15/01/2027', '27/12/2027', '2027-01-15', '2027-12-27'],
    ['5/1/2027', '7/6/2027', '2027-01-05', '2027-06-07'],
    ['2027-1-5', '', '2027-01-05', null],
  ])('reads fecha %s and hasta %s as Excel saves them', (fecha, hasta, start, until) => {
    const { calendar } = setUp();
    const r = importCalendarCsv(`${HEADER}\n${fecha},10:00 hrs,,Reunión mensual,,mensual,,${hasta},,`, calendar, es);
    expect(r.errors).toEqual([]);
    expect(entry('Reunión mensual')).toMatchObject({ start_date: start, until_date: until, time: '10:00' });
  });

  it('names a date or time it cannot read', () => {
    const { calendar } = setUp();
    const r = importCalendarCsv(`${HEADER}\n7 de enero,,,A,,,,,,\n2027-01-07,25:00,,B,,,,,,`, calendar, es);
    expect(r.errors).toEqual([
      { line: 2, message: 'fecha «7 de enero» no se entiende (use 2027-01-15 o 15/01/2027).' },
      { line: 3, message: 'hora «25:00» no se entiende (use 10:00, 10 am o 18:30 hrs).' },
    ]);
  });

  it('reads a Windows-1252 file (Excel’s «CSV delimitado por comas») and says so; a UTF-8 BOM is fine', () => {
    const { calendar } = setUp();
    const latin1 = Buffer.from(example, 'latin1'); // every character of the example is in Latin-1
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(latin1)).toThrow();
    const r = importCalendarFile(latin1, calendar, es);
    expect(r).toMatchObject({ imported: 14, errors: [], fileError: null });
    expect(r.warnings).toEqual([expect.stringContaining('se leyó como Windows-1252')]);
    expect(r.warnings[0]).toContain('«CSV UTF-8»');
    expect(entry('Reunión de acercamiento con representantes de medios de comunicación')).toBeTruthy();

    const bom = importCalendarFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(example, 'utf8')]), calendar, es);
    expect(bom).toMatchObject({ existing: 14, errors: [], warnings: [], fileError: null });
  });

  it('a missing required column is reported once, with the unknown ones named; nothing is imported', () => {
    const { calendar } = setUp();
    const r = importCalendarCsv(example.replace(HEADER, 'fecha,hora,tipo,nombre,responsable,repeticion,dias,hasta,recordatorios,notas,color'), calendar, es);
    expect(r.fileError).toBe('Falta la columna obligatoria «titulo» en la primera línea. Nada se importó. Las columnas están en el README y hay un ejemplo en examples/.');
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([expect.stringContaining('Las columnas «nombre», «color» no son conocidas y se ignoran')]);
    expect(count()).toBe(0);
  });

  it('an unknown column is named and ignored; the rest imports', () => {
    const { calendar } = setUp();
    const r = importCalendarCsv(`Fecha;Título;Color\n2027-02-10;Informe;azul`, calendar, es);
    expect(r).toMatchObject({ imported: 1, errors: [], fileError: null });
    expect(r.warnings).toEqual([expect.stringContaining('La columna «Color» no es conocida y se ignora')]);
  });

  it.each([
    ['', 'El archivo está vacío'],
    ['\n\n', 'El archivo está vacío'],
    [`${HEADER}\n`, 'solo tiene la línea de los nombres de las columnas'],
  ])('an empty file (%j) is an error', (text, expected) => {
    const { calendar } = setUp();
    expect(importCalendarCsv(text, calendar, es).fileError).toContain(expected);
  });

  it('csv-parse errors come out in Spanish with their line; lines before an unclosed quote are imported', () => {
    const { calendar } = setUp();
    const r = importCalendarCsv(['fecha,titulo,notas', '2027-02-10,Uno,a', '2027-02-11,Dos, con coma,b', '2027-02-12,Tres,c', '2027-02-13,"Cuatro,d', '2027-02-14,Cinco,e'].join('\n'), calendar, es);
    expect(r.imported).toBe(2);
    expect(r.errors).toEqual([
      { line: 3, message: 'tiene 4 columnas y la primera línea 3. Si un texto lleva comas, enciérrelo entre comillas ("…").' },
      { line: 5, message: expect.stringContaining('unas comillas (") que se abren en esta línea no se cierran') },
    ]);
    const bad = importCalendarCsv(['fecha,titulo', '2027-02-10,Seis', '2027-02-11,Siete "la buena" x', '2027-02-12,Ocho'].join('\n'), calendar, es);
    expect(bad.errors).toEqual([{ line: 3, message: expect.stringContaining('hay comillas (") en medio de un texto') }]);
  });

  it('counts read right in the singular and the plural', () => {
    expect(es.cal.csv.summary('a.csv', { imported: 1, updated: 1, existing: 1, failed: 1 })).toBe('a.csv: 1 fecha importada, 1 actualizada, 1 ya estaba, 1 línea con errores.');
    expect(es.cal.csv.summary('a.csv', { imported: 2, updated: 0, existing: 3, failed: 2 })).toBe('a.csv: 2 fechas importadas, 0 actualizadas, 3 ya estaban, 2 líneas con errores.');
  });
});

describe('npm run calendario:importar', () => {
  const run = async (file: string, dbPath: string) => {
    const tsx = join(dirname(new URL(import.meta.url).pathname), '../../node_modules/.bin/tsx');
    const cli = new URL('../../src/cli/import-calendar.ts', import.meta.url).pathname;
    try {
      const { stdout, stderr } = await promisify(execFile)(tsx, [cli, file], { env: { ...process.env, DATABASE_PATH: dbPath, TIMEZONE: TZ, LOCALE: 'es' } });
      return { code: 0, out: stdout + stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout + x.stderr };
    }
  };

  it('exits 0 when all is imported, 1 when some lines fail, 2 when nothing can be imported', async () => {
    const dir = dirname(tempDbPath());
    const dbPath = join(dir, 'cli.db');
    const ok = join(dir, 'ok.csv');
    writeFileSync(ok, `${HEADER}\n2099-02-10,10 am,,Informe,,,,,,`);
    const some = join(dir, 'some.csv');
    writeFileSync(some, `${HEADER}\n2099-02-11,,,Bueno,,,,,,\n2099-02-12,,bailable,Malo,,,,,,`);
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expect(await run(ok, dbPath)).toEqual({ code: 0, out: `${ok}: 1 fecha importada, 0 actualizadas, 0 ya estaban, 0 líneas con errores.\n` });
    const r1 = await run(some, dbPath);
    expect(r1.code).toBe(1);
    expect(r1.out).toContain('1 fecha importada, 0 actualizadas, 0 ya estaban, 1 línea con errores.\n  línea 3: tipo «bailable» desconocido');
    const r2 = await run(empty, dbPath);
    expect(r2).toEqual({ code: 2, out: expect.stringContaining('El archivo está vacío') });
    expect((await run(join(dir, 'nope.csv'), dbPath)).code).toBe(2);
  }, 30_000);
});
