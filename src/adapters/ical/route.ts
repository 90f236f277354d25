import type { CustomRoute } from '@slack/bolt';
import { timingSafeEqual } from 'node:crypto';
import type { PieceRepository } from '../../domain/approvals/ports.js';
import type { CalendarService } from '../../domain/calendar/service.js';
import type { Clock } from '../../domain/shared/clock.js';
import { addDays, localDateOf, localToEpoch } from '../../domain/shared/time.js';
import type { Messages } from '../../i18n/index.js';
import { calendarFeed } from './feed.js';

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * GET /calendario.ics?token=… — the calendar for Google Calendar, Outlook, Thunderbird.
 * A wrong or missing token (or no CALENDAR_FEED_TOKEN) gets 404 and nothing else.
 */
export function calendarFeedRoute(d: {
  token: string | null;
  calendar: CalendarService;
  pieces: PieceRepository;
  clock: Clock;
  tz: string;
  m: Messages;
  /** on-call shifts between two instants, named */
  shifts?: (from: number, to: number) => { personId: string; name: string; start: number; end: number }[];
}): CustomRoute {
  return {
    path: '/calendario.ics',
    method: ['GET'],
    handler: (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const given = url.searchParams.get('token') ?? '';
      if (!d.token || !sameSecret(given, d.token)) {
        res.writeHead(404).end();
        return;
      }
      const today = localDateOf(d.clock.now(), d.tz);
      // A year back and two ahead: enough for any subscriber, small enough to serve fast.
      const from = addDays(today, -366);
      const to = addDays(today, 731);
      const { entries, exceptions } = d.calendar.entriesBetween(from, to);
      const pieces = d.pieces.plannedBetween(localToEpoch(from, null, d.tz)!, localToEpoch(to, null, d.tz)!);
      // Shifts: two months back, six ahead (a rotation is weekly; past ones matter little).
      const shifts = d.shifts?.(localToEpoch(addDays(today, -62), null, d.tz)!, localToEpoch(addDays(today, 183), null, d.tz)!) ?? [];
      const body = calendarFeed({ name: 'Visto Bueno', tz: d.tz, entries, exceptions, pieces, m: d.m, now: d.clock.now(), shifts });
      res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Cache-Control': 'private, max-age=300' });
      res.end(body);
    },
  };
}
