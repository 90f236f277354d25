import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { kpiCheckKind, kpiClosingKind, kpiReportKind, type KpiJobSettings } from '../../src/domain/kpis/jobs.js';
import { KpiService } from '../../src/domain/kpis/service.js';
import type { Effect } from '../../src/domain/shared/effects.js';
import { RoleService } from '../../src/domain/shared/role-service.js';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { JobScheduler } from '../../src/scheduler/jobs.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { SqliteJobRepository } from '../../src/store/job-repo.js';
import { SqliteKpiRepository } from '../../src/store/kpi-repo.js';
import { migrate } from '../../src/store/migrate.js';
import { SqliteRoleRepository } from '../../src/store/role-repo.js';

const TZ = 'America/Mexico_City';
const at = (date: string, time = '12:00') => localToEpoch(date, time, TZ)!;
const dbs: DB[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));

/** One «process» of the bot over a database file: its own scheduler, service and clock. */
function boot(path: string, clock: { now: () => number }, reportTimes: KpiJobSettings['reportTimes'] = () => []) {
  const db = openDatabase(path);
  dbs.push(db);
  migrate(db);
  const sent: Effect[] = [];
  const roles = new RoleService({ approverIds: [], designerIds: [], adminIds: ['p1'] }, new SqliteRoleRepository(db), clock);
  const jobs = new JobScheduler({ repo: new SqliteJobRepository(db), clock, log: pino({ level: 'silent' }), enqueue: (e) => void sent.push(e), onEnqueued: () => undefined });
  const repo = new SqliteKpiRepository(db);
  const settings: KpiJobSettings = { tz: TZ, tzData: 'test', graceMs: 6 * 3_600_000, kpiPlace: true, reportCron: 'test', reportTimes, reportTime: '09:00' };
  const kpis = new KpiService({ repo, jobs, roles, clock, tz: TZ, enqueue: (e) => void sent.push(e), alerts: { kpiPlace: true, reportTime: '09:00' } });
  jobs.register(kpiReportKind({ kpis, settings })).register(kpiClosingKind({ repo, roles, settings })).register(kpiCheckKind({ repo, kpis, settings }));
  return { db, jobs, kpis, sent };
}

const file = () => join(mkdtempSync(join(tmpdir(), 'vb-kpi-jobs-')), 'kpi.db');

describe('KPI jobs', () => {
  it('a campaign that ends gets one closing report the next morning, not repeated by a restart', async () => {
    const path = file();
    let now = at('2026-11-20');
    const clock = { now: () => now };
    const a = boot(path, clock);
    a.kpis.define('8m', { name: '8M', start: '2026-11-01', end: '2026-11-25', targets: [{ metric: 'llamadas', value: 100 }] }, 'p1');
    // Moved: the closing follows the new end.
    a.kpis.define('8m', { name: '8M', start: '2026-11-01', end: '2026-11-30', targets: [{ metric: 'llamadas', value: 100 }] }, 'p1');
    // Replaced again with the same end (a CRM that PUTs every night): the closing report stays planned.
    a.kpis.define('8m', { name: '8M', start: '2026-11-01', end: '2026-11-30', targets: [{ metric: 'llamadas', value: 120 }] }, 'p1');
    now = at('2026-11-26', '10:00');
    await a.jobs.tick();
    expect(a.sent.filter((e) => e.type === 'kpi_closing')).toHaveLength(0);
    now = at('2026-12-01', '09:00') + 1000;
    await a.jobs.tick();
    expect(a.sent.filter((e) => e.type === 'kpi_closing')).toEqual([{ type: 'kpi_closing', to: { place: 'kpi' }, campaignId: 1 }]);
    a.db.close();
    const b = boot(path, clock);
    now += 3_600_000;
    await b.jobs.tick();
    expect(b.sent.filter((e) => e.type === 'kpi_closing')).toHaveLength(0);
  });

  it('the morning check tells a metric fallen behind once, and again only after it recovered', async () => {
    const path = file();
    let now = at('2026-11-02', '08:00');
    const clock = { now: () => now };
    const a = boot(path, clock);
    // 300 calls in 30 days: 10 a day expected.
    a.kpis.define('8m', { name: '8M', start: '2026-11-01', end: '2026-11-30', targets: [{ metric: 'llamadas', value: 300 }] }, 'p1');
    a.kpis.record([{ campaign: '8m', metric: 'llamadas', date: '2026-11-01', value: 10 }], 'p1');
    const behind = () => a.sent.filter((e) => e.type === 'kpi_alert' && e.alert === 'behind');
    now = at('2026-11-02', '09:00') + 1;
    await a.jobs.tick();
    expect(behind()).toHaveLength(0);
    // Nothing on Nov 2 and 3: 10 of 30 expected by Nov 3 → behind, told at 09:00 on Nov 4, once.
    now = at('2026-11-04', '09:00') + 1;
    await a.jobs.tick();
    expect(behind()).toEqual([{ type: 'kpi_alert', to: { place: 'kpi' }, campaignId: 1, alert: 'behind', metric: 'llamadas', date: '2026-11-03' }]);
    now = at('2026-11-05', '09:00') + 1;
    await a.jobs.tick();
    expect(behind()).toHaveLength(1);
    // Catches up (50 by Nov 5 ≥ 50 expected), then falls behind again: told a second time.
    a.kpis.record([{ campaign: '8m', metric: 'llamadas', date: '2026-11-05', value: 40 }], 'p1');
    now = at('2026-11-06', '09:00') + 1;
    await a.jobs.tick();
    expect(behind()).toHaveLength(1);
    now = at('2026-11-09', '09:00') + 1;
    await a.jobs.tick();
    expect(behind()).toHaveLength(2);
  });

  it('reports are planned from the cron occurrences and fire once each, only while a campaign runs', async () => {
    const path = file();
    let now = at('2026-11-01', '08:00');
    const clock = { now: () => now };
    // Mondays at 09:00 local (what the cron «0 9 * * 1» gives), computed here by hand.
    const mondays = ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30', '2026-12-07'].map((d) => at(d, '09:00'));
    const times = (from: number, to: number) => mondays.filter((t) => t > from && t <= to);
    const a = boot(path, clock, times);
    a.kpis.define('8m', { name: '8M', start: '2026-11-01', end: '2026-11-30', targets: [] }, 'p1');
    await a.jobs.tick();
    for (const d of ['2026-11-02', '2026-11-09']) {
      now = at(d, '09:00') + 500;
      await a.jobs.tick();
    }
    // Down from Nov 10 to Nov 24 noon: the Nov 16 report is superseded, Nov 23 goes out late, once.
    now = at('2026-11-24', '12:00');
    await a.jobs.tick();
    await a.jobs.tick();
    // After the campaign: nothing to report.
    now = at('2026-12-07', '09:00') + 500;
    await a.jobs.tick();
    expect(a.sent.filter((e) => e.type === 'kpi_report')).toEqual([
      { type: 'kpi_report', to: { place: 'kpi' }, date: '2026-11-02', late: false },
      { type: 'kpi_report', to: { place: 'kpi' }, date: '2026-11-09', late: false },
      { type: 'kpi_report', to: { place: 'kpi' }, date: '2026-11-23', late: true },
    ]);
  });
});
