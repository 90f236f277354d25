import { parseTypedNumber } from '../../domain/kpis/metrics.js';
import type { KpiService } from '../../domain/kpis/service.js';
import type { ObservationInput } from '../../domain/kpis/types.js';
import { SYSTEM } from '../../domain/people/types.js';
import { addDays, isLocalDate } from '../../domain/shared/time.js';
import { readDate } from '../../domain/calendar/validate.js';
import type { Messages } from '../../i18n/index.js';
import { parseErrorText } from './calendar-csv.js';
import { decodeCsv, readCsvRecords } from './decode.js';

/**
 * Campaign figures from a spreadsheet: `npm run kpi:importar -- archivo.csv`.
 *
 * Columns (header row required, any order, accents and case ignored; UTF-8 or Windows-1252, comma
 * or semicolon): campaña, métrica, fecha (2026-11-20, 20/11/2026 or an Excel date number), valor,
 * fuente (optional; `csv` when empty). Values as offices write them: «12500», «12,500», «$12,500.50»,
 * «12.500,50», «85 %»: a separator followed by exactly three digits groups thousands, a comma or
 * point followed by one or two digits is the decimal mark (so «1,234» is 1234, never 1.234).
 *
 * Good lines are stored in one transaction, bad ones are reported by line number (the header is
 * line 1). The same campaign, metric, date and source replaces what was sent before, so importing
 * the same file again stores nothing new; within a file, a repeated line counts the last.
 */
export const KPI_CSV_COLUMNS = ['campana', 'metrica', 'fecha', 'valor', 'fuente'] as const;
const REQUIRED = ['campana', 'metrica', 'fecha', 'valor'] as const;
const CSV_SOURCE = 'csv';

const key = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

export interface KpiImportReport {
  stored: number;
  replaced: number;
  unchanged: number;
  errors: { line: number; message: string }[];
  /** lines not imported (an unknown campaign is one error, on its first line, for all of them) */
  failedLines: number;
  warnings: string[];
  fileError: string | null;
}

/** Excel keeps dates as days since 1899-12-30 («46346» is 2026-11-20). */
function readCsvDate(text: string): string | null {
  if (/^\d{5}$/.test(text)) {
    const n = Number(text);
    return n > 20000 && n < 80000 ? addDays('1899-12-30', n) : null;
  }
  const d = readDate(text);
  return d && isLocalDate(d) ? d : null;
}

export function importKpiCsv(bytes: Uint8Array, kpis: Pick<KpiService, 'check' | 'record'>, m: Messages): KpiImportReport {
  const c = m.kpiView.csv;
  const report: KpiImportReport = { stored: 0, replaced: 0, unchanged: 0, errors: [], failedLines: 0, warnings: [], fileError: null };
  const { text, encoding } = decodeCsv(bytes);
  if (encoding === 'windows-1252') report.warnings.push(m.cal.csv.windows1252);
  const { records, broken } = readCsvRecords(text);
  const header = records.shift();
  if (!header) return { ...report, fileError: c.empty };
  const names = header.record.map(key);
  const unknown = header.record.filter((col, i) => col && !(KPI_CSV_COLUMNS as readonly string[]).includes(names[i]!));
  if (unknown.length) report.warnings.push(c.unknownColumns(unknown));
  const missing = REQUIRED.filter((col) => !names.includes(col));
  if (missing.length) return { ...report, fileError: c.missingColumns(missing.map((x) => ({ campana: 'campaña', metrica: 'métrica' })[x as string] ?? x)) };
  for (const b of broken) report.errors.push({ line: b.lines, message: parseErrorText(b, names.length, m) });
  if (records.length === 0 && report.errors.length === 0) return { ...report, fileError: c.headerOnly };

  // Rows as observations, the last of a repeated (campaign, metric, date, source) winning.
  const byKey = new Map<string, { line: number; item: ObservationInput }>();
  for (const { record, info: end } of records) {
    // csv-parse counts the line a record ends on; a quoted line break inside it moves its start up.
    const info = { lines: end.lines - record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0) };
    const row: Record<string, string> = {};
    names.forEach((n, i) => (row[n] ??= (record[i] ?? '').trim()));
    const date = row.fecha ? readCsvDate(row.fecha) : '';
    if (date === null) {
      report.errors.push({ line: info.lines, message: c.badDate(row.fecha!) });
      continue;
    }
    const value = row.valor ? parseTypedNumber(row.valor) : null;
    if (row.valor && value === null) {
      report.errors.push({ line: info.lines, message: c.badValue(row.valor) });
      continue;
    }
    const item: ObservationInput = { campaign: row.campana ?? '', metric: row.metrica ?? '', date: date ?? '', value: value ?? row.valor ?? '', source: row.fuente || CSV_SOURCE };
    const k = JSON.stringify([key(item.campaign), key(item.metric), item.date, key(String(item.source))]);
    const earlier = byKey.get(k);
    if (earlier) report.warnings.push(c.repeated(info.lines, earlier.line));
    byKey.set(k, { line: info.lines, item });
  }

  const rows = [...byKey.values()];
  const problems = kpis.check(rows.map((r) => r.item));
  const bad = new Set<number>();
  // A campaign that does not exist is told once, with the lines it is on, not on every line.
  const missingCampaigns = new Map<string, number[]>();
  for (const p of problems) {
    const row = rows[p.index ?? -1];
    if (!row) continue;
    bad.add(p.index!);
    if (p.problem.code === 'unknown_campaign') {
      const lines = missingCampaigns.get(row.item.campaign) ?? [];
      missingCampaigns.set(row.item.campaign, [...lines, row.line]);
      if (lines.length) continue;
    }
    report.errors.push({ line: row.line, message: c.fieldError(m.kpi.field[p.field] ?? p.field, m.kpi.problem(p.problem)) });
  }
  for (const [campaign, lines] of missingCampaigns) if (lines.length > 1) report.warnings.push(c.unknownCampaignLines(campaign, lines.length, lines[0]!, lines.at(-1)!));
  const good = rows.filter((_, i) => !bad.has(i)).map((r) => r.item);
  if (good.length) {
    const r = kpis.record(good, SYSTEM.csvImport);
    if (r.ok) Object.assign(report, { stored: r.stored, replaced: r.replaced, unchanged: r.unchanged });
  }
  report.errors.sort((a, b) => a.line - b.line);
  report.failedLines = new Set([...report.errors.map((e) => e.line), ...[...missingCampaigns.values()].flat()]).size;
  return report;
}
