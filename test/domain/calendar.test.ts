import { describe, expect, it } from 'vitest';
import { occurrencesOf, reminderTimes, seriesDates } from '../../src/domain/calendar/recurrence.js';
import type { CalendarEntry } from '../../src/domain/calendar/types.js';
import { guessKind, parseQuickAdd, validateEntry } from '../../src/domain/calendar/validate.js';
import { addDays, isoWeekday, localToEpoch } from '../../src/domain/shared/time.js';

const TZ = 'America/Mexico_City';
const entry = (over: Partial<CalendarEntry> = {}): CalendarEntry => ({
  id: 1,
  title: 'Comunicado',
  kind: 'press_release',
  startDate: '2027-01-31',
  time: null,
  ownerId: null,
  recurrence: { freq: 'none' },
  untilDate: null,
  reminders: ['day_before'],
  notes: null,
  createdBy: 'U1',
  createdAt: 0,
  updatedAt: 0,
  version: 1,
  updatedBy: null,
  ...over,
});

describe('recurrence', () => {
  it('monthly on the 31st skips months without it (RFC 5545)', () => {
    expect(seriesDates(entry({ recurrence: { freq: 'monthly' } }), '2027-01-01', '2027-06-30')).toEqual(['2027-01-31', '2027-03-31', '2027-05-31']);
  });

  it('yearly on 29 February only in leap years', () => {
    expect(seriesDates(entry({ startDate: '2028-02-29', recurrence: { freq: 'yearly' } }), '2028-01-01', '2033-12-31')).toEqual(['2028-02-29', '2032-02-29']);
  });

  it('yearly commemorations start the year after when the range begins past their day', () => {
    expect(seriesDates(entry({ startDate: '2026-06-05', recurrence: { freq: 'yearly' } }), '2026-07-01', '2028-12-31')).toEqual(['2027-06-05', '2028-06-05']);
  });

  it('weekly on given weekdays, bounded by until', () => {
    const dates = seriesDates(entry({ startDate: '2026-11-23', recurrence: { freq: 'weekly', weekdays: [1, 3, 5] }, untilDate: '2026-12-04' }), '2026-11-01', '2027-01-01');
    expect(dates).toEqual(['2026-11-23', '2026-11-25', '2026-11-27', '2026-11-30', '2026-12-02', '2026-12-04']);
    expect(dates.every((d) => [1, 3, 5].includes(isoWeekday(d)))).toBe(true);
  });

  it('exceptions: a skipped date disappears, a moved one appears on its new date (even from outside the range)', () => {
    const e = entry({ startDate: '2026-11-23', time: '10:00', recurrence: { freq: 'weekly', weekdays: [1] } });
    const occ = occurrencesOf(
      e,
      [
        { entryId: 1, occurrenceDate: '2026-11-30', action: 'skip', newDate: null, newTime: null, newTitle: null },
        { entryId: 1, occurrenceDate: '2026-12-14', action: 'move', newDate: '2026-12-04', newTime: '16:00', newTitle: 'Movida' },
      ],
      '2026-11-23',
      '2026-12-08',
      TZ,
    );
    expect(occ.map((o) => `${o.date} ${o.time} ${o.title}`)).toEqual(['2026-11-23 10:00 Comunicado', '2026-12-04 16:00 Movida', '2026-12-07 10:00 Comunicado']);
  });

  it('reminders: 09:00 the day before in the office zone; hour and quarter only for timed entries', () => {
    const timed = { date: '2026-12-07', time: '10:00', startsAt: localToEpoch('2026-12-07', '10:00', TZ)! };
    const r = reminderTimes(timed, ['week_before', 'day_before', 'same_day', 'hour_before', 'quarter_before'], TZ);
    expect(r.map((x) => [x.code, new Date(x.dueAt).toISOString()])).toEqual([
      ['week_before', '2026-11-30T15:00:00.000Z'],
      ['day_before', '2026-12-06T15:00:00.000Z'],
      ['same_day', '2026-12-07T15:00:00.000Z'],
      ['hour_before', '2026-12-07T15:00:00.000Z'],
      ['quarter_before', '2026-12-07T15:45:00.000Z'],
    ]);
    const allDay = { date: '2026-12-07', time: null, startsAt: localToEpoch('2026-12-07', null, TZ)! };
    expect(reminderTimes(allDay, ['hour_before', 'day_before'], TZ).map((x) => x.code)).toEqual(['day_before']);
    // A same-day 09:00 reminder for an 08:00 event would come after it.
    expect(reminderTimes({ ...timed, time: '08:00' }, ['same_day'], TZ)).toEqual([]);
  });

  it('local date arithmetic does not drift across a DST change', () => {
    expect(addDays('2026-09-05', 2)).toBe('2026-09-07');
    expect(addDays('2026-04-04', 1)).toBe('2026-04-05');
  });
});

describe('the quick form', () => {
  it.each([
    ['2026-12-07 10:00 Conferencia de prensa', { date: '2026-12-07', time: '10:00', title: 'Conferencia de prensa', kind: 'press_conference' }],
    ['7/12/2026 Comunicado sobre obras', { date: '2026-12-07', time: null, title: 'Comunicado sobre obras', kind: 'press_release' }],
    ['2026-12-7 9:30 Reunión de equipo', { date: '2026-12-07', time: '09:30', title: 'Reunión de equipo', kind: 'meeting' }],
  ])('%s', (text, expected) => {
    expect(parseQuickAdd(text)).toEqual(expected);
  });

  it('refuses what it cannot read', () => {
    expect(parseQuickAdd('mañana a las diez')).toBe('unreadable');
    expect(parseQuickAdd('2026-12-07')).toBe('missing_title');
  });

  it('guesses kinds from words people use', () => {
    expect(guessKind('Día Internacional de la Mujer')).toBe('commemoration');
    expect(guessKind('Cobertura del foro')).toBe('coverage');
    expect(guessKind('Otra cosa')).toBe('other');
  });

  it('validation: weekly needs days, until after start, defaults depend on the time', () => {
    const now = localToEpoch('2026-11-22', '08:00', TZ)!;
    expect(validateEntry({ title: 'x', date: '2026-12-01', recurrence: 'weekly', weekdays: [] }, now, TZ)).toEqual({ ok: false, errors: { weekdays: 'weekdays_required' } });
    expect(validateEntry({ title: 'x', date: '2026-12-01', untilDate: '2026-11-30', recurrence: 'monthly' }, now, TZ)).toEqual({ ok: false, errors: { until: 'until_before_start' } });
    const ok = validateEntry({ title: 'x', date: '2026-12-01', time: '10:00' }, now, TZ);
    expect(ok.ok && ok.value.reminders).toEqual(['day_before', 'hour_before']);
    const allDay = validateEntry({ title: 'x', date: '2026-12-01' }, now, TZ);
    expect(allDay.ok && allDay.value.reminders).toEqual(['day_before']);
  });
});
