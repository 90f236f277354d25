import { addDays, daysBetween, isoWeekday, localToEpoch, parseLocalDate, type LocalDate } from '../shared/time.js';
import { REMINDER_HOUR, type CalendarEntry, type EntryException, type Occurrence, type ReminderCode } from './types.js';

/** Dates the series puts an occurrence on, within [from, to] (local dates, inclusive). Pure. */
export function seriesDates(e: Pick<CalendarEntry, 'startDate' | 'recurrence' | 'untilDate'>, from: LocalDate, to: LocalDate): LocalDate[] {
  const first = from > e.startDate ? from : e.startDate;
  const last = e.untilDate && e.untilDate < to ? e.untilDate : to;
  if (first > last) return [];
  const start = parseLocalDate(e.startDate)!;
  const out: LocalDate[] = [];
  switch (e.recurrence.freq) {
    case 'none':
      return e.startDate >= first && e.startDate <= last ? [e.startDate] : [];
    case 'weekly': {
      const days = new Set(e.recurrence.weekdays);
      for (let d = first, i = 0; d <= last && i <= daysBetween(first, last); d = addDays(d, 1), i++) if (days.has(isoWeekday(d))) out.push(d);
      return out;
    }
    case 'monthly':
    case 'yearly': {
      const f = parseLocalDate(first)!;
      const l = parseLocalDate(last)!;
      const step = e.recurrence.freq === 'monthly' ? 1 : 12;
      // Walk months from the first month in range; a month without the day (31 in April) has no occurrence.
      let y = f.y;
      let m = e.recurrence.freq === 'monthly' ? f.m : start.m;
      if (e.recurrence.freq === 'yearly' && (y < f.y || (y === f.y && m < f.m))) y++;
      for (; y < l.y || (y === l.y && m <= l.m); ) {
        const date = `${y}-${String(m).padStart(2, '0')}-${String(start.d).padStart(2, '0')}`;
        if (parseLocalDate(date) && date >= first && date <= last) out.push(date);
        m += step;
        while (m > 12) {
          m -= 12;
          y++;
        }
      }
      return out;
    }
  }
}

/** Whether the series itself puts an occurrence on `date` (before any exception). */
export const isSeriesDate = (e: Pick<CalendarEntry, 'startDate' | 'recurrence' | 'untilDate'>, date: LocalDate): boolean => seriesDates(e, date, date).length === 1;

function toOccurrence(e: CalendarEntry, od: LocalDate, ex: EntryException | undefined, tz: string): Occurrence | null {
  if (ex?.action === 'skip') return null;
  const date = ex?.newDate ?? od;
  const time = ex?.newTime ?? e.time;
  return {
    entryId: e.id,
    occurrenceDate: od,
    date,
    time,
    title: ex?.newTitle ?? e.title,
    kind: e.kind,
    ownerId: e.ownerId,
    startsAt: localToEpoch(date, time, tz)!,
    recurring: e.recurrence.freq !== 'none',
  };
}

/**
 * Occurrences of an entry whose actual date falls in [from, to], with its exceptions applied: the
 * series' own dates in the range, less those moved out or removed, plus dates moved in from
 * anywhere, however far (a date moved 400 days is still on the calendar).
 */
export function occurrencesOf(e: CalendarEntry, exceptions: readonly EntryException[], from: LocalDate, to: LocalDate, tz: string): Occurrence[] {
  const mine = exceptions.filter((x) => x.entryId === e.id);
  const byDate = new Map(mine.map((x) => [x.occurrenceDate, x]));
  const candidates = new Set(seriesDates(e, from, to));
  for (const x of mine) {
    // An exception left behind by a later change of the series (another weekday, an earlier «hasta») names no date of it.
    if (x.action === 'move' && x.newDate && x.newDate >= from && x.newDate <= to && isSeriesDate(e, x.occurrenceDate)) candidates.add(x.occurrenceDate);
  }
  const out: Occurrence[] = [];
  for (const od of candidates) {
    const o = toOccurrence(e, od, byDate.get(od), tz);
    if (o && o.date >= from && o.date <= to) out.push(o);
  }
  return out.sort((a, b) => a.startsAt - b.startsAt);
}

/** The occurrence a series has for one of its dates (after its exception), wherever it was moved; null if none. */
export function occurrenceOf(e: CalendarEntry, exceptions: readonly EntryException[], occurrenceDate: LocalDate, tz: string): Occurrence | null {
  if (!isSeriesDate(e, occurrenceDate)) return null;
  return toOccurrence(e, occurrenceDate, exceptions.find((x) => x.entryId === e.id && x.occurrenceDate === occurrenceDate), tz);
}

/** When each reminder of an occurrence is due (epoch ms). Reminders that make no sense are left out. */
export function reminderTimes(o: Pick<Occurrence, 'date' | 'time' | 'startsAt'>, codes: readonly ReminderCode[], tz: string): { code: ReminderCode; dueAt: number }[] {
  const out: { code: ReminderCode; dueAt: number }[] = [];
  for (const code of codes) {
    let dueAt: number | null = null;
    if (code === 'week_before') dueAt = localToEpoch(addDays(o.date, -7), REMINDER_HOUR, tz);
    if (code === 'day_before') dueAt = localToEpoch(addDays(o.date, -1), REMINDER_HOUR, tz);
    if (code === 'same_day' && (!o.time || o.time > REMINDER_HOUR)) dueAt = localToEpoch(o.date, REMINDER_HOUR, tz);
    if (code === 'hour_before' && o.time) dueAt = o.startsAt - 60 * 60_000;
    if (code === 'quarter_before' && o.time) dueAt = o.startsAt - 15 * 60_000;
    if (dueAt !== null) out.push({ code, dueAt });
  }
  return out;
}
