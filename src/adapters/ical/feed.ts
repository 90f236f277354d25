import ical, { ICalEventRepeatingFreq, ICalWeekday, type ICalRepeatingOptions } from 'ical-generator';
import type { Piece } from '../../domain/approvals/types.js';
import type { CalendarEntry, EntryException } from '../../domain/calendar/types.js';
import { addDays, localDateOf, localTimeOf, localToEpoch } from '../../domain/shared/time.js';
import type { Messages } from '../../i18n/index.js';
import { vtimezone } from './vtimezone.js';

const WEEKDAYS = [ICalWeekday.MO, ICalWeekday.TU, ICalWeekday.WE, ICalWeekday.TH, ICalWeekday.FR, ICalWeekday.SA, ICalWeekday.SU];
const FREQ = { weekly: ICalEventRepeatingFreq.WEEKLY, monthly: ICalEventRepeatingFreq.MONTHLY, yearly: ICalEventRepeatingFreq.YEARLY } as const;

/** Local wall-clock time as ical-generator wants it with a TZID: an ISO string without offset. */
const local = (date: string, time: string | null) => (time ? `${date}T${time}:00` : date);
const DEFAULT_MINUTES = 60;

function endOf(date: string, time: string | null, tz: string): string {
  if (!time) return addDays(date, 1);
  const end = localToEpoch(date, time, tz)! + DEFAULT_MINUTES * 60_000;
  return local(localDateOf(end, tz), localTimeOf(end, tz));
}

export interface FeedInput {
  name: string;
  tz: string;
  entries: CalendarEntry[];
  exceptions: EntryException[];
  pieces: Piece[];
  m: Messages;
  host: string;
  now: number;
}

/**
 * The calendar as RFC 5545: entries with their repetition rules (RRULE), dates removed from a series
 * (EXDATE), single dates moved (RECURRENCE-ID), and planned publications. Times carry the office's
 * TZID with a VTIMEZONE block, so clients get daylight-saving changes right.
 */
export function calendarFeed(f: FeedInput): string {
  const year = Number(localDateOf(f.now, f.tz).slice(0, 4));
  const cal = ical({
    name: f.name,
    prodId: { company: 'Visto Bueno', product: 'calendario' },
    timezone: { name: f.tz, generator: (tz) => vtimezone(tz, year - 2, year + 3) },
  });
  for (const e of f.entries) {
    const uid = `entry-${e.id}@${f.host}`;
    const ex = f.exceptions.filter((x) => x.entryId === e.id);
    const skipped = ex.filter((x) => x.action === 'skip');
    let repeating: ICalRepeatingOptions | undefined;
    if (e.recurrence.freq !== 'none') {
      repeating = {
        freq: FREQ[e.recurrence.freq],
        ...(e.recurrence.freq === 'weekly' ? { byDay: e.recurrence.weekdays.map((d) => WEEKDAYS[d - 1]!) } : {}),
        ...(e.untilDate ? { until: new Date(localToEpoch(addDays(e.untilDate, 1), null, f.tz)! - 1000) } : {}),
        // Removed dates are EXDATEs; moved dates stay in the set and are replaced by RECURRENCE-ID events.
        ...(skipped.length ? { exclude: skipped.map((x) => local(x.occurrenceDate, e.time)), excludeTimezone: f.tz } : {}),
      };
    }
    const description = [f.m.cal.kind[e.kind], e.notes].filter(Boolean).join('\n');
    cal.createEvent({
      id: uid,
      start: local(e.startDate, e.time),
      end: endOf(e.startDate, e.time, f.tz),
      allDay: e.time === null,
      timezone: f.tz,
      summary: e.title,
      description,
      repeating,
    });
    // A moved date is its own event that replaces one occurrence of the series.
    for (const x of ex.filter((x) => x.action === 'move')) {
      const date = x.newDate ?? x.occurrenceDate;
      const time = x.newTime ?? e.time;
      cal.createEvent({
        id: uid,
        start: local(date, time),
        end: endOf(date, time, f.tz),
        allDay: time === null,
        timezone: f.tz,
        summary: x.newTitle ?? e.title,
        description,
        recurrenceId: local(x.occurrenceDate, e.time),
      });
    }
  }
  for (const p of f.pieces) {
    if (p.plannedAt === null) continue;
    const date = localDateOf(p.plannedAt, f.tz);
    const time = p.plannedHasTime ? localTimeOf(p.plannedAt, f.tz) : null;
    cal.createEvent({
      id: `piece-${p.id}@${f.host}`,
      start: local(date, time),
      end: endOf(date, time, f.tz),
      allDay: time === null,
      timezone: f.tz,
      summary: `${f.m.cal.piece} #${p.id}: ${p.title}`,
      description: `${f.m.kind[p.kind]} · ${p.networks.map((n) => f.m.network[n]).join(', ')} · ${f.m.stage[p.stage]}`,
    });
  }
  return cal.toString();
}
