import { describe, expect, it } from 'vitest';
import { occurrenceOf, occurrencesOf } from '../../src/domain/calendar/recurrence.js';
import { entryReminderRows } from '../../src/domain/calendar/plan.js';
import type { CalendarEntry, EntryException } from '../../src/domain/calendar/types.js';
import { editedSeries, validateEdit } from '../../src/domain/calendar/validate.js';
import { localToEpoch } from '../../src/domain/shared/time.js';

const TZ = 'America/Mexico_City';
const weekly: CalendarEntry = {
  id: 7,
  title: 'Pauta',
  kind: 'meeting',
  startDate: '2026-11-23',
  time: '10:00',
  ownerId: null,
  recurrence: { freq: 'weekly', weekdays: [1] },
  untilDate: '2026-12-28',
  reminders: ['day_before'],
  notes: null,
  createdBy: 'UA',
  createdAt: 0,
  updatedAt: 0,
  version: 1,
  updatedBy: null,
};
const move = (occurrenceDate: string, newDate: string): EntryException => ({ entryId: 7, occurrenceDate, action: 'move', newDate, newTime: null, newTitle: 'Movida' });

describe('dates moved far away', () => {
  it.each([
    ['90 days ahead', '2026-11-30', '2027-02-28'],
    ['400 days ahead, another year', '2026-11-30', '2028-01-04'],
    ['400 days back, another year', '2026-12-28', '2025-11-23'],
  ])('%s: on the new date, gone from the old one', (_, from, to) => {
    const ex = [move(from, to)];
    expect(occurrencesOf(weekly, ex, to, to, TZ).map((o) => [o.occurrenceDate, o.date, o.title])).toEqual([[from, to, 'Movida']]);
    expect(occurrencesOf(weekly, ex, from, from, TZ)).toEqual([]);
    expect(occurrenceOf(weekly, ex, from, TZ)?.date).toBe(to);
  });

  it('a move left behind by a later change of the series names no date of it and shows nowhere', () => {
    const ex = [move('2026-11-24', '2027-03-01')]; // a Tuesday: the series is on Mondays now
    expect(occurrencesOf(weekly, ex, '2027-03-01', '2027-03-01', TZ)).toEqual([]);
    expect(occurrenceOf(weekly, ex, '2026-11-24', TZ)).toBeNull();
  });

  it('reminder rows are planned for a date moved into the window from a year away', () => {
    const now = localToEpoch('2027-12-20', '08:00', TZ)!;
    const rows = entryReminderRows(weekly, [move('2026-11-30', '2028-01-04')], now, now + 62 * 86_400_000, TZ);
    expect(rows.map((r) => [r.payload!.occurrenceDate, r.dueAt])).toEqual([['2026-11-30', localToEpoch('2028-01-03', '09:00', TZ)]]);
  });
});

describe('editing «toda la serie»', () => {
  const now = localToEpoch('2026-12-01', '08:00', TZ)!;
  const raw = { title: 'Pauta editorial', date: '2026-12-07', time: '10:00', kind: 'meeting', recurrence: 'weekly', weekdays: ['1'], untilDate: '2026-12-28' };

  it('keeps the start when the date shown was left as it was, even a past one', () => {
    const v = validateEdit({ ...raw, date: '2026-11-23' }, '2026-11-23', 'series', now, TZ);
    expect(v.ok && editedSeries(weekly, v.value, '2026-11-23').startDate).toBe('2026-11-23');
    const w = validateEdit(raw, '2026-12-07', 'series', now, TZ);
    expect(w.ok && editedSeries(weekly, w.value, '2026-12-07')).toMatchObject({ startDate: '2026-11-23', title: 'Pauta editorial' });
  });

  it('moves the start by as many days as the shown date moved; a changed date may not be in the past', () => {
    const v = validateEdit({ ...raw, date: '2026-12-08' }, '2026-12-07', 'series', now, TZ);
    expect(v.ok && editedSeries(weekly, v.value, '2026-12-07').startDate).toBe('2026-11-24');
    expect(validateEdit({ ...raw, date: '2026-11-24' }, '2026-12-07', 'series', now, TZ)).toMatchObject({ ok: false, errors: { date: 'past_date' } });
  });

  it('«solo esta fecha» ignores the series settings (no «hasta» before the new date)', () => {
    expect(validateEdit({ ...raw, date: '2027-03-01', untilDate: '2026-12-28' }, '2026-12-07', 'occurrence', now, TZ)).toMatchObject({ ok: true, value: { startDate: '2027-03-01', recurrence: { freq: 'none' } } });
  });
});
