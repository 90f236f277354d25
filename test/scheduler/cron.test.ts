import { performance } from 'node:perf_hooks';
import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCron, type CronSchedule } from '../../src/scheduler/cron.js';

const MX = 'America/Mexico_City';
const SCL = 'America/Santiago';
const NY = 'America/New_York';
const BOG = 'America/Bogota';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const at = (iso: string): number => Date.parse(iso);
const isoOf = (ts: readonly number[]): string[] => ts.map((t) => new Date(t).toISOString().replace(':00.000Z', 'Z'));

function schedule(expression: string, tz: string): CronSchedule {
  const r = parseCron(expression, tz);
  if (!r.ok) throw new Error(r.message);
  return r.schedule;
}

function messageOf(expression: string, tz = MX): string {
  const r = parseCron(expression, tz);
  if (r.ok) throw new Error(`accepted: ${expression}`);
  return r.message;
}

/** What node-cron itself says the next `n` runs after `from` are (its own walker, under a fake clock). */
function nodeCronRuns(expression: string, tz: string, from: number, n: number): number[] {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(from);
  const task = cron.createTask(expression, () => undefined, { timezone: tz });
  try {
    return task.getNextRuns(n).map((d) => d.getTime());
  } finally {
    void task.destroy();
    vi.useRealTimers();
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('parseCron: occurrences', () => {
  const cases: { name: string; expr: string; tz: string; from: string; to: string; want: string[] }[] = [
    {
      name: 'the default, Monday 09:00 in Mexico City (UTC-6 all year)',
      expr: '0 9 * * 1',
      tz: MX,
      from: '2026-01-01T00:00Z',
      to: '2026-02-01T00:00Z',
      want: ['2026-01-05T15:00Z', '2026-01-12T15:00Z', '2026-01-19T15:00Z', '2026-01-26T15:00Z'],
    },
    {
      name: 'day names mean the same (any case)',
      expr: '0 9 * * MON',
      tz: MX,
      from: '2026-01-01T00:00Z',
      to: '2026-01-13T00:00Z',
      want: ['2026-01-05T15:00Z', '2026-01-12T15:00Z'],
    },
    {
      name: 'every 15 minutes',
      expr: '*/15 * * * *',
      tz: MX,
      from: '2026-03-02T15:00Z',
      to: '2026-03-02T16:00Z',
      want: ['2026-03-02T15:15Z', '2026-03-02T15:30Z', '2026-03-02T15:45Z', '2026-03-02T16:00Z'],
    },
    {
      name: 'the 1st of every month at 08:00 in Bogotá (UTC-5)',
      expr: '0 8 1 * *',
      tz: BOG,
      from: '2026-01-01T00:00Z',
      to: '2026-04-30T00:00Z',
      want: ['2026-01-01T13:00Z', '2026-02-01T13:00Z', '2026-03-01T13:00Z', '2026-04-01T13:00Z'],
    },
    {
      name: "node-cron's AND of day-of-month and day-of-week: Friday the 13th only",
      expr: '0 9 13 * 5',
      tz: MX,
      from: '2026-01-01T00:00Z',
      to: '2027-01-01T00:00Z',
      want: ['2026-02-13T15:00Z', '2026-03-13T15:00Z', '2026-11-13T15:00Z'],
    },
    {
      name: "node-cron's L: the last day of the month",
      expr: '0 18 L * *',
      tz: MX,
      from: '2026-01-01T00:00Z',
      to: '2026-04-01T00:00Z',
      want: ['2026-02-01T00:00Z', '2026-03-01T00:00Z', '2026-04-01T00:00Z'],
    },
    {
      name: 'six fields with seconds 0 are the five-field form',
      expr: '0 0 9 * * 1',
      tz: MX,
      from: '2026-01-01T00:00Z',
      to: '2026-01-13T00:00Z',
      want: ['2026-01-05T15:00Z', '2026-01-12T15:00Z'],
    },
    {
      name: "node-cron's nicknames",
      expr: '@weekly',
      tz: MX,
      from: '2026-01-01T00:00Z',
      to: '2026-01-12T00:00Z',
      want: ['2026-01-04T06:00Z', '2026-01-11T06:00Z'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(isoOf(schedule(c.expr, c.tz).between(at(c.from), at(c.to)))).toEqual(c.want);
    });
  }

  it('normalises the expression it keeps (trimmed, single spaces)', () => {
    const s = schedule('  0   9 *\t* 1 ', MX);
    expect(s.expression).toBe('0 9 * * 1');
    expect(s.tz).toBe(MX);
  });

  it('agrees with node-cron on every run outside daylight-saving gaps', () => {
    const probes: [string, string, string][] = [
      ['0 9 * * 1', MX, '2026-01-01T00:00Z'],
      ['*/20 8-10 * * 1-5', BOG, '2026-05-29T00:00Z'],
      ['0 9 * * 1#1', MX, '2026-01-01T00:00Z'],
      ['0 9 15W * *', MX, '2026-01-01T00:00Z'],
      ['30 8 * jan,jul mon-fri', SCL, '2026-01-01T00:00Z'],
      // across Santiago's fall back: the repeated 23:xx fires once, at its first pass
      ['30 23 * * *', SCL, '2026-04-01T00:00Z'],
      ['*/15 23 * * *', SCL, '2026-04-03T00:00Z'],
      ['0 12 * * 1', NY, '2026-02-01T00:00Z'],
      ['0 9 * * 7', MX, '2026-01-01T00:00Z'],
      ['0 9 1,15 * sun', BOG, '2026-01-01T00:00Z'],
    ];
    for (const [expr, tz, from] of probes) {
      const ours = schedule(expr, tz).between(at(from), at(from) + 2000 * DAY, 12);
      expect(ours.length, expr).toBe(12);
      expect(isoOf(ours), `${expr} in ${tz}`).toEqual(isoOf(nodeCronRuns(expr, tz, at(from), 12)));
    }
  });

  it('leaves no task in node-cron’s registry', () => {
    const before = cron.getTasks().size;
    for (let i = 0; i < 5; i++) parseCron('0 9 * * 1', MX);
    expect(cron.getTasks().size).toBe(before);
  });
});

describe('parseCron: daylight saving (America/Santiago, America/New_York)', () => {
  it('a wall time the clock skips fires once, at the jump (Santiago, 2026-09-06 00:00 → 01:00)', () => {
    const got = schedule('30 0 * * *', SCL).between(at('2026-09-04T00:00Z'), at('2026-09-08T12:00Z'));
    expect(isoOf(got)).toEqual([
      '2026-09-04T04:30Z', // 00:30 -04
      '2026-09-05T04:30Z', // 00:30 -04
      '2026-09-06T04:00Z', // 00:30 does not exist: 01:00 -03, the first instant after the gap
      '2026-09-07T03:30Z', // 00:30 -03
      '2026-09-08T03:30Z',
    ]);
  });

  it('node-cron itself would skip that day: the deliberate difference', () => {
    const theirs = nodeCronRuns('30 0 * * *', SCL, at('2026-09-04T00:00Z'), 4);
    expect(isoOf(theirs)).toEqual(['2026-09-04T04:30Z', '2026-09-05T04:30Z', '2026-09-07T03:30Z', '2026-09-08T03:30Z']);
  });

  it('skipped times collapse into one instant with the regular one at the jump', () => {
    const got = schedule('*/15 * * * *', SCL).between(at('2026-09-06T03:30Z'), at('2026-09-06T04:30Z'));
    expect(isoOf(got)).toEqual(['2026-09-06T03:45Z', '2026-09-06T04:00Z', '2026-09-06T04:15Z', '2026-09-06T04:30Z']);
  });

  it('the fall back day (Santiago, 2026-04-05): 00:30 fires once, and the repeated 23:30 of the 4th once, at its first pass', () => {
    expect(isoOf(schedule('30 0 * * *', SCL).between(at('2026-04-03T00:00Z'), at('2026-04-07T00:00Z')))).toEqual([
      '2026-04-03T03:30Z', // 00:30 -03
      '2026-04-04T03:30Z',
      '2026-04-05T04:30Z', // 00:30 -04, after the change
      '2026-04-06T04:30Z',
    ]);
    expect(isoOf(schedule('30 23 * * *', SCL).between(at('2026-04-03T12:00Z'), at('2026-04-06T12:00Z')))).toEqual([
      '2026-04-04T02:30Z', // 04-03 23:30 -03
      '2026-04-05T02:30Z', // 04-04 23:30 -03; the same wall time again at 03:30Z (-04) does not fire
      '2026-04-06T03:30Z', // 04-05 23:30 -04
    ]);
  });

  it('every minute across the fall back: the repeated hour once, then a pause, never twice', () => {
    const got = schedule('* * * * *', SCL).between(at('2026-04-05T02:00Z'), at('2026-04-05T05:00Z'), 500);
    expect(got.length).toBe(59 + 61); // 23:01…23:59 (-03, first pass), then 00:00…01:00 (-04)
    expect(got.filter((t) => t > at('2026-04-05T03:00Z') && t < at('2026-04-05T04:00Z'))).toEqual([]);
    expect(new Set(got).size).toBe(got.length);
  });

  it('a day that is one hour short or long still has each wall time once', () => {
    const gap = schedule('* * * * *', SCL).between(at('2026-09-06T03:00Z'), at('2026-09-07T03:00Z'), 2000);
    expect(gap.length).toBe(1440); // 24 real hours; 00:00–00:59 of the 6th collapse into 01:00
    const fold = schedule('0 * * * *', SCL).between(at('2026-04-04T03:00Z'), at('2026-04-05T04:00Z'));
    expect(fold.length).toBe(24); // local 04-04 01:00 … 04-05 00:00 in 25 real hours: the repeated 23:00 once
  });

  it('New York: 02:30 on the spring-forward day fires at 03:00 EDT; 01:30 on the fall-back day once, EDT', () => {
    expect(isoOf(schedule('30 2 * * *', NY).between(at('2026-03-07T00:00Z'), at('2026-03-10T00:00Z')))).toEqual([
      '2026-03-07T07:30Z',
      '2026-03-08T07:00Z',
      '2026-03-09T06:30Z',
    ]);
    expect(isoOf(schedule('30 1 * * *', NY).between(at('2026-10-31T00:00Z'), at('2026-11-03T00:00Z')))).toEqual([
      '2026-10-31T05:30Z',
      '2026-11-01T05:30Z',
      '2026-11-02T06:30Z',
    ]);
  });
});

describe('between and next: bounds', () => {
  const s = () => schedule('0 9 * * 1', MX);
  const monday = at('2026-01-05T15:00Z');

  it('(from, to]: an occurrence at `from` is excluded, one at `to` included', () => {
    expect(s().between(monday, monday + 7 * DAY)).toEqual([monday + 7 * DAY]);
    expect(s().between(monday - 1, monday)).toEqual([monday]);
    expect(s().between(monday, monday)).toEqual([]);
    expect(s().between(monday + 1, monday - 1)).toEqual([]);
  });

  it('limit, 1000 by default', () => {
    const every = schedule('* * * * *', MX);
    const from = at('2026-03-02T06:00Z');
    expect(every.between(from, from + DAY)).toHaveLength(1000);
    expect(every.between(from, from + DAY, 1440)).toHaveLength(1440);
    expect(s().between(monday - DAY, monday + 30 * DAY, 2)).toEqual([monday, monday + 7 * DAY]);
    expect(s().between(monday - DAY, monday + 30 * DAY, 0)).toEqual([]);
  });

  it('next is strictly after; null when nothing within ~5 years', () => {
    expect(s().next(monday - 1)).toBe(monday);
    expect(s().next(monday)).toBe(monday + 7 * DAY);
    // Feb 29th on a Monday: next in 2044
    expect(schedule('0 0 29 2 1', MX).next(at('2026-01-01T00:00Z'))).toBeNull();
    expect(schedule('0 0 29 2 1', MX).next(at('2043-01-01T00:00Z'))).toBe(at('2044-02-29T06:00Z'));
  });
});

describe('parseCron: refusals, in Spanish', () => {
  const EXAMPLE = '«0 9 * * 1» (lunes 09:00)';
  const cases: [string, RegExp][] = [
    ['99 * * * *', /minuto «99» no es válido \(0–59\)/],
    ['0 24 * * *', /hora «24» no es válida \(0–23\)/],
    ['0 9 32 * *', /día del mes «32»/],
    ['0 9 * 13 *', /mes «13»/],
    ['0 9 * * 8', /día de la semana «8»/],
    ['0 9 * * lun', /día de la semana «lun».*sun…sat en inglés/],
    ['hola', /«hola» tiene 1 campo, y se esperan 5 campos: minuto hora/],
    ['', /vacía/],
    ['   ', /vacía/],
    ['0 9 * * 1 2026 x', /tiene 7 campos/],
    ['0 9 * * 1 2026', /con 6 campos, el primero son los segundos/],
    ['*/10 0 9 * * 1', /segundos \(«\*\/10»\).*solo se admite 0.*por minuto/],
    ['0 9 31 2 *', /día del mes «31» no existe/],
    ['0 9 * * 1!', /caracteres no permitidos/],
  ];
  for (const [expr, re] of cases) {
    it(JSON.stringify(expr), () => {
      const m = messageOf(expr);
      expect(m).toMatch(re);
      expect(m).toContain(EXAMPLE);
    });
  }

  it('an unknown time zone', () => {
    expect(messageOf('0 9 * * 1', 'America/Gotham')).toMatch(/zona horaria «America\/Gotham» no existe/);
  });
});

describe('performance', () => {
  /** The best of a few runs, after a warm-up: what the code costs, not the machine's hiccups. */
  function bestMs(f: () => unknown): number {
    f();
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      f();
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  }

  it('a year of the default expression in < 20 ms', () => {
    for (const tz of [MX, SCL]) {
      const s = schedule('0 9 * * 1', tz);
      const from = at('2026-01-01T00:00Z');
      expect(s.between(from, from + 365 * DAY)).toHaveLength(52);
      expect(bestMs(() => s.between(from, from + 365 * DAY))).toBeLessThan(20);
    }
  });

  it('every minute of a day (1440 values) in < 20 ms, also on a daylight-saving day', () => {
    for (const [tz, from] of [[MX, '2026-03-02T06:00Z'], [SCL, '2026-09-06T03:00Z']] as const) {
      const s = schedule('* * * * *', tz);
      expect(s.between(at(from), at(from) + DAY, 2000)).toHaveLength(1440);
      expect(bestMs(() => s.between(at(from), at(from) + DAY, 2000))).toBeLessThan(20);
    }
  });

  it('next with nothing to find for 5 years in < 50 ms', () => {
    const s = schedule('0 0 29 2 1', MX);
    expect(bestMs(() => s.next(at('2026-01-01T00:00Z')))).toBeLessThan(50);
  });
});
