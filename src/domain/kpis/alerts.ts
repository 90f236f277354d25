import type { Address } from '../people/types.js';
import type { Effect } from '../shared/effects.js';
import type { PlannedJob } from '../shared/jobs.js';
import { addDays, localToEpoch, type LocalDate } from '../shared/time.js';
import type { Campaign, CampaignSummary } from './types.js';

export type KpiAlert = 'behind' | 'budget_90' | 'budget_100' | 'budget_projected';

export interface AlertSettings {
  /** some surface has a KPI channel («kpi» place); without one, alerts go to the admins */
  kpiPlace: boolean;
  /** the local time of closing reports and of the daily check (HH:MM) */
  reportTime: string;
}

export const CLOSING_KIND = 'kpi.closing';
/** Share of the budget whose crossing is told before it is all spent. */
export const BUDGET_WARNING = 0.9;

interface AlertContext {
  summary(date: LocalDate): CampaignSummary;
  /** the conditions told and not yet recovered */
  active: ReadonlySet<string>;
  set(alert: string, on: boolean): boolean;
  kpiPlace: boolean;
  admins?: () => string[];
}

/**
 * The alerts a campaign raises today. Spending is read to today (what is spent is spent); whether
 * a metric is behind is read to yesterday, the last complete day, so a morning without this day's
 * figures yet does not read as «behind». Each condition is told when it becomes true, and again only
 * after it recovered: the state lives in storage, so a tick, a restart or a re-sent batch repeats nothing.
 */
export function alertsFor(c: Campaign, today: LocalDate, ctx: AlertContext): Effect[] {
  if (today < c.start || today > c.end) return [];
  const now = new Map<string, { alert: KpiAlert; metric: string | null; date: LocalDate }>();
  const s = ctx.summary(today);
  const b = s.budget;
  if (b.amount !== null && b.amount > 0) {
    if (b.spent >= b.amount) now.set('budget_100', { alert: 'budget_100', metric: null, date: today });
    if (b.spent >= b.amount * BUDGET_WARNING) now.set('budget_90', { alert: 'budget_90', metric: null, date: today });
    if (b.projection !== null && b.projection > b.amount && b.spent < b.amount) now.set('budget_projected', { alert: 'budget_projected', metric: null, date: today });
  }
  const yesterday = addDays(today, -1);
  if (yesterday >= c.start) {
    for (const m of ctx.summary(yesterday).metrics) {
      // A metric nobody has reported yet is not told as behind: the digest shows it, the channel is not paged.
      if (m.status === 'behind' && m.value !== null && !m.metric.lowerIsBetter) now.set(`behind:${m.metric.key}`, { alert: 'behind', metric: m.metric.key, date: yesterday });
    }
  }
  const effects: Effect[] = [];
  const fresh = [...now.entries()].filter(([k]) => !ctx.active.has(k));
  for (const [k] of fresh) ctx.set(k, true);
  // A metric recovers when it is on track again, not when it merely climbs to «at risk»: a figure
  // wobbling around 80 % must not page the channel each time.
  const recovered = (k: string) => !now.has(k) && (!k.startsWith('behind:') || ctx.summary(yesterday >= c.start ? yesterday : today).metrics.find((m) => `behind:${m.metric.key}` === k)?.status !== 'at_risk');
  for (const k of ctx.active) if (recovered(k)) ctx.set(k, false);
  // Crossing 100 % at once says it all: the 90 % warning is recorded but not told as well.
  const told = fresh.filter(([k]) => !(k === 'budget_90' && now.has('budget_100') && fresh.some(([f]) => f === 'budget_100')));
  const to: Address[] = ctx.kpiPlace ? [{ place: 'kpi' }] : (ctx.admins?.() ?? []).map((person) => ({ person }));
  for (const [, a] of told) for (const t of to) effects.push({ type: 'kpi_alert', to: t, campaignId: c.id, alert: a.alert, metric: a.metric, date: a.date });
  return effects;
}

/** The closing report of a campaign: the morning after its last day (late figures have a night to arrive). */
export function closingRows(c: Campaign, tz: string, reportTime: string): PlannedJob[] {
  const dueAt = localToEpoch(addDays(c.end, 1), reportTime, tz);
  if (dueAt === null) return [];
  // The definition's version is in the key: a redefinition cancels the row and plans a new one, even
  // with the same end date (a cancelled key cannot be planned again).
  return [{ kind: CLOSING_KIND, key: `${CLOSING_KIND}:${c.id}:${c.end}:v${c.version}`, subject: `campaign:${c.id}`, payload: { campaignId: c.id, end: c.end }, dueAt }];
}
