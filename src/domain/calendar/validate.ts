import { addDays, daysBetween, isLocalDate, isTime, localDateOf, localToEpoch, type LocalDate } from '../shared/time.js';
import { textLength } from '../approvals/validate.js';
import { ENTRY_KINDS, REMINDER_CODES, type EntryInput, type EntryKind, type Recurrence, type ReminderCode } from './types.js';

export const MAX_ENTRY_TITLE = 150;

export type EntryField = 'title' | 'date' | 'time' | 'kind' | 'owner' | 'recurrence' | 'weekdays' | 'until' | 'reminders';
export type EntryError = 'required' | 'too_long' | 'invalid_date' | 'past_date' | 'invalid_time' | 'invalid_option' | 'weekdays_required' | 'until_before_start' | 'unreadable';

export interface RawEntryInput {
  title?: string | null;
  date?: string | null;
  time?: string | null;
  kind?: string | null;
  ownerId?: string | null;
  recurrence?: string | null; // none | weekly | monthly | yearly
  weekdays?: (string | number)[] | null;
  untilDate?: string | null;
  reminders?: string[] | null; // null = the defaults
  notes?: string | null;
}

export type EntryValidation = { ok: true; value: EntryInput } | { ok: false; errors: Partial<Record<EntryField, EntryError>> };

/** Default reminders: the day before at 09:00, and one hour before when the entry has a time. */
export const defaultReminders = (time: string | null): ReminderCode[] => (time ? ['day_before', 'hour_before'] : ['day_before']);

export function validateEntry(raw: RawEntryInput, now: number, tz: string, opts: { allowPast?: boolean } = {}): EntryValidation {
  const errors: Partial<Record<EntryField, EntryError>> = {};
  const title = (raw.title ?? '').trim();
  if (!title) errors.title = 'required';
  else if (textLength(title) > MAX_ENTRY_TITLE) errors.title = 'too_long';

  const date = (raw.date ?? '').trim();
  const time = raw.time?.trim() || null;
  if (!date) errors.date = 'required';
  else if (!isLocalDate(date)) errors.date = 'invalid_date';
  if (time && !isTime(time)) errors.time = 'invalid_time';
  if (!errors.date && !errors.time && !opts.allowPast) {
    const today = localDateOf(now, tz);
    if (date < today) errors.date = 'past_date';
    else if (time && date === today && localToEpoch(date, time, tz)! < now) errors.time = 'past_date';
  }

  const kind = (raw.kind ?? 'other') as EntryKind;
  if (!(ENTRY_KINDS as readonly string[]).includes(kind)) errors.kind = 'invalid_option';

  const ownerId = raw.ownerId?.trim() || null;
  if (ownerId && !/^[UW][A-Z0-9]{2,}$/.test(ownerId)) errors.owner = 'invalid_option';

  let recurrence: Recurrence = { freq: 'none' };
  switch (raw.recurrence ?? 'none') {
    case 'none':
    case '':
      break;
    case 'weekly': {
      const weekdays = [...new Set((raw.weekdays ?? []).map(Number))].filter((d) => Number.isInteger(d) && d >= 1 && d <= 7).sort();
      if (weekdays.length === 0) errors.weekdays = 'weekdays_required';
      recurrence = { freq: 'weekly', weekdays };
      break;
    }
    case 'monthly':
      recurrence = { freq: 'monthly' };
      break;
    case 'yearly':
      recurrence = { freq: 'yearly' };
      break;
    default:
      errors.recurrence = 'invalid_option';
  }

  const untilDate = raw.untilDate?.trim() || null;
  if (untilDate && !isLocalDate(untilDate)) errors.until = 'invalid_date';
  else if (untilDate && date && untilDate < date) errors.until = 'until_before_start';

  const reminders = raw.reminders ?? defaultReminders(time);
  if (!reminders.every((r) => (REMINDER_CODES as readonly string[]).includes(r))) errors.reminders = 'invalid_option';

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      title,
      kind,
      startDate: date as LocalDate,
      time,
      ownerId,
      recurrence,
      untilDate,
      reminders: [...new Set(reminders)] as ReminderCode[],
      notes: raw.notes?.trim() || null,
    },
  };
}

/**
 * An edit form. `shown` is the date the form was opened for: one occurrence of a series (or the
 * entry's only date). For «toda la serie» the date field says where *that* date goes, and the series
 * moves by the same number of days (see `editedSeries`); left as shown, nothing moves, and it may be
 * in the past (a series that started months ago, a date already held). For «solo esta fecha» the
 * date is the occurrence's new date, and the series' own settings do not apply.
 */
export function validateEdit(raw: RawEntryInput, shown: LocalDate | null, scope: 'series' | 'occurrence', now: number, tz: string): EntryValidation {
  const allowPast = shown !== null && (raw.date ?? '').trim() === shown;
  const input = scope === 'series' ? raw : { ...raw, recurrence: 'none', weekdays: null, untilDate: null, reminders: null };
  return validateEntry(input, now, tz, { allowPast });
}

/**
 * The series after an edit of «toda la serie» made on the date `shown`: its start moves by as many
 * days as the person moved that date (none when they left it), so a title fix on a series that
 * started months ago keeps every past and future date.
 */
export function editedSeries(current: Pick<EntryInput, 'startDate'>, edited: EntryInput, shown: LocalDate | null): EntryInput {
  if (!shown) return edited;
  return { ...edited, startDate: addDays(current.startDate, daysBetween(shown, edited.startDate)) };
}

/** Words in a title that say what kind of entry it is, for the quick form. */
const KIND_WORDS: [RegExp, EntryKind][] = [
  [/conferencia|rueda de prensa/i, 'press_conference'],
  [/comunicado|bolet[ií]n/i, 'press_release'],
  [/pauta|campa[ñn]a pagada|anuncio/i, 'paid_promotion'],
  [/cobertura/i, 'coverage'],
  [/efem[ée]ride|d[ií]a (mundial|internacional|nacional)|aniversario/i, 'commemoration'],
  [/reuni[óo]n|junta|comit[ée]/i, 'meeting'],
  [/publicaci[óo]n|post|video|gr[áa]fic/i, 'post'],
];

export const guessKind = (title: string): EntryKind => KIND_WORDS.find(([re]) => re.test(title))?.[1] ?? 'other';

/**
 * The quick form: «2026-12-07 10:00 Conferencia de prensa» (time optional). Also accepts
 * 07/12/2026 as people write it. Returns the raw input for validateEntry, or 'unreadable'.
 */
export function parseQuickAdd(text: string): RawEntryInput | 'unreadable' {
  const m = /^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\/\d{1,2}\/\d{4})(?:\s+(\d{1,2}:\d{2}))?\s+(.+?)\s*$/.exec(text);
  if (!m) return 'unreadable';
  let date = m[1]!;
  const slash = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(date);
  if (slash) date = `${slash[3]}-${slash[2]}-${slash[1]}`;
  const [y, mo, d] = date.split('-');
  date = `${y}-${mo!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  const time = m[2] ? m[2].padStart(5, '0') : null;
  return { date, time, title: m[3]!, kind: guessKind(m[3]!) };
}
