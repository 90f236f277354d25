import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { calendarFeed } from '../../src/adapters/ical/feed.js';
import type { CalendarEntry, EntryException } from '../../src/domain/calendar/types.js';
import { addDays, localDateOf, localTimeOf, localToEpoch } from '../../src/domain/shared/time.js';
import { es } from '../../src/i18n/es.js';
import { SqliteCalendarRepository } from '../../src/store/calendar-repo.js';
import { Harness, SteppingClock, U } from '../helpers/harness.js';

const entry = (over: Partial<CalendarEntry>): CalendarEntry => ({
  id: 1, title: 'Serie', kind: 'meeting', startDate: '2026-12-07', time: null, ownerId: null, recurrence: { freq: 'weekly', weekdays: [1, 3] }, untilDate: '2026-12-23',
  reminders: [], notes: null, createdBy: 'p1', createdAt: 0, updatedAt: 0, version: 1, updatedBy: null, ...over,
});

/** Every occurrence ical.js expands from the feed, as local «date time» in the office's zone. */
function expand(text: string, tz: string): string[] {
  const comp = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.register(new ICAL.Timezone(comp.getFirstSubcomponent('vtimezone')!), tz);
  const events = comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  const series = events.find((e) => !e.isRecurrenceException())!;
  for (const x of events.filter((e) => e.isRecurrenceException())) series.relateException(x);
  const out: string[] = [];
  const it = series.iterator();
  for (let next = it.next(); next && out.length < 60; next = it.next()) {
    const start = series.getOccurrenceDetails(next).startDate;
    out.push(start.isDate ? start.toString() : `${localDateOf(start.toJSDate().getTime(), tz)} ${localTimeOf(start.toJSDate().getTime(), tz)}`);
  }
  return out;
}

const feed = (e: CalendarEntry, tz: string, exceptions: EntryException[] = []) =>
  calendarFeed({ name: 'x', tz, entries: [e], exceptions, pieces: [], m: es, now: localToEpoch('2026-11-22', '08:00', tz)! });

describe('repeating entries in the feed end on «hasta», as ical.js expands them', () => {
  it.each([
    // «hasta» on a day of the series, and «hasta» between two days of the series.
    ['America/Mexico_City', null, '2026-12-23', ['2026-12-07', '2026-12-09', '2026-12-14', '2026-12-16', '2026-12-21', '2026-12-23']],
    ['America/Mexico_City', null, '2026-12-22', ['2026-12-07', '2026-12-09', '2026-12-14', '2026-12-16', '2026-12-21']],
    ['America/Mexico_City', '23:30', '2026-12-23', ['2026-12-07 23:30', '2026-12-09 23:30', '2026-12-14 23:30', '2026-12-16 23:30', '2026-12-21 23:30', '2026-12-23 23:30']],
    ['America/Mexico_City', '00:15', '2026-12-22', ['2026-12-07 00:15', '2026-12-09 00:15', '2026-12-14 00:15', '2026-12-16 00:15', '2026-12-21 00:15']],
    ['America/Santiago', null, '2026-12-23', ['2026-12-07', '2026-12-09', '2026-12-14', '2026-12-16', '2026-12-21', '2026-12-23']],
    ['America/Santiago', '23:30', '2026-12-22', ['2026-12-07 23:30', '2026-12-09 23:30', '2026-12-14 23:30', '2026-12-16 23:30', '2026-12-21 23:30']],
  ])('%s, time %s, hasta %s', (tz, time, until, expected) => {
    expect(expand(feed(entry({ time, untilDate: until }), tz), tz)).toEqual(expected);
  });

  it('across a daylight-saving change (Santiago, 6 September 2026) the last date is still «hasta»', () => {
    const tz = 'America/Santiago';
    const e = entry({ startDate: '2026-08-24', time: '23:30', recurrence: { freq: 'weekly', weekdays: [1] }, untilDate: '2026-09-14' });
    expect(expand(feed(e, tz), tz)).toEqual(['2026-08-24 23:30', '2026-08-31 23:30', '2026-09-07 23:30', '2026-09-14 23:30']);
    const allDay = { ...e, time: null, untilDate: '2026-09-13' };
    expect(expand(feed(allDay, tz), tz)).toEqual(['2026-08-24', '2026-08-31', '2026-09-07']);
  });

  it('removed dates of an all-day series are DATE EXDATEs', () => {
    const tz = 'America/Mexico_City';
    const text = feed(entry({}), tz, [{ entryId: 1, occurrenceDate: '2026-12-14', action: 'skip', newDate: null, newTime: null, newTitle: null }]);
    expect(text).toContain('EXDATE;VALUE=DATE:20261214');
    expect(expand(text, tz)).not.toContain('2026-12-14');
  });

  it('writes UNTIL and DTSTAMP as RFC 5545 wants: DATE for an all-day series, UTC with Z otherwise', () => {
    const tz = 'America/Mexico_City';
    const allDay = feed(entry({}), tz);
    expect(allDay).toMatch(/^RRULE:FREQ=WEEKLY;UNTIL=20261223;BYDAY=MO,WE\r$/m);
    const timed = feed(entry({ time: '10:00' }), tz);
    // The last second of 23 December in Mexico City (UTC-6).
    expect(timed).toMatch(/^RRULE:FREQ=WEEKLY;UNTIL=20261224T055959Z;BYDAY=MO,WE\r$/m);
    const stamps = [...timed.matchAll(/^DTSTAMP:(.*)\r$/gm)].map((x) => x[1]);
    expect(stamps).toEqual(['20261122T140000Z']);
  });
});

describe('GET /calendario.ics', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
  });

  it('gives the same UIDs whatever the Host header', async () => {
    const token = 'feed-token-0123456789abcdef';
    h = await Harness.start({ clock: new SteppingClock(localToEpoch('2026-11-22', '08:00', 'America/Mexico_City')!), env: { CALENDAR_FEED_TOKEN: token } });
    new SqliteCalendarRepository(h.app.db).insert({ ...entry({}), startDate: addDays('2026-11-22', 7) }, U.author, 0);
    await h.createPiece(U.author, { title: 'Boletín', date: '2026-12-10', time: '10:00' });
    const { request } = await import('node:http');
    const get = (host: string) =>
      new Promise<string>((resolve, reject) => {
        const url = new URL(`${h!.baseUrl}/calendario.ics?token=${token}`);
        request(url, { headers: { host } }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c)).on('end', () => resolve(body));
        }).on('error', reject).end();
      });
    const uids = (text: string) => [...text.matchAll(/^UID:(.*)\r$/gm)].map((x) => x[1]);
    const a = uids(await get('bot.oficina.gob.mx'));
    const b = uids(await get('vistobueno.example.org:8443'));
    expect(a).toEqual(['entry-1@visto-bueno', 'piece-1@visto-bueno']);
    expect(b).toEqual(a);
  });
});
