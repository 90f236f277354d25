import { describe, expect, it } from 'vitest';
import { parseQuickAdd, readDate, readTime, validateEntry } from '../../src/domain/calendar/validate.js';
import { localToEpoch } from '../../src/domain/shared/time.js';

const TZ = 'America/Mexico_City';

describe('times as people write them', () => {
  it.each([
    ['10:00', '10:00'],
    ['9:05', '09:05'],
    ['10:00am', '10:00'],
    ['10 am', '10:00'],
    ['10am', '10:00'],
    ['10 a.m.', '10:00'],
    ['10:00 a. m.', '10:00'],
    ['12 am', '00:00'],
    ['12 pm', '12:00'],
    ['6 pm', '18:00'],
    ['6 PM', '18:00'],
    ['6:30 p.m.', '18:30'],
    ['10:00 hrs', '10:00'],
    ['10:00 h', '10:00'],
    ['18:30hrs', '18:30'],
    ['18 horas', '18:00'],
    ['a las 10', '10:00'],
    ['a las 16:45', '16:45'],
    ['10:00:00', '10:00'],
  ])('%s → %s', (text, expected) => {
    expect(readTime(text)).toBe(expected);
  });

  it.each(['25:00', '10:75', '13 pm', '0 am', '10', 'diez', '10:00 mañana', '1000'])('%s is not a time', (text) => {
    expect(readTime(text)).toBe('invalid');
  });

  it('an empty cell is no time', () => {
    expect(readTime('  ')).toBeNull();
  });
});

describe('dates as people write them', () => {
  it.each([
    ['2026-12-07', '2026-12-07'],
    ['2026-12-7', '2026-12-07'],
    ['07/12/2026', '2026-12-07'],
    ['7/12/2026', '2026-12-07'],
    [' 31/1/2027 ', '2027-01-31'],
    ['12/07/26', null],
    ['7 de diciembre', null],
    ['2026/12/07', null],
  ])('%s → %s', (text, expected) => {
    expect(readDate(text)).toBe(expected);
  });
});

describe('the quick form reads date, time and title', () => {
  it.each([
    ['2026-12-07 10:00 Conferencia de prensa', { date: '2026-12-07', time: '10:00', title: 'Conferencia de prensa' }],
    ['2026-12-07 10:00am Conferencia', { date: '2026-12-07', time: '10:00', title: 'Conferencia' }],
    ['2026-12-07 10 am Conferencia', { date: '2026-12-07', time: '10:00', title: 'Conferencia' }],
    ['2026-12-07 10:00 hrs Reunión', { date: '2026-12-07', time: '10:00', title: 'Reunión' }],
    ['07/12/2026 18:30hrs Cobertura', { date: '2026-12-07', time: '18:30', title: 'Cobertura' }],
    ['07/12/2026 6:30 p.m. Cobertura', { date: '2026-12-07', time: '18:30', title: 'Cobertura' }],
    ['2026-12-07 a las 10 Rueda de prensa', { date: '2026-12-07', time: '10:00', title: 'Rueda de prensa' }],
    // A number without a colon, suffix or «a las» belongs to the title.
    ['2026-12-07 10 años de la oficina', { date: '2026-12-07', time: null, title: '10 años de la oficina' }],
    ['2026-12-07 10 hermanos', { date: '2026-12-07', time: null, title: '10 hermanos' }],
  ])('%s', (text, expected) => {
    expect(parseQuickAdd(text)).toMatchObject(expected);
  });

  it.each([
    ['2026-12-07 10:00', 'missing_title'],
    ['2026-12-07 10 am ', 'missing_title'],
    ['2026-12-07', 'missing_title'],
    ['2026-12-07 25:00 Conferencia', 'invalid_time'],
    ['2026-12-07 10:75 Conferencia', 'invalid_time'],
    ['el martes 10:00 Conferencia', 'unreadable'],
  ])('%s → %s', (text, expected) => {
    expect(parseQuickAdd(text)).toBe(expected);
  });
});

describe('a series that has already started is not in the past', () => {
  const now = localToEpoch('2027-03-10', '08:00', TZ)!;
  it.each([
    [{ recurrence: 'weekly', weekdays: [1], untilDate: '2027-12-27' }, true],
    [{ recurrence: 'monthly', untilDate: null }, true],
    [{ recurrence: 'yearly' }, true],
    [{ recurrence: 'monthly', untilDate: '2027-03-01' }, false],
    [{ recurrence: 'none' }, false],
  ])('%j → accepted: %s', (over, accepted) => {
    const r = validateEntry({ title: 'Serie', date: '2027-01-04', time: '09:30', ...over }, now, TZ);
    expect(r.ok).toBe(accepted);
    if (!r.ok) expect(Object.values(r.errors)).toEqual(['past_date']);
  });
});
