import { createTask, validateDetailed, type CronFieldError, type ScheduledTask } from 'node-cron';

/**
 * Cron expressions (KPI_REPORT_CRON) read with node-cron, but never run by it: node-cron's timers
 * would fire in memory, and a restart could then repeat or lose a report. Here node-cron validates
 * the expression and decides which calendar days match; this module turns each matching day's
 * wall-clock times in the office's zone into instants, and the job registry plans one durable row
 * per instant.
 *
 * The meaning of an expression is node-cron's, including where it differs from classic cron:
 * day-of-month and day-of-week are combined with AND (`0 9 13 * 5` is Friday the 13th, not every
 * 13th and every Friday), and it accepts names (mon, jan), `L`, `nW`, `L-n`, `nL` and `n#k`.
 *
 * Resolution is the minute: a sixth (seconds) field is accepted only when it is `0`.
 *
 * Daylight saving, for zones that have it (America/Santiago, America/New_York):
 * - A wall time that occurs twice (fall back) fires once, at its first occurrence: the report goes
 *   out when the office's clock first shows that time, and the second pass adds nothing. (So does
 *   node-cron in the Americas; east of UTC, e.g. Europe/Berlin, it picks the second pass.)
 * - A wall time that does not exist (spring forward) fires once, at the first instant after the
 *   gap (the clock's jump). node-cron itself would skip it, but a skipped occurrence is a lost
 *   report (Santiago jumps at 00:00, so `0 0 * * *` would lose a day every September); classic
 *   cron also runs the skipped times right after the change. Several skipped times collapse into
 *   that one instant, together with a regular occurrence at it.
 */
export interface CronSchedule {
  /** the expression as given, normalised (trimmed, single spaces) */
  expression: string;
  tz: string;
  /** epoch ms of every occurrence in (from, to], ascending, at most `limit` (default 1000) */
  between(from: number, to: number, limit?: number): number[];
  /** the first occurrence strictly after `t`, or null if none within ~5 years */
  next(t: number): number | null;
}

export type CronParse = { ok: true; schedule: CronSchedule } | { ok: false; message: string };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How far `next` looks before it says there is no next occurrence. */
const NEXT_HORIZON = 5 * 366 * DAY;
/** UTC offsets on Earth lie in [-12:00, +14:00]; one more hour either side is margin. */
const MIN_OFFSET = -13 * HOUR;
const MAX_OFFSET = 15 * HOUR;

const EXAMPLE = 'ejemplo: «0 9 * * 1» (lunes 09:00)';
const FIELDS_HINT = '5 campos: minuto hora día-del-mes mes día-de-la-semana';

/** Spanish, per node-cron field: what was refused and what the field accepts. */
const FIELD_WORDS: Record<string, (v: string) => string> = {
  second: (v) => `los segundos «${v}» no son válidos (0–59)`,
  minute: (v) => `el minuto «${v}» no es válido (0–59)`,
  hour: (v) => `la hora «${v}» no es válida (0–23)`,
  dayOfMonth: (v) => `el día del mes «${v}» no es válido (1–31, L, L-n o nW)`,
  month: (v) => `el mes «${v}» no es válido (1–12, o jan…dec en inglés)`,
  dayOfWeek: (v) => `el día de la semana «${v}» no es válido (0–7, donde 0 y 7 son domingo, o sun…sat en inglés)`,
};

const fail = (what: string): CronParse => ({ ok: false, message: `${what}; ${EXAMPLE}` });

/**
 * Reads a cron expression (5 fields, or 6 with seconds `0`; node-cron's syntax) whose times are
 * wall-clock times in `tz`. On failure the message, in Spanish, says what is wrong and gives an
 * example; it reads on its own and after «Valor no válido en KPI_REPORT_CRON: ».
 */
export function parseCron(expression: string, tz: string): CronParse {
  const expr = expression.trim().replace(/\s+/g, ' ');
  if (!isTimeZone(tz)) return { ok: false, message: `la zona horaria «${tz}» no existe; use una zona IANA, por ejemplo America/Mexico_City` };
  if (expr === '') return fail(`la expresión cron está vacía; se esperan ${FIELDS_HINT}`);
  const v = validateDetailed(expr);
  if (!v.valid || !v.fields) return fail(describeErrors(expr, v.errors));
  if (v.fields.second.length !== 1 || v.fields.second[0] !== 0) {
    const secs = expr.split(' ')[0];
    return fail(`con 6 campos el primero son los segundos («${secs}»), y aquí solo se admite 0: los informes se programan por minuto; use ${FIELDS_HINT}`);
  }
  const f = v.fields;
  const times = [...new Set(f.hour.flatMap((h) => f.minute.map((m) => h * HOUR + m * MINUTE)))].sort((a, b) => a - b);
  const sieve: DaySieve = { months: new Set(f.month), monthDays: numbersOnly(f.dayOfMonth), weekDays: numbersOnly(f.dayOfWeek) };
  return { ok: true, schedule: new NodeCronSchedule(expr, tz, times, sieve, dayMatcher(expr)) };
}

function describeErrors(expr: string, errors: CronFieldError[]): string {
  const fields = expr.split(' ');
  const problems = errors.map((e) => {
    if (e.field === 'expression') {
      if (/fields/.test(e.message)) return `«${expr}» tiene ${fields.length} ${fields.length === 1 ? 'campo' : 'campos'}, y se esperan ${FIELDS_HINT}`;
      if (/illegal/.test(e.message)) return `«${expr}» tiene caracteres no permitidos (solo dígitos, nombres en inglés como mon o jan, y * , - / # ?)`;
      return `«${expr}» no es una expresión cron válida`;
    }
    if (/impossible/.test(e.message)) return `el día del mes «${e.value ?? ''}» no existe en ningún mes elegido`;
    const words = FIELD_WORDS[e.field];
    return words ? words(e.value ?? '') : `«${expr}» no es una expresión cron válida`;
  });
  // With six fields node-cron reads the first one as seconds: a year or an extra field shows up as
  // an odd week day, so say how the fields were read.
  if (fields.length === 6 && errors.some((e) => e.field !== 'expression')) problems.push('con 6 campos, el primero son los segundos');
  return problems.join('; ');
}

/**
 * A cheap first look at a calendar day, from node-cron's parsed fields: a day it rejects, node-cron
 * rejects too (plain numbers match by equality there, and the day fields are ANDed); a day it lets
 * through is then asked to node-cron. A field with tokens (L, nW, n#k…) is left to node-cron.
 */
interface DaySieve {
  months: ReadonlySet<number>;
  monthDays: ReadonlySet<number> | null;
  weekDays: ReadonlySet<number> | null;
}

function numbersOnly(values: readonly (number | string)[]): ReadonlySet<number> | null {
  return values.every((x) => typeof x === 'number') ? new Set(values as number[]) : null;
}

function sieveLets(s: DaySieve, day: number): boolean {
  const d = new Date(day);
  if (!s.months.has(d.getUTCMonth() + 1)) return false;
  if (s.monthDays && !s.monthDays.has(d.getUTCDate())) return false;
  return !s.weekDays || s.weekDays.has(d.getUTCDay());
}

/**
 * node-cron's own answer to "does this calendar day match?": a task for the same expression in
 * UTC, asked about the day's first listed time. The task is never started (no timer) and is
 * removed from node-cron's task registry at once; `match` only consults its time matcher.
 */
function dayMatcher(expr: string): ScheduledTask {
  const task = createTask(expr, () => undefined, { timezone: 'UTC' });
  void task.destroy();
  return task;
}

class NodeCronSchedule implements CronSchedule {
  private readonly offsets: ZoneOffsets;

  constructor(
    readonly expression: string,
    readonly tz: string,
    /** wall-clock times of a matching day, ms after local midnight, ascending */
    private readonly times: readonly number[],
    private readonly sieve: DaySieve,
    private readonly days: ScheduledTask,
  ) {
    this.offsets = new ZoneOffsets(tz);
  }

  between(from: number, to: number, limit = 1000): number[] {
    const out: number[] = [];
    if (!(to > from) || !(limit > 0) || !Number.isFinite(from) || !Number.isFinite(to)) return out;
    const first = this.times[0]!;
    let last = -Infinity;
    // A day earlier than `from`'s: a skipped time just before midnight fires on the next day.
    const lastDay = this.offsets.localDay(to);
    for (let day = this.offsets.localDay(from) - DAY; day <= lastDay; day += DAY) {
      if (!sieveLets(this.sieve, day)) continue;
      if (!this.days.match(new Date(day + first))) continue;
      const shift = this.offsets.dayShift(day);
      for (const time of this.times) {
        const wall = day + time;
        const t = typeof shift === 'number' ? wall - shift : instantOf(wall, shift);
        // Instants grow with wall times; equal ones (skipped times collapsing) fire once.
        if (t <= from || t <= last) continue;
        if (t > to) return out;
        out.push(t);
        last = t;
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  next(t: number): number | null {
    return this.between(t, t + NEXT_HORIZON, 1)[0] ?? null;
  }
}

function isTimeZone(tz: string): boolean {
  if (tz.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * A zone's UTC offsets, from the runtime's time-zone data. A "wall" value is a local date and time
 * written as if it were UTC (Date.UTC of its fields); `wall - offset` is the instant.
 */
class ZoneOffsets {
  private readonly fmt: Intl.DateTimeFormat;

  constructor(tz: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The offset at instant `t` (ms; local = t + offset). */
  offsetAt(t: number): number {
    const f: Record<string, number> = {};
    for (const p of this.fmt.formatToParts(new Date(t))) if (p.type !== 'literal') f[p.type] = Number(p.value);
    const wall = Date.UTC(f.year!, f.month! - 1, f.day!, f.hour! % 24, f.minute!, f.second!);
    return wall - Math.floor(t / 1000) * 1000;
  }

  /** The local calendar day of instant `t`, as the UTC midnight of that date. */
  localDay(t: number): number {
    const wall = t + this.offsetAt(t);
    return wall - (((wall % DAY) + DAY) % DAY);
  }

  /**
   * How the offset behaves over the local day starting at wall midnight `day`: one offset for the
   * whole day (a number), or the change that happens during it. Real zones never change offset
   * twice within two days, so equal offsets before and after the day's instants mean no change.
   */
  dayShift(day: number): number | Shift {
    let [lo, hi] = [day - MAX_OFFSET, day + DAY - MIN_OFFSET];
    const [before, after] = [this.offsetAt(lo), this.offsetAt(hi)];
    if (before === after) return before;
    // The first minute with the new offset (changes happen on whole minutes).
    while (hi - lo > MINUTE) {
      const mid = lo + Math.max(1, Math.floor((hi - lo) / 2 / MINUTE)) * MINUTE;
      if (this.offsetAt(mid) === after) hi = mid;
      else lo = mid;
    }
    return { before, after, at: hi };
  }
}

/** A change of offset: `before` until instant `at`, `after` from it on. */
interface Shift {
  before: number;
  after: number;
  at: number;
}

/**
 * The instant a wall time fires on a day with a change of offset: the only one that shows it; the
 * first of two (fall back); or, when the clock jumps over it (spring forward), the jump itself.
 */
function instantOf(wall: number, s: Shift): number {
  const [withBefore, withAfter] = [wall - s.before, wall - s.after];
  const beforeShows = withBefore < s.at;
  const afterShows = withAfter >= s.at;
  if (beforeShows && afterShows) return Math.min(withBefore, withAfter);
  if (beforeShows) return withBefore;
  if (afterShows) return withAfter;
  return s.at;
}
