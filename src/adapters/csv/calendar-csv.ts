import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { CalendarService } from '../../domain/calendar/service.js';
import type { ReminderCode } from '../../domain/calendar/types.js';
import type { RawEntryInput } from '../../domain/calendar/validate.js';
import type { Messages } from '../../i18n/index.js';

/**
 * CSV columns (header row required, names as below, any order; UTF-8, comma or semicolon):
 *   fecha         YYYY-MM-DD (required)
 *   hora          HH:MM, empty = all day
 *   tipo          comunicado | conferencia de prensa | publicación | pauta | cobertura | efeméride | reunión | otro
 *   titulo        text (required)
 *   responsable   Slack user id (U…), optional
 *   repeticion    no | semanal | mensual | anual
 *   dias          for semanal: lun,mar,mie,jue,vie,sab,dom (or 1-7)
 *   hasta         YYYY-MM-DD, last date of a repeating entry
 *   recordatorios semana;dia;mismo_dia;hora;15min — empty = the defaults
 *   notas         free text
 */
export const CSV_COLUMNS = ['fecha', 'hora', 'tipo', 'titulo', 'responsable', 'repeticion', 'dias', 'hasta', 'recordatorios', 'notas'] as const;

const RECURRENCE: Record<string, string> = { '': 'none', no: 'none', ninguna: 'none', semanal: 'weekly', mensual: 'monthly', anual: 'yearly' };
const DAYS: Record<string, number> = { lun: 1, mar: 2, mie: 3, mié: 3, jue: 4, vie: 5, sab: 6, sáb: 6, dom: 7 };
const REMINDERS: Record<string, ReminderCode> = { semana: 'week_before', dia: 'day_before', día: 'day_before', mismo_dia: 'same_day', mismo_día: 'same_day', hora: 'hour_before', '15min': 'quarter_before' };

/** Domain field → the CSV column a person sees. */
const COLUMN: Record<string, string> = { title: 'titulo', date: 'fecha', time: 'hora', kind: 'tipo', owner: 'responsable', recurrence: 'repeticion', weekdays: 'dias', until: 'hasta', reminders: 'recordatorios' };

const norm = (s: string | undefined) => (s ?? '').trim();
const key = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export interface ImportReport {
  imported: number;
  existing: number;
  errors: { line: number; message: string }[];
}

type Row = Record<string, string>;

function toRaw(row: Row, m: Messages): RawEntryInput | string {
  const kindWord = key(norm(row.tipo));
  const kinds = Object.fromEntries(Object.entries(m.cal.kindWords).map(([w, k]) => [key(w), k]));
  const kind = kindWord ? kinds[kindWord] : 'other';
  if (!kind) return `tipo «${norm(row.tipo)}» desconocido (use: ${Object.values(m.cal.kind).join(', ')})`;
  const recurrence = RECURRENCE[key(norm(row.repeticion))];
  if (!recurrence) return `repeticion «${norm(row.repeticion)}» desconocida (use: no, semanal, mensual o anual)`;
  const dayWords = norm(row.dias).split(/[,;\s]+/).filter(Boolean);
  const weekdays = dayWords.map((d) => (/^[1-7]$/.test(d) ? Number(d) : DAYS[key(d).slice(0, 3)]));
  if (weekdays.some((d) => d === undefined)) return `dias «${norm(row.dias)}» no se entiende (use lun,mar,mie,jue,vie,sab,dom)`;
  const reminderWords = norm(row.recordatorios).split(/[;,\s]+/).filter(Boolean);
  const reminders = reminderWords.map((r) => REMINDERS[key(r)]);
  if (reminders.some((r) => r === undefined)) return `recordatorios «${norm(row.recordatorios)}» no se entiende (use semana;dia;mismo_dia;hora;15min)`;
  return {
    title: norm(row.titulo ?? row['título']),
    date: norm(row.fecha),
    time: norm(row.hora) || null,
    kind,
    ownerId: norm(row.responsable) || null,
    recurrence,
    weekdays: weekdays as number[],
    untilDate: norm(row.hasta) || null,
    reminders: reminderWords.length ? (reminders as ReminderCode[]) : null,
    notes: norm(row.notas) || null,
  };
}

/** The same row imported twice is the same entry. */
const importKey = (r: RawEntryInput): string =>
  `csv:${createHash('sha256')
    .update(JSON.stringify([r.date, r.time, r.kind, key(r.title ?? ''), r.recurrence, r.weekdays, r.untilDate]))
    .digest('hex')
    .slice(0, 32)}`;

/** Imports the good rows, reports the bad ones by line number (the header is line 1). */
export function importCalendarCsv(text: string, calendar: CalendarService, m: Messages, actor = 'importación-csv'): ImportReport {
  const report: ImportReport = { imported: 0, existing: 0, errors: [] };
  let records: { record: Row; info: { lines: number } }[];
  try {
    const delimiter = (text.split('\n')[0] ?? '').includes(';') && !(text.split('\n')[0] ?? '').includes(',') ? ';' : ',';
    records = parse(text, { columns: (h: string[]) => h.map((c) => key(c.trim())), bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true, delimiter });
  } catch (e) {
    report.errors.push({ line: (e as { lines?: number }).lines ?? 1, message: `el archivo no es un CSV válido: ${(e as Error).message}` });
    return report;
  }
  for (const { record, info } of records) {
    const raw = toRaw(record, m);
    if (typeof raw === 'string') {
      report.errors.push({ line: info.lines, message: raw });
      continue;
    }
    const r = calendar.create(raw, actor, importKey(raw));
    if (!r.ok) {
      report.errors.push({ line: info.lines, message: Object.entries(r.errors).map(([f, e]) => `${COLUMN[f] ?? f}: ${m.cal.error[e!]}`).join(' ') });
    } else if (r.created) report.imported++;
    else report.existing++;
  }
  return report;
}
