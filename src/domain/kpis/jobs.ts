import type { RoleDirectory } from '../approvals/ports.js';
import type { Address } from '../people/types.js';
import type { Effect } from '../shared/effects.js';
import type { JobKind, PlannedJob } from '../shared/jobs.js';
import { addDays, localDateOf, localToEpoch } from '../shared/time.js';
import { CLOSING_KIND, closingRows } from './alerts.js';
import type { KpiRepository } from './ports.js';
import type { KpiService } from './service.js';

export const REPORT_KIND = 'kpi.report';
export const CHECK_KIND = 'kpi.check';
const DAY_MS = 86_400_000;

export interface KpiJobSettings {
  tz: string;
  tzData: string;
  graceMs: number;
  /** some surface has a KPI channel */
  kpiPlace: boolean;
  /** KPI_REPORT_CRON as given, and its occurrences in (from, to] (interpreted by node-cron, outside the domain) */
  reportCron: string;
  reportTimes(from: number, to: number): number[];
  /** local HH:MM of the daily check and of closing reports */
  reportTime: string;
}

const placeOrAdmins = (kpiPlace: boolean, roles: RoleDirectory): Address[] => (kpiPlace ? [{ place: 'kpi' }] : roles.usersWith('admin').map((person) => ({ person })));

/** The periodic report (KPI_REPORT_CRON): the status of every active campaign, to the KPI channel. */
export function kpiReportKind(d: { kpis: KpiService; settings: KpiJobSettings }): JobKind {
  const s = d.settings;
  return {
    kind: REPORT_KIND,
    horizonMs: 8 * DAY_MS,
    plannedWith: `${s.tz}|${s.tzData}|${s.reportCron}|${s.kpiPlace}`,
    // A report missed while the bot was down is sent late, not lost (only the latest of several).
    graceMs: null,
    plan(from, to) {
      // Reports go to the KPI channel only: without one there is nothing to plan.
      if (!s.kpiPlace) return { rows: [], next: null };
      const rows: PlannedJob[] = s.reportTimes(from, to).map((dueAt) => ({ kind: REPORT_KIND, key: `${REPORT_KIND}:${dueAt}`, payload: {}, dueAt }));
      return { rows, next: null };
    },
    fire(row, { now, late }) {
      if (s.reportTimes(row.dueAt, now).length > 0) return { cancel: 'a later report is due' };
      const date = localDateOf(row.dueAt, s.tz);
      if (d.kpis.active(date).length === 0) return { cancel: 'no active campaign' };
      const effects: Effect[] = [{ type: 'kpi_report', to: { place: 'kpi' }, date, late }];
      return { effects };
    },
  };
}

/** Closing reports, the morning after a campaign's last day: planned on write and by the horizon. */
export function kpiClosingKind(d: { repo: KpiRepository; roles: RoleDirectory; settings: KpiJobSettings }): JobKind {
  const s = d.settings;
  return {
    kind: CLOSING_KIND,
    horizonMs: 8 * DAY_MS,
    plannedWith: `${s.tz}|${s.tzData}|${s.reportTime}`,
    graceMs: null,
    plan(from, to) {
      const rows = d.repo
        .active(addDays(localDateOf(from, s.tz), -2), localDateOf(to, s.tz))
        .flatMap((c) => closingRows(c, s.tz, s.reportTime))
        .filter((r) => r.dueAt > from && r.dueAt <= to);
      return { rows, next: null };
    },
    fire(row) {
      const c = d.repo.get(Number(row.payload.campaignId));
      if (!c) return { cancel: 'campaign gone' };
      if (c.end !== row.payload.end) return { cancel: 'campaign end changed' };
      const effects: Effect[] = placeOrAdmins(s.kpiPlace, d.roles).map((to) => ({ type: 'kpi_closing', to, campaignId: c.id }));
      return effects.length ? { effects } : { cancel: 'nobody to tell' };
    },
  };
}

/**
 * The daily check: a metric falls behind as days pass even when no figure arrives, so every
 * running campaign's alerts are checked each morning (each is still told once per crossing).
 */
export function kpiCheckKind(d: { repo: KpiRepository; kpis: KpiService; settings: KpiJobSettings }): JobKind {
  const s = d.settings;
  return {
    kind: CHECK_KIND,
    horizonMs: 2 * DAY_MS,
    plannedWith: `${s.tz}|${s.tzData}|${s.reportTime}`,
    graceMs: s.graceMs,
    plan(from, to) {
      const rows: PlannedJob[] = [];
      for (let day = localDateOf(from, s.tz); ; day = addDays(day, 1)) {
        const dueAt = localToEpoch(day, s.reportTime, s.tz)!;
        if (dueAt > to) break;
        if (dueAt > from) rows.push({ kind: CHECK_KIND, key: `${CHECK_KIND}:${day}`, payload: {}, dueAt });
      }
      return { rows, next: null };
    },
    fire(_row, { now }) {
      const today = localDateOf(now, s.tz);
      return { effects: d.repo.active(today, today).flatMap((c) => d.kpis.alerts(c, now)) };
    },
  };
}
