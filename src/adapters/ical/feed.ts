import ical from 'ical-generator';
import type { Piece } from '../../domain/approvals/types.js';
import type { CalendarEntry, EntryException } from '../../domain/calendar/types.js';
import { addDays, localDateOf, localTimeOf, localToEpoch } from '../../domain/shared/time.js';
import type { Messages } from '../../i18n/index.js';
import { vtimezone } from './vtimezone.js';

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const FREQ = { weekly: 'WEEKLY', monthly: 'MONTHLY', yearly: 'YEARLY' } as const;
/**
 * UIDs must not change between requests (RFC 5545 §3.8.4.7: globally unique and persistent), so
 * nothing request-specific such as the Host header goes into them: a new host name would otherwise
 * duplicate every event in every subscriber's calendar.
 */
const UID_DOMAIN = 'visto-bueno';

const compact = (date: string) => date.replaceAll('-', '');
/** An instant as an iCalendar UTC DATE-TIME: «20261229T055959Z». */
const utc = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * RRULE and EXDATE written here, not by ical-generator: with a calendar time zone, version 10 writes
 * UNTIL as a wall-clock time without «Z», in the process's own zone. RFC 5545 §3.3.10: when DTSTART is
 * a DATE, UNTIL must be a DATE; when DTSTART has a TZID, UNTIL must be in UTC («Z»). Clients that read
 * the floating UNTIL in their own zone showed one date past «hasta».
 */
function recurrenceLines(e: CalendarEntry, skipped: readonly EntryException[], tz: string): string | undefined {
  if (e.recurrence.freq === 'none') return undefined;
  const rule = [`FREQ=${FREQ[e.recurrence.freq]}`];
  // UNTIL is inclusive: the last second of «hasta» in the office's zone, for timed series.
  if (e.untilDate) rule.push(`UNTIL=${e.time ? utc(localToEpoch(addDays(e.untilDate, 1), null, tz)! - 1000) : compact(e.untilDate)}`);
  if (e.recurrence.freq === 'weekly') rule.push(`BYDAY=${e.recurrence.weekdays.map((d) => WEEKDAYS[d - 1]).join(',')}`);
  const lines = [`RRULE:${rule.join(';')}`];
  // Removed dates are EXDATEs (same value type as DTSTART); moved dates stay in the set and are replaced by RECURRENCE-ID events.
  if (skipped.length) {
    const dates = skipped.map((x) => (e.time ? `${compact(x.occurrenceDate)}T${e.time.replace(':', '')}00` : compact(x.occurrenceDate))).join(',');
    lines.push(e.time ? `EXDATE;TZID=${tz}:${dates}` : `EXDATE;VALUE=DATE:${dates}`);
  }
  return lines.join('\r\n');
}

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
  now: number;
  /** on-call shifts, with the name of who is on call */
  shifts?: { personId: string; name: string; start: number; end: number }[];
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
    const uid = `entry-${e.id}@${UID_DOMAIN}`;
    const ex = f.exceptions.filter((x) => x.entryId === e.id);
    const repeating = recurrenceLines(e, ex.filter((x) => x.action === 'skip'), f.tz);
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
      id: `piece-${p.id}@${UID_DOMAIN}`,
      start: local(date, time),
      end: endOf(date, time, f.tz),
      allDay: time === null,
      timezone: f.tz,
      summary: `${f.m.cal.piece} #${p.id}: ${p.title}`,
      description: `${f.m.kind[p.kind]} · ${p.networks.map((n) => f.m.network[n]).join(', ')} · ${f.m.stage[p.stage]}`,
    });
  }
  // On-call shifts (the rotation with its covers): one event per shift, keyed by its start and person.
  for (const s of f.shifts ?? []) {
    cal.createEvent({
      id: `oncall-${s.start}-${s.personId}@${UID_DOMAIN}`,
      start: local(localDateOf(s.start, f.tz), localTimeOf(s.start, f.tz)),
      end: local(localDateOf(s.end, f.tz), localTimeOf(s.end, f.tz)),
      timezone: f.tz,
      summary: f.m.inq.oncall.icsSummary(s.name),
    });
  }
  // DTSTAMP: ical-generator writes it like UNTIL (local, no «Z»); RFC 5545 §3.8.7.2 requires UTC.
  return cal.toString().replace(/^DTSTAMP:.*$/gm, `DTSTAMP:${utc(f.now)}`);
}
