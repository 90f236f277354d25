import { describe, expect, it } from 'vitest';
import { dateHolidaysSource } from '../../src/adapters/holidays/date-holidays.js';
import { BusinessCalendar, parseClosedDates, parseOfficeHours, type HolidaySource } from '../../src/domain/inquiries/business-days.js';
import { dueDate, legalTable, maxExtendedDueDate, parseLegalOverride, termFor } from '../../src/domain/inquiries/legal-terms.js';
import { isoWeekday, localToEpoch } from '../../src/domain/shared/time.js';

/**
 * Official holiday calendars, written by hand from the law — not from the library — so that the
 * library's data and our counting are both checked against them.
 *
 * Colombia: Ley 51 de 1983 (Ley Emiliani: Reyes, San José, San Pedro y San Pablo, Asunción, Día de
 * la Raza, Todos los Santos and Independencia de Cartagena move to the next Monday; Ascensión,
 * Corpus Christi and Sagrado Corazón are moved to Monday counting from Easter), the fixed days (1
 * January, Holy Thursday and Friday, 1 May, 20 July, 7 August, 8 December, 25 December), and the
 * Virgen de Chiquinquirá (9 July, moved to Monday) from 2026. Easter: 20 April 2025, 5 April 2026,
 * 28 March 2027.
 * Mexico: Ley Federal del Trabajo, art. 74 — 1 January, first Monday of February, third Monday of
 * March, 1 May, 16 September, third Monday of November, 25 December (and 1 October every six years:
 * 2024, 2030). Holy Thursday and Friday are not in art. 74: offices that close list them.
 */
const OFFICIAL: Record<'CO' | 'MX', Record<number, string[]>> = {
  CO: {
    2025: ['01-01', '01-06', '03-24', '04-17', '04-18', '05-01', '06-02', '06-23', '06-30', '07-20', '08-07', '08-18', '10-13', '11-03', '11-17', '12-08', '12-25'],
    2026: ['01-01', '01-12', '03-23', '04-02', '04-03', '05-01', '05-18', '06-08', '06-15', '06-29', '07-13', '07-20', '08-07', '08-17', '10-12', '11-02', '11-16', '12-08', '12-25'],
    2027: ['01-01', '01-11', '03-22', '03-25', '03-26', '05-01', '05-10', '05-31', '06-07', '07-05', '07-12', '07-20', '08-07', '08-16', '10-18', '11-01', '11-15', '12-08', '12-25'],
  },
  MX: {
    2025: ['01-01', '02-03', '03-17', '05-01', '09-16', '11-17', '12-25'],
    2026: ['01-01', '02-02', '03-16', '05-01', '09-16', '11-16', '12-25'],
    2027: ['01-01', '02-01', '03-15', '05-01', '09-16', '11-15', '12-25'],
  },
};

const officialSource = (country: 'CO' | 'MX'): HolidaySource => {
  const days = new Set(Object.entries(OFFICIAL[country]).flatMap(([y, ds]) => ds.map((d) => `${y}-${d}`)));
  return { holidaysOn: (date) => (days.has(date) ? ['oficial'] : []) };
};
const HOURS = { open: '09:00', close: '18:00' };
const official = (country: 'CO' | 'MX', closed = '') => new BusinessCalendar(officialSource(country), parseClosedDates(closed)!, HOURS);
const library = (country: 'CO' | 'MX', closed = '') => new BusinessCalendar(dateHolidaysSource(country), parseClosedDates(closed)!, HOURS);

describe('public holidays: date-holidays agrees with the official calendars', () => {
  for (const country of ['CO', 'MX'] as const) {
    for (const year of [2025, 2026, 2027]) {
      it(`${country} ${year}: the weekdays that are not business days are exactly the official holidays`, () => {
        const cal = library(country);
        const closed: string[] = [];
        for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
          const date = d.toISOString().slice(0, 10);
          if (isoWeekday(date) <= 5 && !cal.isBusinessDay(date)) closed.push(date.slice(5));
        }
        const weekdays = OFFICIAL[country][year]!.filter((md) => isoWeekday(`${year}-${md}`) <= 5);
        expect(closed).toEqual(weekdays);
      });
    }
  }
});

describe('legal due dates, counted on the official calendars and on the library', () => {
  const co = legalTable('CO')!;
  const mx = legalTable('MX')!;
  const cases: { name: string; country: 'CO' | 'MX'; closed?: string; type: 'peticion' | 'informacion' | 'consulta'; receipt: string; due: string; maxExtended?: string }[] = [
    // Dec 16–19 (4), 22–24 (7), [25], 26 (8), 29–31 (11), [1 Jan], 2 (12), 5–7 (15). Twice the term: … 8–9 (17), [12 Reyes], 13–16 (21), 19–23 (26), 26–29 (30).
    { name: 'CO petición across 25 December and 1 January', country: 'CO', type: 'peticion', receipt: '2025-12-15', due: '2026-01-07', maxExtended: '2026-01-29' },
    { name: 'CO información across 25 December', country: 'CO', type: 'informacion', receipt: '2025-12-15', due: '2025-12-30', maxExtended: '2026-01-15' },
    // Dec 2–4 (3), 7 (4), [8], 9–11 (7), 14–18 (12), 21–24 (16), [25], 28–31 (20), [1 Jan], 4–8 (25), [11 Reyes], 12–15 (29), 18 (30).
    { name: 'CO consulta across 2026–2027, with Reyes moved to Monday 11 January', country: 'CO', type: 'consulta', receipt: '2026-12-01', due: '2027-01-18' },
    // Mar 30–Apr 1 (3), [2–3 Holy Thursday and Friday], 6–10 (8), 13–17 (13), 20–21 (15).
    { name: 'CO petición across Holy Week 2026', country: 'CO', type: 'peticion', receipt: '2026-03-27', due: '2026-04-21' },
    // Mar 18–19 (2), [22 San José], 23–24 (4), [25–26 Holy Week], 29–31 (7), Apr 1–2 (9), 5 (10).
    { name: 'CO información across San José and Holy Week 2027', country: 'CO', type: 'informacion', receipt: '2027-03-17', due: '2027-04-05' },
    // Dec 16–24 (7), 26 (8), 29–31 (11), Jan 2 (12), 5–9 (17), 12–14 (20). Plus 10: 15–16 (22), 19–23 (27), 26–28 (30).
    { name: 'MX información across 25 December and 1 January', country: 'MX', type: 'informacion', receipt: '2025-12-15', due: '2026-01-14', maxExtended: '2026-01-28' },
    // Dec 11 (1), 14–18 (6), 21–24 (10), 28–31 (14), Jan 4–8 (19), 11 (20).
    { name: 'MX información across 2026–2027', country: 'MX', type: 'informacion', receipt: '2026-12-10', due: '2027-01-11' },
    // Holy Thursday and Friday are not federal holidays: Mar 30–Apr 3 (5), 6–10 (10), 13–17 (15), 20–24 (20).
    { name: 'MX información over Holy Week 2026, office open', country: 'MX', type: 'informacion', receipt: '2026-03-27', due: '2026-04-24' },
    // With the office closed that week: Apr 6–10 (5), 13–17 (10), 20–24 (15), 27–30 (19), [1 May], 4 May (20).
    { name: 'MX información over Holy Week 2026, office closed', country: 'MX', closed: '2026-03-30..2026-04-03', type: 'informacion', receipt: '2026-03-27', due: '2026-05-04' },
    // [15 Mar Juárez], 16–19 (4), [22–26 closed], 29 Mar–2 Apr (9), 5–9 (14), 12–16 (19), 19 (20).
    { name: 'MX información over Juárez and a closed Holy Week 2027', country: 'MX', closed: '2027-03-22/2027-03-26', type: 'informacion', receipt: '2027-03-12', due: '2027-04-19' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const term = termFor(c.country === 'CO' ? co : mx, c.type)!;
      for (const cal of [official(c.country, c.closed), library(c.country, c.closed)]) {
        expect(dueDate(cal, c.receipt, term)).toBe(c.due);
        if (c.maxExtended) expect(maxExtendedDueDate(cal, c.receipt, term)).toBe(c.maxExtended);
      }
    });
  }
});

describe('the business calendar', () => {
  const cal = official('MX', '2026-12-24..2026-12-31');
  const mx = (date: string, time: string) => localToEpoch(date, time, 'America/Mexico_City')!;

  it('a request counts as received the same business day before closing, else the next business day', () => {
    expect(cal.receiptDate(mx('2026-12-10', '17:59'), 'America/Mexico_City')).toBe('2026-12-10');
    expect(cal.receiptDate(mx('2026-12-10', '18:00'), 'America/Mexico_City')).toBe('2026-12-11');
    expect(cal.receiptDate(mx('2026-12-10', '03:00'), 'America/Mexico_City')).toBe('2026-12-10');
    // Saturday 12 → Monday 14; in the December closure → Monday 4 January (1 January is a holiday).
    expect(cal.receiptDate(mx('2026-12-12', '10:00'), 'America/Mexico_City')).toBe('2026-12-14');
    expect(cal.receiptDate(mx('2026-12-23', '18:30'), 'America/Mexico_City')).toBe('2027-01-04');
    // The office's zone decides the date: 01:00 UTC on Friday 11 is still Thursday 10 at 19:00 in Mexico City.
    expect(cal.receiptDate(Date.UTC(2026, 11, 11, 1, 0), 'America/Mexico_City')).toBe('2026-12-11');
  });

  it('says why a day is not a business day', () => {
    expect(cal.closedReason('2026-12-12')).toEqual({ kind: 'weekend' });
    expect(cal.closedReason('2026-11-16')).toEqual({ kind: 'holiday', names: ['oficial'] });
    expect(cal.closedReason('2026-12-28')).toEqual({ kind: 'closed', range: { from: '2026-12-24', to: '2026-12-31' } });
    expect(cal.closedReason('2026-12-22')).toBeNull();
  });

  it('counts business days between two dates either way, and adds zero or negative days', () => {
    expect(cal.businessDaysBetween('2026-12-18', '2026-12-22')).toBe(2);
    expect(cal.businessDaysBetween('2026-12-22', '2026-12-18')).toBe(-2);
    expect(cal.businessDaysBetween('2026-12-22', '2026-12-22')).toBe(0);
    // «Vencida hace 2 días hábiles»: due Tuesday 22, today Monday 4 January; the office is closed 24–31 December → 23 (1), 4 (2).
    expect(cal.businessDaysBetween('2026-12-22', '2027-01-04')).toBe(2);
    expect(cal.addBusinessDays('2026-12-12', 0)).toBe('2026-12-12');
    expect(cal.addBusinessDays('2027-01-04', -2)).toBe('2026-12-22');
    expect(cal.nextBusinessDay('2026-12-23')).toBe('2027-01-04');
  });

  it('a source that never gives a business day stops with an error instead of looping', () => {
    const never = new BusinessCalendar({ holidaysOn: () => ['siempre'] }, [], HOURS);
    expect(() => never.nextBusinessDay('2026-01-01')).toThrow(RangeError);
    expect(() => never.addBusinessDays('2026-01-01', 3)).toThrow(RangeError);
  });
});

describe('settings', () => {
  it('office hours', () => {
    expect(parseOfficeHours('09:00-18:00')).toEqual({ open: '09:00', close: '18:00' });
    expect(parseOfficeHours('8:30 - 16:00')).toEqual({ open: '08:30', close: '16:00' });
    expect(parseOfficeHours('18:00-09:00')).toBeNull();
    expect(parseOfficeHours('9-18')).toBeNull();
    expect(parseOfficeHours('25:00-26:00')).toBeNull();
  });

  it('closed dates: single dates and ranges, with .. or /', () => {
    expect(parseClosedDates('')).toEqual([]);
    expect(parseClosedDates('2026-05-05, 2026-03-30..2026-04-03')).toEqual([
      { from: '2026-03-30', to: '2026-04-03' },
      { from: '2026-05-05', to: '2026-05-05' },
    ]);
    expect(parseClosedDates('2026-12-24/2026-12-31')).toEqual([{ from: '2026-12-24', to: '2026-12-31' }]);
    expect(parseClosedDates('2026-04-03..2026-03-30')).toBeNull();
    expect(parseClosedDates('2026-02-30')).toBeNull();
    expect(parseClosedDates('semana santa')).toBeNull();
  });

  it('the legal table of each country, and an office override by type', () => {
    expect(termFor(legalTable('CO')!, 'consulta')).toMatchObject({ days: 30, extensionDays: 30, law: 'Ley 1755 de 2015' });
    expect(termFor(legalTable('CL')!, 'informacion')).toMatchObject({ days: 20, extensionDays: 10, law: 'Ley 20.285', article: 'art. 14' });
    expect(termFor(legalTable('AR')!, 'informacion')).toMatchObject({ days: 15, extensionDays: 15, law: 'Ley 27.275', article: 'art. 11' });
    expect(termFor(legalTable('UY')!, 'informacion')).toMatchObject({ days: 20, extensionDays: 20, law: 'Ley 18.381', article: 'art. 15' });
    expect(termFor(legalTable('MX')!, 'peticion')).toBeNull();
    expect(termFor(legalTable('CO')!, 'prensa')).toBeNull();
    expect(legalTable('PE')).toBeNull();
    const o = parseLegalOverride('[{"type":"informacion","days":10,"extension_days":10,"law":"Ley de Transparencia del Estado","article":"art. 45"},{"type":"peticion","days":15,"law":"Constitución, art. 8","article":"art. 8"}]');
    expect(o.ok).toBe(true);
    const t = legalTable('MX', o.ok ? o.terms : [])!;
    expect(termFor(t, 'informacion')).toMatchObject({ days: 10, article: 'art. 45' });
    expect(termFor(t, 'peticion')).toMatchObject({ days: 15, extensionDays: 0 });
    expect(legalTable('PE', o.ok ? o.terms : [])!.terms).toHaveLength(2);
  });

  it('an override file with mistakes says which row and what', () => {
    expect(parseLegalOverride('no')).toMatchObject({ ok: false });
    const bad = parseLegalOverride('[{"type":"prensa","days":5,"law":"x","article":"y"},{"type":"informacion","days":0,"law":"x","article":"y"}]');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.some((p) => p.startsWith('fila 1, type'))).toBe(true);
      expect(bad.problems.some((p) => p.startsWith('fila 2, days'))).toBe(true);
    }
    const twice = parseLegalOverride('[{"type":"queja","days":5,"law":"x","article":"y"},{"type":"queja","days":6,"law":"x","article":"y"}]');
    expect(twice).toEqual({ ok: false, problems: ['fila 2: el tipo queja ya está en otra fila'] });
  });
});
