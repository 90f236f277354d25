import { createRequire } from 'node:module';
import Holidays from 'date-holidays';
import type { HolidaySource } from '../../domain/inquiries/business-days.js';
import { addDays, type LocalDate } from '../../domain/shared/time.js';

/** The library's version: its data changes with it (a new holiday law), and due dates are computed again. */
export const DATE_HOLIDAYS_VERSION: string = (createRequire(import.meta.url)('date-holidays/package.json') as { version: string }).version;

/**
 * Public holidays from date-holidays: the country's (and the region's, when LEGAL_REGION is set)
 * days of type «public» — the days the law does not count. Bank holidays and observances are not
 * counted (Mexico's Holy Thursday and Friday are «bank»: an office that closes then lists them in
 * OFFICE_CLOSED_DATES). Each year is read once.
 */
export function dateHolidaysSource(country: string, region?: string | null): HolidaySource {
  const hd = region ? new Holidays(country, region) : new Holidays(country);
  const years = new Map<number, Map<LocalDate, string[]>>();
  const year = (y: number): Map<LocalDate, string[]> => {
    let days = years.get(y);
    if (days) return days;
    days = new Map();
    for (const h of hd.getHolidays(y) || []) {
      if (h.type !== 'public') continue;
      const first = h.date.slice(0, 10);
      const span = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / 86_400_000));
      for (let i = 0; i < span; i++) {
        const d = addDays(first, i);
        days.set(d, [...(days.get(d) ?? []), h.name]);
      }
    }
    years.set(y, days);
    return days;
  };
  return {
    holidaysOn(date: LocalDate): string[] {
      const y = Number(date.slice(0, 4));
      // A holiday that spans a year end is filed under the year it starts in.
      return [...(year(y).get(date) ?? []), ...(date.slice(5) <= '01-07' ? (year(y - 1).get(date) ?? []) : [])];
    },
  };
}

/** Whether date-holidays knows this country (and, when given, this region of it). */
export function knownRegion(country: string, region?: string | null): boolean {
  const hd = new Holidays();
  if (!hd.getCountries()[country]) return false;
  if (!region) return true;
  const states = hd.getStates(country);
  return !!states && Object.prototype.hasOwnProperty.call(states, region);
}

/** The regions of a country that have holidays of their own in date-holidays (codes). */
export function regionsOf(country: string): string[] {
  return Object.keys(new Holidays().getStates(country) ?? {}).sort();
}
