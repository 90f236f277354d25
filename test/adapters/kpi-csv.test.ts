import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { importKpiCsv } from '../../src/adapters/csv/kpi-csv.js';
import { kpisForTools } from '../../src/core.js';
import type { KpiService } from '../../src/domain/kpis/service.js';
import { messagesFor } from '../../src/i18n/index.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';

const m = messagesFor('es');
let db: DB;
let kpis: KpiService;
const clock = { now: () => Date.parse('2027-03-20T18:00:00Z') };

beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db);
  kpis = kpisForTools(db, { tz: 'America/Mexico_City', kpiPlace: true, reportTime: '09:00' }, clock, pino({ level: 'silent' }));
  expect(kpis.define('8m', { name: 'Campaña 8M', start: '2027-03-01', end: '2027-03-31', budget: 150000, targets: [{ metric: 'donaciones', value: 600000 }] }, 'p1').ok).toBe(true);
});

const value = (metric: string, date = '2027-03-14') => kpis.summary(kpis.campaign('8m')!, date).metrics.find((x) => x.metric.key === metric)?.value ?? null;

describe('kpi:importar', () => {
  it('imports the example file (semicolons, decimal commas, dd/mm/yyyy), and a second import stores nothing new', () => {
    const bytes = readFileSync('examples/kpis-8m.csv');
    const r = importKpiCsv(bytes, kpis, m);
    expect(r).toMatchObject({ stored: 70, replaced: 0, errors: [], fileError: null });
    // 14 days of 15,000.50 + 250 × (0,1,2,3,0,1,2,3,…): 14 × 15,000.50 + 250 × (0+1+2+3)×3 + 250 × (0+1) = 210,007 + 4,750
    expect(value('donaciones')).toBe(21_475_700);
    const again = importKpiCsv(bytes, kpis, m);
    expect(again).toMatchObject({ stored: 0, replaced: 70, unchanged: 70 });
    expect(value('donaciones')).toBe(21_475_700);
  });

  it('reads Windows-1252, commas with quoted thousands, Excel date numbers; reports bad lines by number and imports the rest', () => {
    const text = [
      'Campaña,Métrica,Fecha,Valor,Fuente',
      '8m,donaciones,2027-03-01,"12,500.50",crm',
      '8m,donaciones,46449,1000,crm', // Excel: 2027-03-03
      '8m,llamadas,2027-03-02,-3,crm',
      '8m,llamadas,2027-04-02,3,crm',
      '9x,llamadas,2027-03-02,3,crm',
      '8m,retencion,2027-03-02,85 %,encuesta',
      '8m,alcance,ayer,3,meta',
      '8m,alcance,2027-03-02,muchos,meta',
    ].join('\r\n');
    const r = importKpiCsv(Buffer.from(text, 'latin1'), kpis, m);
    expect(r.warnings[0]).toContain('Windows-1252');
    expect(r.errors).toEqual([
      { line: 4, message: 'valor: No puede ser negativo.' },
      { line: 5, message: 'fecha: La fecha está fuera de la campaña (del 2027-03-01 al 2027-03-31).' },
      { line: 6, message: 'campaña: No existe esa campaña. Campañas: 8m.' },
      { line: 8, message: 'fecha «ayer» no se entiende (use 2026-11-20, 20/11/2026 o la fecha de Excel).' },
      { line: 9, message: 'valor «muchos» no se entiende (use 12500, 12,500.50, 12.500,50 o 85 %).' },
    ]);
    expect(r.stored).toBe(3);
    expect(value('donaciones')).toBe(1_250_050 + 100_000);
    expect(value('retencion')).toBe(8500);
  });

  it('keeps physical line numbers across quoted line breaks; a repeated line counts the last, with a warning', () => {
    const text = 'campana,metrica,fecha,valor,fuente,nota\n8m,llamadas,2027-03-01,10,crm,"dos\nlíneas"\n8m,llamadas,2027-03-01,12,crm,\n8m,llamadas,2027-03-02,-1,crm,\n';
    const r = importKpiCsv(Buffer.from(text), kpis, m);
    expect(r.warnings).toContain('La columna «nota» no se conoce y se ignora. Las columnas posibles son: campaña, métrica, fecha, valor, fuente.');
    expect(r.warnings).toContain('La línea 4 repite la campaña, la métrica, la fecha y la fuente de la línea 2: cuenta la última.');
    expect(r.errors).toEqual([{ line: 5, message: 'valor: No puede ser negativo.' }]);
    expect(value('llamadas', '2027-03-01')).toBe(1200);
  });

  it('a campaign that does not exist is told once, with how many lines it kept out', () => {
    const text = 'campaña,métrica,fecha,valor\n9x,llamadas,2027-03-01,1\n9x,llamadas,2027-03-02,1\n8m,llamadas,2027-03-02,4\n9x,llamadas,2027-03-03,1\n';
    const r = importKpiCsv(Buffer.from(text), kpis, m);
    expect(r.errors).toEqual([{ line: 2, message: 'campaña: No existe esa campaña. Campañas: 8m.' }]);
    expect(r.warnings).toContain('La campaña «9x» no existe: 3 líneas (de la 2 a la 5) no se importaron. Créela con la API de métricas e importe el archivo de nuevo.');
    expect(r).toMatchObject({ failedLines: 3, stored: 1 });
  });

  it('an empty file, a header alone or a missing column import nothing and say why', () => {
    expect(importKpiCsv(Buffer.from(''), kpis, m).fileError).toContain('El archivo está vacío');
    expect(importKpiCsv(Buffer.from('campaña,métrica,fecha,valor\n'), kpis, m).fileError).toContain('solo tiene la línea de los nombres');
    expect(importKpiCsv(Buffer.from('campaña,fecha,valor\n8m,2027-03-01,3\n'), kpis, m).fileError).toBe('Falta la columna obligatoria «métrica» en la primera línea. Nada se importó.');
  });

  it('the command line: exit 1 with the summary and the bad lines; the bot would deliver the alerts it raised', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vb-kpi-cli-'));
    const dbPath = join(dir, 'cli.db');
    const file = join(dir, 'cifras.csv');
    const d = openDatabase(dbPath);
    migrate(d);
    kpisForTools(d, { tz: 'America/Mexico_City', kpiPlace: true, reportTime: '09:00' }, { now: () => Date.now() }, pino({ level: 'silent' })).define('8m', { name: '8M', start: '2020-01-01', end: '2099-12-31', budget: 1000, targets: [] }, 'p1');
    d.close();
    writeFileSync(file, 'campaña;métrica;fecha;valor\n8m;gasto;2026-11-20;950\n8m;llamadas;2026-11-20;-1\n');
    let out = '';
    let code = 0;
    try {
      out = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/import-kpis.ts', file], { env: { ...process.env, DATABASE_PATH: dbPath, SLACK_BOT_TOKEN: 'xoxb-test', KPI_CHANNEL_ID: 'CKPI' }, encoding: 'utf8' });
    } catch (e) {
      code = (e as { status: number }).status;
      out = String((e as { stdout: string }).stdout);
    }
    expect(code).toBe(1);
    expect(out).toContain('cifras.csv: 1 cifra nueva, 0 reemplazadas (0 con otro valor), 1 línea con errores.');
    expect(out).toContain('línea 3: valor: No puede ser negativo.');
    const check = openDatabase(dbPath);
    const rows = check.prepare("SELECT payload FROM outbox WHERE kind = 'kpi_alert'").all() as { payload: string }[];
    check.close();
    // 950 of 1,000 is 95 %; at that pace over decades the spend would end far over the budget.
    expect(rows.map((r) => JSON.parse(r.payload).alert).sort()).toEqual(['budget_90', 'budget_projected']);
    expect(rows.map((r) => JSON.parse(r.payload).to)).toEqual([{ place: 'kpi' }, { place: 'kpi' }]);
  }, 30_000);

  it('in a Teams-only office without a KPI channel the alerts of an import go to the admins named in ADMIN_IDS, for the bot to deliver', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-teams-'));
    const dbPath = join(dir, 'bot.db');
    const file = join(dir, 'cifras.csv');
    const d = openDatabase(dbPath);
    migrate(d);
    kpisForTools(d, { tz: 'America/Mexico_City', kpiPlace: false, reportTime: '09:00' }, { now: () => Date.now() }, pino({ level: 'silent' })).define('8m', { name: '8M', start: '2020-01-01', end: '2099-12-31', budget: 1000, targets: [] }, 'p1');
    d.close();
    writeFileSync(file, 'campaña;métrica;fecha;valor\n8m;gasto;2026-11-20;950\n');
    const env = { ...process.env, DATABASE_PATH: dbPath, SLACK_BOT_TOKEN: '', KPI_CHANNEL_ID: '', TEAMS: 'on', TEAMS_KPI_CHANNEL_ID: '', ADMIN_IDS: 'eva@oficina.gob.mx' };
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/import-kpis.ts', file], { env, encoding: 'utf8' });
    const check = openDatabase(dbPath);
    const rows = check.prepare("SELECT lane, payload FROM outbox WHERE kind = 'kpi_alert'").all() as { lane: string; payload: string }[];
    const eva = check.prepare("SELECT id FROM people WHERE email = 'eva@oficina.gob.mx'").pluck().get();
    check.close();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.lane === 'route' && JSON.parse(r.payload).to.person === eva)).toBe(true);
  }, 30_000);
});
