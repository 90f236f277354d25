import type { KpiAlert } from '../domain/kpis/alerts.js';
import type { BudgetSummary, Campaign, CampaignSummary, MetricSummary } from '../domain/kpis/types.js';
import { campaignLabel, formatDay, formatMoney, formatRatio, formatValue, metricName, sparkline } from './kpi-format.js';
import type { Fmt } from './format.js';
import type { ListView, Rich } from './model.js';

/**
 * What `/kpi` shows, as neutral lists: text, not an image, so screen readers and search work. Each
 * status has a mark and always its word. User text (campaign names) stays plain strings, which
 * every renderer escapes.
 */

const v = (f: Fmt) => f.m.kpiView;
/** Projections and what is expected are estimates: shown in whole units ($190,909, not $190,909.09). */
const whole = (h: number): number => Math.round(h / 100) * 100;

function trend(f: Fmt, m: MetricSummary): string | null {
  const c = m.week.change;
  if (c === null) return null;
  if (Math.abs(c) < 0.005) return v(f).weekFlat;
  return v(f).week(c > 0 ? v(f).weekUp : v(f).weekDown, formatRatio(f, Math.abs(c)));
}

/** «🔴 Donaciones: $210,007 de $600,000 (35%) · con retraso · esperado a la fecha $280,000 · semana ▲ 12%» */
export function metricLine(f: Fmt, m: MetricSummary, detail = false): Rich {
  const unit = m.metric.unit;
  const name = metricName(f, m.metric);
  const val = (h: number) => formatValue(f, unit, h);
  const parts: string[] = [];
  if (m.value === null) parts.push(m.target === null ? v(f).valueOnly(name, '—') : v(f).noFigures(name, val(m.target)));
  else if (m.target === null) parts.push(v(f).valueOnly(name, val(m.value)));
  else parts.push(v(f).valueOfTarget(name, val(m.value), val(m.target), formatRatio(f, m.progress ?? 0)));
  if (m.target !== null) parts.push(v(f).status[m.status]);
  if (m.expected !== null && m.target !== null) parts.push(v(f).expected(val(whole(m.expected))));
  if (detail && m.projection !== null) parts.push(v(f).projection(val(whole(m.projection))));
  const t = trend(f, m);
  if (t) parts.push(t);
  return [`${v(f).mark[m.status]} `, ...joinParts(parts)];
}

const joinParts = (parts: string[]): Rich => [parts.join(' · ')];

/** «🟢 Presupuesto: $70,000 gastado de $150,000 (47%) · dentro del presupuesto · proyección al cierre $150,000» */
export function budgetLine(f: Fmt, b: BudgetSummary): Rich | null {
  if (b.amount === null) return b.spent > 0 ? [`${v(f).budgetMark.no_budget} `, v(f).spentOnly(formatMoney(f, b.spent))] : null;
  const parts = [v(f).budgetLine(formatMoney(f, b.spent), formatMoney(f, b.amount), formatRatio(f, b.progress ?? 0)), v(f).budgetStatus[b.status]];
  if (b.projection !== null) parts.push(v(f).projection(formatMoney(f, whole(b.projection))));
  return [`${v(f).budgetMark[b.status]} `, ...joinParts(parts)];
}

/** The budget line, unless spending without a budget is already shown as a metric with its own target. */
const budgetOf = (f: Fmt, s: CampaignSummary): Rich | null =>
  s.budget.amount === null && s.metrics.some((m) => m.metric.key === 'gasto' && m.target !== null) ? null : budgetLine(f, s.budget);

function heading(f: Fmt, s: CampaignSummary): string {
  const c = s.campaign;
  if (s.elapsedDays === 0) return v(f).campaignHeadingNotStarted(c.key, c.name, formatDay(f, c.start));
  if (s.date > c.end) return v(f).campaignHeadingEnded(c.key, c.name);
  return v(f).campaignHeading(c.key, c.name, s.elapsedDays, s.totalDays);
}

/** One campaign in an overview: the metrics with a target, the budget, and how many more there are. */
function campaignSection(f: Fmt, s: CampaignSummary): ListView['sections'][number] {
  const targeted = s.metrics.filter((m) => m.target !== null && !(m.metric.key === 'gasto' && s.budget.amount !== null));
  const others = s.metrics.length - targeted.length - (s.metrics.some((m) => m.metric.key === 'gasto' && s.budget.amount !== null) ? 1 : 0);
  const items: Rich[] = targeted.map((m) => metricLine(f, m));
  const b = budgetOf(f, s);
  if (b) items.push(b);
  return { heading: heading(f, s), items, ...(others > 0 ? { more: v(f).moreMetrics(others, s.campaign.key) } : {}) };
}

/**
 * Every running campaign in one message. `shown` caps how many campaigns are listed (a surface
 * whose messages are limited lowers it until it fits); the rest are named in the last line.
 * `sections` may be given already built (a surface trying several caps builds them once).
 */
export function overviewList(
  f: Fmt,
  summaries: CampaignSummary[],
  o: { title?: string; shown?: number; late?: boolean; sections?: ListView['sections'] } = {},
): ListView {
  const all = o.sections ?? summaries.map((s) => campaignSection(f, s));
  const sections = all.slice(0, o.shown ?? summaries.length);
  const rest = summaries.length - sections.length;
  if (rest > 0) sections.push({ items: [], more: v(f).more(rest) });
  const date = summaries[0]?.date ?? null;
  return {
    title: o.title ?? v(f).overviewTitle,
    ...(date ? { note: [v(f).overviewNote(formatDay(f, date)), { cmd: 'kpi <clave>' }] } : {}),
    sections,
    empty: v(f).noneHelp(),
  };
}

/** The overview's sections, one per campaign, built once. */
export const overviewSections = (f: Fmt, summaries: CampaignSummary[]): ListView['sections'] => summaries.map((s) => campaignSection(f, s));

/** One campaign in detail: every metric with its projection and a daily sparkline, the budget, the days left. */
export function detailList(f: Fmt, s: CampaignSummary): ListView {
  const c = s.campaign;
  const note =
    s.elapsedDays === 0
      ? v(f).detailNoteNotStarted(formatDay(f, c.start), formatDay(f, c.end))
      : s.date > c.end
        ? v(f).detailNoteEnded(formatDay(f, c.start), formatDay(f, c.end))
        : v(f).detailNote(formatDay(f, c.start), formatDay(f, c.end), s.elapsedDays, s.totalDays, s.daysLeft);
  const sections: ListView['sections'] = s.metrics.map((m) => ({ heading: metricName(f, m.metric), items: [metricLine(f, m, true), [sparkText(f, m)]] }));
  const b = budgetOf(f, s);
  if (b) sections.push({ heading: f.m.kpi.field.budget!.replace(/^./, (x) => x.toUpperCase()), items: [b] });
  if (s.metrics.length) sections.push({ items: [], more: v(f).chartHint(c.key) });
  return { title: campaignLabel(c), note, sections, empty: v(f).noTargets };
}

function sparkText(f: Fmt, m: MetricSummary): string {
  const values = m.daily.map((d) => d.value);
  const xs = values.filter((x): x is number => x !== null);
  if (!xs.length) return v(f).sparklineEmpty(m.daily.length);
  const val = (h: number) => formatValue(f, m.metric.unit, h);
  return v(f).sparkline(m.daily.length, sparkline(values), val(Math.min(...xs)), val(Math.max(...xs)), val(xs.at(-1)!));
}

/** `/kpi metas`: each campaign's targets and budget. */
export function targetsList(f: Fmt, campaigns: Campaign[]): ListView {
  const sections = campaigns.map((c) => {
    const items: Rich[] = c.targets.map((t) => {
      const def = [...c.metrics].find((d) => d.key === t.metric);
      const unit = def?.unit ?? (['donaciones', 'gasto'].includes(t.metric) ? 'money' : t.metric === 'retencion' ? 'percent' : 'count');
      return [v(f).targetLine(metricName(f, def ?? { key: t.metric, name: null }), formatValue(f, unit, t.value))];
    });
    if (c.budget !== null) items.push([v(f).budgetTarget(formatMoney(f, c.budget))]);
    if (!items.length) items.push([v(f).noTargets]);
    return { heading: v(f).targetsHeading(c.key, c.name, formatDay(f, c.start), formatDay(f, c.end)), items };
  });
  return { title: v(f).targetsTitle, sections, empty: v(f).noCampaigns };
}

/** An alert to the KPI channel, with the figures of the day it is about. */
export function alertText(f: Fmt, alert: KpiAlert, metric: string | null, s: CampaignSummary): Rich {
  const a = v(f).alert;
  const name = campaignLabel(s.campaign);
  const b = s.budget;
  const money = (h: number | null) => formatMoney(f, h ?? 0);
  let text: string;
  if (alert === 'behind') {
    const m = s.metrics.find((x) => x.metric.key === metric);
    const val = (h: number | null) => (m && h !== null ? formatValue(f, m.metric.unit, h) : '—');
    text = a.behind(name, m ? metricName(f, m.metric) : (metric ?? ''), val(m?.value ?? 0), val(m?.expected === null || m?.expected === undefined ? null : whole(m.expected)), formatDay(f, s.date));
  } else if (alert === 'budget_projected') text = a.budget_projected(name, money(whole(b.projection ?? 0)), money(b.amount));
  else text = a[alert](name, money(b.spent), money(b.amount), formatRatio(f, b.progress ?? 0));
  return [`${alert === 'budget_90' || alert === 'budget_projected' ? v(f).mark.at_risk : v(f).mark.behind} `, text, ' ', ...a.detail(s.campaign.key)];
}

/** The closing report: each metric's final value against its target, and the budget used. */
export function closingList(f: Fmt, s: CampaignSummary): ListView {
  const c = s.campaign;
  const items: Rich[] = s.metrics.filter((m) => !(m.metric.key === 'gasto' && s.budget.amount !== null)).map((m) => metricLine(f, { ...m, expected: null, week: { current: null, previous: null, change: null } }));
  const b = budgetLine(f, { ...s.budget, projection: null });
  if (b) items.push(b);
  return { title: v(f).closingTitle(c.name), note: v(f).closingNote(formatDay(f, c.start), formatDay(f, c.end)), sections: items.length ? [{ items }] : [], empty: v(f).noTargets };
}

/** The digest's lines: campaigns with a metric behind or at risk, or a budget in trouble. */
export function digestKpiLines(f: Fmt, atRisk: CampaignSummary[]): Rich[] {
  return atRisk.map((s) => {
    const what = [
      // Spending is told once, as the budget, when there is one.
      ...s.metrics.filter((m) => (m.status === 'behind' || m.status === 'at_risk') && !(m.metric.key === 'gasto' && s.budget.amount !== null)).map((m) => `${metricName(f, m.metric)} ${v(f).status[m.status]}`),
      ...(s.budget.status === 'at_risk' || s.budget.status === 'over_budget' ? [v(f).budgetStatus[s.budget.status]] : []),
    ].join(', ');
    return [v(f).digestLine(s.campaign.name, s.campaign.key, what), ' · ', { cmd: `kpi ${s.campaign.key}` }];
  });
}
