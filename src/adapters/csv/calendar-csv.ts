import { SYSTEM } from '../../domain/people/types.js';
import { createHash } from 'node:crypto';
import type { CalendarService } from '../../domain/calendar/service.js';
import type { CalendarEntry, EntryInput, ReminderCode } from '../../domain/calendar/types.js';
import { readDate, readTime, validateEntry, type RawEntryInput } from '../../domain/calendar/validate.js';
import { isDomainError } from '../../domain/shared/errors.js';
import type { Messages } from '../../i18n/index.js';
import { decodeCsv, readCsvRecords } from './decode.js';

/**
 * CSV columns (header row required, names as below, any order, accents and case ignored; UTF-8 or
 * Windows-1252, comma or semicolon):
 *   fecha         2027-01-15 or 15/01/2027 (required)
 *   hora          10:00, 10 am, 18:30 hrs…; empty = all day
 *   tipo          comunicado | conferencia de prensa | publicación | pauta | cobertura | efeméride | reunión | otro
 *   titulo        text (required)
 *   responsable   Slack user id (U…), optional; becomes a person of ours
 *   repeticion    no | semanal | mensual | anual
 *   dias          for semanal: lun,mar,mie,jue,vie,sab,dom (or 1-7)
 *   hasta         last date of a repeating entry, as fecha
 *   recordatorios semana;dia;mismo_dia;hora;15min — empty = the defaults
 *   notas         free text
 * A row is identified by its fecha and titulo: importing the file again updates the rows that changed.
 */
export const CSV_COLUMNS = ['fecha', 'hora', 'tipo', 'titulo', 'responsable', 'repeticion', 'dias', 'hasta', 'recordatorios', 'notas'] as const;
const REQUIRED = ['fecha', 'titulo'] as const;

const RECURRENCE: Record<string, string> = { '': 'none', no: 'none', ninguna: 'none', semanal: 'weekly', mensual: 'monthly', anual: 'yearly' };
const DAYS: Record<string, number> = { lun: 1, mar: 2, mie: 3, jue: 4, vie: 5, sab: 6, dom: 7 };
const REMINDERS: Record<string, ReminderCode> = { semana: 'week_before', dia: 'day_before', mismo_dia: 'same_day', hora: 'hour_before', '15min': 'quarter_before' };

/** Domain field → the CSV column a person sees. */
const COLUMN: Record<string, string> = { title: 'titulo', date: 'fecha', time: 'hora', kind: 'tipo', owner: 'responsable', recurrence: 'repeticion', weekdays: 'dias', until: 'hasta', reminders: 'recordatorios' };

const norm = (s: string | undefined) => (s ?? '').trim();
/** Accents, case and runs of spaces do not matter in names and in the title that identifies a row. */
const key = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

export interface LineMessage {
  line: number;
  message: string;
}

export interface ImportReport {
  imported: number;
  updated: number;
  existing: number;
  /** Lines not imported, by number (the header is line 1). */
  errors: LineMessage[];
  /** About the whole file: the encoding it was read in, columns that are ignored. */
  warnings: string[];
  /** The file cannot be imported at all (empty, required columns missing): nothing was read. */
  fileError: string | null;
}

type Row = Record<string, string>;

/**
 * How the import names people: the `responsable` column holds a Slack user id (U…);
 * the caller turns it into a person of ours (null when it cannot).
 */
export type PersonResolver = (written: string) => string | null;

export interface ImportOptions {
  /** who imports: a person, or the import process itself (never a made-up channel) */
  actor?: string;
  person?: PersonResolver;
}

function toRaw(row: Row, m: Messages, person: PersonResolver | undefined): RawEntryInput | string {
  const e = m.cal.csv;
  const ownerText = norm(row.responsable);
  const ownerId = ownerText ? (person?.(ownerText) ?? null) : null;
  if (ownerText && !ownerId) return e.badOwner(ownerText);
  const kindWord = key(norm(row.tipo));
  const kinds = Object.fromEntries(Object.entries(m.cal.kindWords).map(([w, k]) => [key(w), k]));
  const kind = kindWord ? kinds[kindWord] : 'other';
  if (!kind) return e.badKind(norm(row.tipo), Object.values(m.cal.kind).join(', '));
  const recurrence = RECURRENCE[key(norm(row.repeticion))];
  if (!recurrence) return e.badRecurrence(norm(row.repeticion));
  const dayWords = norm(row.dias).split(/[,;\s]+/).filter(Boolean);
  const weekdays = dayWords.map((d) => (/^[1-7]$/.test(d) ? Number(d) : DAYS[key(d).slice(0, 3)]));
  if (weekdays.some((d) => d === undefined)) return e.badWeekdays(norm(row.dias));
  const reminderWords = norm(row.recordatorios).split(/[;,\s]+/).filter(Boolean);
  const reminders = reminderWords.map((r) => REMINDERS[key(r)]);
  if (reminders.some((r) => r === undefined)) return e.badReminders(norm(row.recordatorios));
  // An empty fecha is left to the domain («obligatorio»); a date written some other way is named here.
  const date = norm(row.fecha) ? readDate(norm(row.fecha)) : '';
  if (date === null) return e.badDate('fecha', norm(row.fecha));
  const until = norm(row.hasta) ? readDate(norm(row.hasta)) : '';
  if (until === null) return e.badDate('hasta', norm(row.hasta));
  const time = readTime(norm(row.hora));
  if (time === 'invalid') return e.badTime(norm(row.hora));
  return {
    title: norm(row.titulo),
    date,
    time,
    kind,
    ownerId,
    recurrence,
    weekdays: weekdays as number[],
    untilDate: until || null,
    reminders: reminderWords.length ? (reminders as ReminderCode[]) : null,
    notes: norm(row.notas) || null,
  };
}

/**
 * What identifies a row: its date and title. Everything else (time, owner, kind, repetition,
 * reminders, notes) is what a corrected file changes, so it must not be part of the key.
 */
export const importKey = (date: string, title: string): string =>
  `csv:${createHash('sha256').update(JSON.stringify([date, key(title)])).digest('hex').slice(0, 32)}`;

const sameEntry = (a: CalendarEntry, b: EntryInput): boolean =>
  a.title === b.title &&
  a.kind === b.kind &&
  a.startDate === b.startDate &&
  a.time === b.time &&
  a.ownerId === b.ownerId &&
  JSON.stringify(a.recurrence) === JSON.stringify(b.recurrence) &&
  a.untilDate === b.untilDate &&
  [...a.reminders].sort().join() === [...b.reminders].sort().join() &&
  a.notes === b.notes;

/** csv-parse's errors, in the reader's words. */
export function parseErrorText(err: { code: string; record?: unknown[] }, columns: number, m: Messages): string {
  if (err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') return m.cal.csv.fieldCount(err.record?.length ?? 0, columns);
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return m.cal.csv.quoteNotClosed;
  if (['CSV_INVALID_CLOSING_QUOTE', 'INVALID_OPENING_QUOTE', 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE'].includes(err.code)) return m.cal.csv.badQuote;
  return m.cal.csv.unreadableCsv(err.code);
}

/** Reads the file's bytes (UTF-8 or Windows-1252) and imports it. */
export function importCalendarFile(bytes: Uint8Array, calendar: CalendarService, m: Messages, opts: ImportOptions = {}): ImportReport {
  const { text, encoding } = decodeCsv(bytes);
  const report = importCalendarCsv(text, calendar, m, opts);
  if (encoding === 'windows-1252') report.warnings.unshift(m.cal.csv.windows1252);
  return report;
}

/** Imports the good rows, updates the corrected ones, reports the bad ones by line number (the header is line 1). */
export function importCalendarCsv(text: string, calendar: CalendarService, m: Messages, opts: ImportOptions = {}): ImportReport {
  const actor = opts.actor ?? SYSTEM.csvImport;
  const report: ImportReport = { imported: 0, updated: 0, existing: 0, errors: [], warnings: [], fileError: null };
  const { records, broken } = readCsvRecords(text);

  const header = records.shift();
  if (!header) {
    report.fileError = m.cal.csv.empty;
    return report;
  }
  const names = header.record.map(key);
  const unknown = header.record.filter((c, i) => c && !(CSV_COLUMNS as readonly string[]).includes(names[i]!));
  if (unknown.length) report.warnings.push(m.cal.csv.unknownColumns(unknown, [...CSV_COLUMNS]));
  // Named once for the whole file, beside the unknown names (often the same column misspelt).
  const missing = REQUIRED.filter((c) => !names.includes(c));
  if (missing.length) {
    report.fileError = m.cal.csv.missingColumns(missing);
    return report;
  }
  for (const [i, n] of names.entries()) if (names.indexOf(n) !== i && (CSV_COLUMNS as readonly string[]).includes(n)) report.warnings.push(m.cal.csv.repeatedColumn(n));

  // A quote error leaves the parser unsure where records start: nothing after it is trusted.
  const quote = broken.find((b) => b.code !== 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH');
  const lastGood = (before: number) => [header, ...records].filter((r) => r.info.lines < before).at(-1)?.info.lines ?? 1;
  // An unclosed quote is noticed at the end of the file; it opened on the line after the last good record.
  const stopAt = quote ? (quote.code === 'CSV_QUOTE_NOT_CLOSED' ? lastGood(quote.lines) + 1 : quote.lines) : Infinity;
  for (const b of broken) if (b.lines < stopAt && b !== quote) report.errors.push({ line: b.lines, message: parseErrorText(b, names.length, m) });
  if (quote) report.errors.push({ line: stopAt, message: parseErrorText(quote, names.length, m) });

  const rows = records.filter((r) => r.info.lines < stopAt);
  if (rows.length === 0 && report.errors.length === 0) {
    report.fileError = m.cal.csv.headerOnly;
    return report;
  }
  const seen = new Map<string, number>();
  for (const { record, info } of rows) {
    const row: Row = {};
    // The first of two columns with the same name wins.
    names.forEach((n, i) => (row[n] ??= record[i] ?? ''));
    const result = importRow(row, info.lines, seen, calendar, m, actor, opts.person);
    if (typeof result === 'string') report.errors.push({ line: info.lines, message: result });
    else report[result.outcome]++;
  }
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}

function importRow(row: Row, line: number, seen: Map<string, number>, calendar: CalendarService, m: Messages, actor: string, person?: PersonResolver): { outcome: 'imported' | 'updated' | 'existing' } | string {
  const raw = toRaw(row, m, person);
  if (typeof raw === 'string') return raw;
  const fieldErrors = (errors: Partial<Record<string, keyof Messages['cal']['error']>>) =>
    Object.entries(errors)
      .map(([f, e]) => `${COLUMN[f] ?? f}: ${m.cal.error[e!] as string}`)
      .join(' ');
  const k = importKey(raw.date ?? '', raw.title ?? '');
  const earlier = seen.get(k);
  if (earlier !== undefined && raw.date && raw.title) return m.cal.csv.repeatedRow(earlier);
  seen.set(k, line);

  const before = calendar.imported(k);
  if (!before) {
    const r = calendar.create(raw, actor, k);
    return r.ok ? { outcome: 'imported' } : fieldErrors(r.errors);
  }
  if (before.deleted) return m.cal.csv.deleted(before.entry.id);
  // Past dates are fine here: the row is the same entry, and its date cannot have changed (it is in the key).
  const wanted = validateEntry(raw, 0, 'UTC', { allowPast: true });
  if (!wanted.ok) return fieldErrors(wanted.errors);
  if (sameEntry(before.entry, wanted.value)) return { outcome: 'existing' };
  try {
    // Through the service, so its reminders are planned again.
    const r = calendar.update(before.entry.id, raw, { kind: 'series' }, actor);
    return r.ok ? { outcome: 'updated' } : fieldErrors(r.errors);
  } catch (e) {
    if (isDomainError(e) && e.code === 'calendar.not_allowed') return m.cal.error.not_allowed;
    throw e;
  }
}
