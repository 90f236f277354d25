import { isPerson } from '../people/types.js';
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
  const repeating = !['none', '', null, undefined].includes(raw.recurrence);
  const untilDate = raw.untilDate?.trim() || null;
  if (!errors.date && !errors.time && !opts.allowPast) {
    const today = localDateOf(now, tz);
    // A series that has started and not ended is live (a yearly programme imported in March): only its
    // last date can be in the past.
    if (repeating) {
      if (untilDate && untilDate < today) errors.until = 'past_date'; // a malformed one is reported below
    } else if (date < today) errors.date = 'past_date';
    else if (time && date === today && localToEpoch(date, time, tz)! < now) errors.time = 'past_date';
  }

  const kind = (raw.kind ?? 'other') as EntryKind;
  if (!(ENTRY_KINDS as readonly string[]).includes(kind)) errors.kind = 'invalid_option';

  const ownerId = raw.ownerId?.trim() || null;
  // A person of ours: each surface (and the CSV import) turns its own user ids into people first.
  if (ownerId && !isPerson(ownerId)) errors.owner = 'invalid_option';

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
  const date = (raw.date ?? '').trim();
  const allowPast = shown !== null && date === shown;
  const input = scope === 'series' ? raw : { ...raw, recurrence: 'none', weekdays: null, untilDate: null, reminders: null };
  const v = validateEntry(input, now, tz, { allowPast });
  // A date the person moved must land in the future, even for a series that started long ago.
  if (v.ok && !allowPast && isLocalDate(date) && date < localDateOf(now, tz)) return { ok: false, errors: { date: 'past_date' } };
  return v;
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

/** «7/12/2026», «07/12/2026» (day first, as people and Excel in Latin America write it) or «2026-12-7» → «2026-12-07». Not checked for existence. */
export function readDate(text: string): LocalDate | null {
  const s = text.trim();
  const slash = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const [y, m, d] = slash ? [slash[3]!, slash[2]!, slash[1]!] : iso ? [iso[1]!, iso[2]!, iso[3]!] : [];
  return y ? `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}` : null;
}

/**
 * A time as people write it at the start of `text`: «10:00», «9:30», «10:00am», «10 am», «6:30 p.m.»,
 * «10:00 hrs», «10:00 h», «18:30hrs», «a las 10», «10:00:00» (Excel). A bare number («10 años…») is not
 * a time. Returns the time as HH:MM and how many characters it took, 'invalid' for a time that does not
 * exist («25:00», «10:75», «13 pm»), or null when `text` does not start with a time.
 */
export function readTimePrefix(text: string): { time: string; length: number } | 'invalid' | null {
  const m = /^\s*(a\s+las\s+)?(\d{1,2})(?::(\d{2}))?(?::00)?\s*(?:([ap])\.?\s*m\.?|(hrs?\.?|h\.?|horas))?(?=\s|$)/i.exec(text);
  if (!m) return null;
  const [all, alas, hh, mm, ampm, hours] = m;
  if (!alas && mm === undefined && !ampm && !hours) return null;
  let h = Number(hh);
  const mi = Number(mm ?? 0);
  if (mi > 59) return 'invalid';
  if (ampm) {
    if (h < 1 || h > 12) return 'invalid';
    h = (h % 12) + (ampm.toLowerCase() === 'p' ? 12 : 0);
  }
  if (h > 23) return 'invalid';
  return { time: `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`, length: all!.length };
}

/** A whole cell or field that is a time (see readTimePrefix); 'invalid' for anything else that is not empty. */
export function readTime(text: string): string | 'invalid' | null {
  if (!text.trim()) return null;
  const t = readTimePrefix(text);
  return t && t !== 'invalid' && !text.slice(t.length).trim() ? t.time : 'invalid';
}

export type QuickAddError = 'unreadable' | 'missing_title' | 'invalid_time';

/**
 * The quick form: «2026-12-07 10:00 Conferencia de prensa» (time optional, in any form readTimePrefix
 * knows). Also accepts 07/12/2026 as people write it. Returns the raw input for validateEntry, or why
 * it could not be read: no date first, a time that does not exist, or nothing left for the title.
 */
export function parseQuickAdd(text: string): RawEntryInput | QuickAddError {
  const m = /^\s*(\S+)(.*)$/s.exec(text);
  const date = m ? readDate(m[1]!) : null;
  if (!date) return 'unreadable';
  let rest = m![2]!;
  const t = readTimePrefix(rest);
  if (t === 'invalid') return 'invalid_time';
  if (t) rest = rest.slice(t.length);
  const title = rest.trim();
  if (!title) return 'missing_title';
  return { date, time: t ? t.time : null, title, kind: guessKind(title) };
}
