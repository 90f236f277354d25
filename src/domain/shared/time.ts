import { TZDate } from '@date-fns/tz';

/**
 * Local dates are 'YYYY-MM-DD' strings in the office's time zone; instants are epoch ms (UTC).
 * Date arithmetic on local dates is done on the calendar (UTC midnight), never on instants, so a
 * daylight-saving change cannot shift a day.
 */
export type LocalDate = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const isTime = (t: string): boolean => TIME.test(t);

export function parseLocalDate(s: string): { y: number; m: number; d: number } | null {
  const r = DATE.exec(s);
  if (!r) return null;
  const [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return { y, m, d };
}

export const isLocalDate = (s: string): boolean => parseLocalDate(s) !== null;

/**
 * Day arithmetic runs hundreds of times per KPI summary (series, weeks, levels): both conversions
 * remember recent days. Bounded: a cache that fills up starts over.
 */
const DAY_CACHE_MAX = 8192;
const toDayCache = new Map<string, number>();
const fromDayCache = new Map<number, LocalDate>();

const fromUtcDay = (ms: number): LocalDate => {
  let s = fromDayCache.get(ms);
  if (s === undefined) {
    s = new Date(ms).toISOString().slice(0, 10);
    if (fromDayCache.size >= DAY_CACHE_MAX) fromDayCache.clear();
    fromDayCache.set(ms, s);
  }
  return s;
};
const toUtcDay = (s: LocalDate): number => {
  let ms = toDayCache.get(s);
  if (ms === undefined) {
    const p = parseLocalDate(s);
    if (!p) throw new Error(`not a date: ${s}`);
    ms = Date.UTC(p.y, p.m - 1, p.d);
    if (toDayCache.size >= DAY_CACHE_MAX) toDayCache.clear();
    toDayCache.set(s, ms);
  }
  return ms;
};

export const addDays = (s: LocalDate, n: number): LocalDate => fromUtcDay(toUtcDay(s) + n * 86_400_000);
export const daysBetween = (a: LocalDate, b: LocalDate): number => Math.round((toUtcDay(b) - toUtcDay(a)) / 86_400_000);
/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const isoWeekday = (s: LocalDate): number => ((new Date(toUtcDay(s)).getUTCDay() + 6) % 7) + 1;
export const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Local date (and optional time) in `tz` to epoch ms; null when the date or time does not exist. */
export function localToEpoch(date: string, time: string | null, tz: string): number | null {
  const d = parseLocalDate(date);
  if (!d) return null;
  let h = 0;
  let mi = 0;
  if (time) {
    const t = TIME.exec(time);
    if (!t) return null;
    [h, mi] = [Number(t[1]), Number(t[2])];
  }
  return new TZDate(d.y, d.m - 1, d.d, h, mi, tz).getTime();
}

/** The office's local date of an instant. */
export function localDateOf(ms: number, tz: string): LocalDate {
  const d = new TZDate(ms, tz);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function localTimeOf(ms: number, tz: string): string {
  const d = new TZDate(ms, tz);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function startOfLocalDay(ms: number, tz: string): number {
  return localToEpoch(localDateOf(ms, tz), null, tz)!;
}
