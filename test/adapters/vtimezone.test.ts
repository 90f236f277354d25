import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendarFeed } from '../../src/adapters/ical/feed.js';
import { transitions, vtimezone } from '../../src/adapters/ical/vtimezone.js';
import { es } from '../../src/i18n/es.js';

describe('VTIMEZONE from the runtime time-zone data', () => {
  it('Mexico City has had no daylight saving time since 2022; Santiago changes twice a year', () => {
    expect(transitions('America/Mexico_City', Date.UTC(2024, 0, 1), Date.UTC(2029, 0, 1))).toEqual([]);
    const cl = transitions('America/Santiago', Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1));
    expect(cl.map((c) => [new Date(c.at).toISOString(), c.before, c.after])).toEqual([
      ['2026-04-05T03:00:00.000Z', -180, -240],
      ['2026-09-06T04:00:00.000Z', -240, -180],
    ]);
    expect(vtimezone('America/Mexico_City', 2025, 2028)).toContain('TZOFFSETTO:-0600');
  });

  it('a 10:00 event in Mexico City in June reads as 16:00 UTC to a real parser (not 15:00, as with a 1970 rule)', () => {
    const now = Date.UTC(2026, 10, 22);
    const text = calendarFeed({
      name: 'x',
      tz: 'America/Mexico_City',
      entries: [{ id: 1, title: 'Junio', kind: 'meeting', startDate: '2027-06-10', time: '10:00', ownerId: null, recurrence: { freq: 'none' }, untilDate: null, reminders: [], notes: null, createdBy: 'U1', createdAt: 0, updatedAt: 0, version: 1, updatedBy: null }],
      exceptions: [],
      pieces: [],
      m: es,
      now,
    });
    const comp = new ICAL.Component(ICAL.parse(text));
    ICAL.TimezoneService.register(new ICAL.Timezone(comp.getFirstSubcomponent('vtimezone')!), 'America/Mexico_City');
    const ev = new ICAL.Event(comp.getFirstSubcomponent('vevent')!);
    expect(ev.startDate.toJSDate().toISOString()).toBe('2027-06-10T16:00:00.000Z');
  });
});
