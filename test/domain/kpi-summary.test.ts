import { beforeEach, describe, expect, it } from 'vitest';
import { KpiService } from '../../src/domain/kpis/service.js';
import { kpiClosingKind } from '../../src/domain/kpis/jobs.js';
import { parseTypedNumber, toHundredths } from '../../src/domain/kpis/metrics.js';
import type { Effect } from '../../src/domain/shared/effects.js';
import { RoleService } from '../../src/domain/shared/role-service.js';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { SqliteJobRepository } from '../../src/store/job-repo.js';
import { SqliteKpiRepository } from '../../src/store/kpi-repo.js';
import { migrate } from '../../src/store/migrate.js';
import { SqliteRoleRepository } from '../../src/store/role-repo.js';
import { JobScheduler } from '../../src/scheduler/jobs.js';
import { pino } from 'pino';

const TZ = 'America/Mexico_City';
let db: DB;
let now: number;
let kpis: KpiService;
let sent: Effect[];

const at = (date: string, time = '12:00') => localToEpoch(date, time, TZ)!;

beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db);
  now = at('2026-11-15');
  sent = [];
  const clock = { now: () => now };
  const roles = new RoleService({ approverIds: [], designerIds: [], adminIds: ['p1'] }, new SqliteRoleRepository(db), clock);
  const jobs = new JobScheduler({ repo: new SqliteJobRepository(db), clock, log: pino({ level: 'silent' }), enqueue: () => undefined, onEnqueued: () => undefined });
  const repo = new SqliteKpiRepository(db);
  kpis = new KpiService({ repo, jobs, roles, clock, tz: TZ, enqueue: (e) => sent.push(e), alerts: { kpiPlace: true, reportTime: '09:00' } });
  jobs.register(kpiClosingKind({ repo, roles, settings: { tz: TZ, tzData: 'x', graceMs: 0, kpiPlace: true, reportCron: '0 9 * * 1', reportTimes: () => [], reportTime: '09:00' } }));
});

/** 8M: November 1–30 (30 days); budget $150,000; donations target $600,000; reach 300,000; followers 50,000; retention 85 %. */
function define8m() {
  const r = kpis.define('8m', {
    name: 'Campaña 8M',
    start: '2026-11-01',
    end: '2026-11-30',
    budget: 150000,
    targets: [
      { metric: 'donaciones', value: 600000 },
      { metric: 'alcance', value: 300000 },
      { metric: 'seguidores', value: 50000 },
      { metric: 'retencion', value: 85 },
    ],
  }, 'p1');
  expect(r.ok).toBe(true);
}

const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `2026-11-${String(from + i).padStart(2, '0')}`);

describe('campaign summary arithmetic', () => {
  it('sums days, prorates the target by elapsed days, projects at the current pace; re-sent figures replace', () => {
    define8m();
    // 14 days of donations: $15,000.50 a day from the CRM; day 3 first sent as 99,999 then corrected.
    const obs = days(1, 14).map((date) => ({ campaign: '8m', metric: 'donaciones', date, value: 15000.5, source: 'crm' }));
    expect(kpis.record([{ campaign: '8M', metric: 'Donaciones', date: '2026-11-03', value: 99999, source: 'crm' }], 'p1')).toMatchObject({ ok: true, stored: 1, replaced: 0 });
    expect(kpis.record(obs, 'p1')).toMatchObject({ ok: true, stored: 13, replaced: 1, unchanged: 0 });
    // Sent again: nothing counts twice.
    expect(kpis.record(obs, 'p1')).toMatchObject({ ok: true, stored: 0, replaced: 14, unchanged: 14 });
    // Spend: $5,000 a day for 14 days from two sources (meta 3,000 + google 2,000).
    kpis.record(days(1, 14).flatMap((date) => [{ campaign: '8m', metric: 'gasto', date, value: 3000, source: 'meta' }, { campaign: '8m', metric: 'gasto', date, value: 2000, source: 'google' }]), 'p1');

    const s = kpis.summary(kpis.campaign('8m')!, '2026-11-14');
    expect(s).toMatchObject({ totalDays: 30, elapsedDays: 14, daysLeft: 16 });
    const don = s.metrics.find((m) => m.metric.key === 'donaciones')!;
    // 14 × 15,000.50 = 210,007.00 → 21,000,700 cents, exactly.
    expect(don.value).toBe(21_000_700);
    // expected = 600,000 × 14/30 = 280,000.00
    expect(don.expected).toBe(28_000_000);
    expect(don.progress).toBeCloseTo(210007 / 600000, 10);
    // projection = 210,007 / 14 × 30 = 450,015.00
    expect(don.projection).toBe(45_001_500);
    // 210,007 / 280,000 = 0.75 → behind (below 80 %)
    expect(don.status).toBe('behind');
    // last 7 days (8–14) vs 7 before (1–7): equal
    expect(don.week).toEqual({ current: 10_500_350, previous: 10_500_350, change: 0 });
    expect(s.budget).toEqual({ amount: 15_000_000, spent: 7_000_000, progress: 70000 / 150000, projection: 15_000_000, status: 'on_track' });
  });

  it('levels use the last value per source (summed), percentages are averaged, never summed', () => {
    define8m();
    kpis.record(
      [
        { campaign: '8m', metric: 'seguidores', date: '2026-11-01', value: 30000, source: 'facebook' },
        { campaign: '8m', metric: 'seguidores', date: '2026-11-01', value: 10000, source: 'x' },
        { campaign: '8m', metric: 'seguidores', date: '2026-11-10', value: 33000, source: 'facebook' },
        { campaign: '8m', metric: 'retencion', date: '2026-11-10', value: 80, source: 'crm' },
        { campaign: '8m', metric: 'retencion', date: '2026-11-10', value: 90.5, source: 'encuesta' },
      ],
      'p1',
    );
    const s = kpis.summary(kpis.campaign('8m')!, '2026-11-14');
    const seg = s.metrics.find((m) => m.metric.key === 'seguidores')!;
    expect(seg.value).toBe(4_300_000); // 33,000 (facebook, latest) + 10,000 (x, carried)
    expect(seg.expected).toBeNull();
    // trend from 40,000 on Nov 1 to 43,000 on Nov 10: 333.33/day × 20 more days → 49,667
    expect(seg.projection).toBe(Math.round(4_300_000 + (300_000 / 9) * 20));
    expect(seg.status).toBe('at_risk');
    const ret = s.metrics.find((m) => m.metric.key === 'retencion')!;
    expect(ret.value).toBe(8525); // (80 + 90.5) / 2 = 85.25 %
    expect(ret.status).toBe('on_track');
  });

  it('a bad batch stores nothing and says which item and field', () => {
    define8m();
    const r = kpis.record(
      [
        { campaign: '8m', metric: 'donaciones', date: '2026-11-02', value: 100 },
        { campaign: 'nada', metric: 'donaciones', date: '2026-11-02', value: 100 },
        { campaign: '8m', metric: 'llamadas', date: '2026-11-02', value: -3 },
        { campaign: '8m', metric: 'retencion', date: '2026-11-02', value: 101 },
        { campaign: '8m', metric: 'alcance', date: '2026-12-02', value: 1 },
        { campaign: '8m', metric: 'alcance', date: '2026-11-02', value: '12' },
        { campaign: '8m', metric: 'likes', date: '2026-11-02', value: 1 },
      ],
      'p1',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.index, e.field, e.problem.code])).toEqual([
      [1, 'campaign', 'unknown_campaign'],
      [2, 'value', 'negative'],
      [3, 'value', 'over_100'],
      [4, 'date', 'outside_campaign'],
      [5, 'value', 'not_a_number'],
      [6, 'metric', 'unknown_metric'],
    ]);
    expect(kpis.summary(kpis.campaign('8m')!, '2026-11-14').metrics.find((m) => m.metric.key === 'donaciones')!.value).toBeNull();
  });

  it('spend crossing 90 % of the budget is told once, and again only after recovering', () => {
    define8m();
    kpis.record([{ campaign: '8m', metric: 'gasto', date: '2026-11-02', value: 100000, source: 'meta' }], 'p1');
    expect(sent.filter((e) => e.type === 'kpi_alert' && e.alert === 'budget_90')).toHaveLength(0);
    kpis.record([{ campaign: '8m', metric: 'gasto', date: '2026-11-03', value: 36000, source: 'meta' }], 'p1');
    const alerts90 = () => sent.filter((e) => e.type === 'kpi_alert' && e.alert === 'budget_90');
    expect(alerts90()).toHaveLength(1);
    kpis.record([{ campaign: '8m', metric: 'gasto', date: '2026-11-04', value: 1000, source: 'meta' }], 'p1');
    expect(alerts90()).toHaveLength(1);
    // A correction brings it under 90 %, then over again: told again.
    kpis.record([{ campaign: '8m', metric: 'gasto', date: '2026-11-03', value: 0, source: 'meta' }], 'p1');
    kpis.record([{ campaign: '8m', metric: 'gasto', date: '2026-11-03', value: 36000, source: 'meta' }], 'p1');
    expect(alerts90()).toHaveLength(2);
  });
});

describe('campaign definitions', () => {
  it('refuse units and aggregations that are not theirs, object built-ins included', () => {
    const r = kpis.define('x', { name: 'X', start: '2026-11-01', end: '2026-11-30', metrics: [{ key: 'firmas', name: 'Firmas', unit: 'constructor', aggregation: '__proto__' }] }, 'p1');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.problem.code)).toEqual(['invalid_unit', 'invalid_aggregation']);
  });
});

describe('values', () => {
  it.each([
    ['12500', 12500],
    ['12,500', 12500],
    ['$12,500.50', 12500.5],
    ['12.500,50', 12500.5],
    ['1.234.567', 1234567],
    ['85 %', 85],
    ['85,5%', 85.5],
    ['0.1', 0.1],
    ['doce', null],
    ['1,2,3', null],
    ['12.5.6', null],
  ])('«%s» reads as %s', (typed, n) => expect(parseTypedNumber(typed)).toBe(n));

  it('money is exact hundredths', () => {
    expect(toHundredths(19.99, 'money')).toEqual({ ok: true, value: 1999 });
    expect(toHundredths(0.1 + 0.2, 'money')).toEqual({ ok: false, problem: 'too_precise' });
    expect(toHundredths(1.5, 'count')).toEqual({ ok: false, problem: 'not_whole' });
    expect(toHundredths(100.01, 'percent')).toEqual({ ok: false, problem: 'over_100' });
  });
});
