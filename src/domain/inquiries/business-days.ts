import { addDays, isLocalDate, isoWeekday, localDateOf, localTimeOf, type LocalDate } from '../shared/time.js';

/**
 * Business days («días hábiles») as the law counts them: not a Saturday or Sunday, not a public
 * holiday of the country (and region), not a day the office declared closed. Public holidays come
 * from a source (date-holidays in production); this module only counts.
 */
export interface HolidaySource {
  /** names of the public holidays on this local date (empty when none) */
  holidaysOn(date: LocalDate): string[];
}

/** A closed period, both ends included. */
export interface DateRange {
  from: LocalDate;
  to: LocalDate;
}

/** Office hours, 'HH:MM' each: a request that arrives at or after `close` counts from the next business day. */
export interface OfficeHours {
  open: string;
  close: string;
}

export type ClosedReason = { kind: 'weekend' } | { kind: 'holiday'; names: string[] } | { kind: 'closed'; range: DateRange };

/** More than ten years of consecutive closed days is a broken source, not a calendar. */
const MAX_SCAN_DAYS = 3700;
const CACHE_MAX = 20_000;

export class BusinessCalendar {
  private readonly cache = new Map<LocalDate, ClosedReason | null>();

  constructor(
    private readonly holidays: HolidaySource,
    readonly closed: readonly DateRange[],
    readonly hours: OfficeHours,
  ) {}

  /** Why this date is not a business day, or null when it is one. */
  closedReason(date: LocalDate): ClosedReason | null {
    const hit = this.cache.get(date);
    if (hit !== undefined) return hit;
    if (!isLocalDate(date)) throw new RangeError(`not a date: ${date}`);
    let reason: ClosedReason | null = null;
    if (isoWeekday(date) >= 6) reason = { kind: 'weekend' };
    else {
      const names = this.holidays.holidaysOn(date);
      if (names.length) reason = { kind: 'holiday', names };
      else {
        const range = this.closed.find((r) => r.from <= date && date <= r.to);
        if (range) reason = { kind: 'closed', range };
      }
    }
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(date, reason);
    return reason;
  }

  isBusinessDay(date: LocalDate): boolean {
    return this.closedReason(date) === null;
  }

  /** The first business day strictly after `date`. */
  nextBusinessDay(date: LocalDate): LocalDate {
    let d = date;
    for (let i = 0; i < MAX_SCAN_DAYS; i++) {
      d = addDays(d, 1);
      if (this.isBusinessDay(d)) return d;
    }
    throw new RangeError(`no business day within ${MAX_SCAN_DAYS} days after ${date}`);
  }

  /**
   * The n-th business day after `date` (terms «count from the day after receipt»): n = 0 is the
   * date itself; negative n counts backwards.
   */
  addBusinessDays(date: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n)) throw new RangeError(`not a whole number of days: ${n}`);
    let d = date;
    let left = Math.abs(n);
    const step = n < 0 ? -1 : 1;
    let scanned = 0;
    while (left > 0) {
      d = addDays(d, step);
      if (this.isBusinessDay(d)) left--;
      if (++scanned > MAX_SCAN_DAYS + Math.abs(n) * 7) throw new RangeError(`no business days around ${date}`);
    }
    return d;
  }

  /**
   * Business days in (a, b]: how many business days pass from a to b. Negative when b is before a
   * (then it counts (b, a]). «Vencida hace 3 días hábiles» is businessDaysBetween(due, today).
   */
  businessDaysBetween(a: LocalDate, b: LocalDate): number {
    if (a === b) return 0;
    if (b < a) return -this.businessDaysBetween(b, a);
    let n = 0;
    let scanned = 0;
    for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) {
      if (this.isBusinessDay(d)) n++;
      if (++scanned > 40_000) throw new RangeError(`range too long: ${a}..${b}`);
    }
    return n;
  }

  /**
   * The date a request counts as received: its local date when that is a business day and it came
   * before closing time; otherwise the next business day.
   */
  receiptDate(ms: number, tz: string): LocalDate {
    const date = localDateOf(ms, tz);
    if (this.isBusinessDay(date) && localTimeOf(ms, tz) < this.hours.close) return date;
    return this.nextBusinessDay(date);
  }
}

const HOURS = /^([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-3]):([0-5]\d)$/;

/** '09:00-18:00' (one-digit hours accepted); null when malformed or when it closes before it opens. */
export function parseOfficeHours(s: string): OfficeHours | null {
  const padded = s.trim().replace(/(^|-\s*)(\d):/g, (_m, pre: string, h: string) => `${pre}0${h}:`);
  const m = HOURS.exec(padded);
  if (!m) return null;
  const open = `${m[1]}:${m[2]}`;
  const close = `${m[3]}:${m[4]}`;
  return open < close ? { open, close } : null;
}

/**
 * OFFICE_CLOSED_DATES: '2026-03-30..2026-04-03, 2026-05-05' (a range may also be written with '/').
 * '' is no closed days; null when any part is not a date or a range ends before it starts.
 */
export function parseClosedDates(s: string): DateRange[] | null {
  const out: DateRange[] = [];
  for (const raw of s.split(/[,;\n]/)) {
    const part = raw.trim();
    if (!part) continue;
    const [from, to, ...rest] = part.split(/\s*(?:\.\.|\/)\s*/);
    if (rest.length || !from || !isLocalDate(from)) return null;
    const end = to ?? from;
    if (!isLocalDate(end) || end < from) return null;
    out.push({ from, to: end });
  }
  return out.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}
