import { fromHundredths } from '../domain/kpis/metrics.js';
import type { CampaignSummary } from '../domain/kpis/types.js';
import type { ChartView } from './chart-model.js';
import type { Fmt } from './format.js';
import { campaignLabel, formatDay, formatValue, metricName } from './kpi-format.js';

/**
 * The chart of one metric of a campaign: its daily values (the last 30 days) and the target line —
 * the daily pace the target needs for a metric that adds up, the target itself for a level.
 * Without a metric named, the first one with a target and figures (else with a target, else with figures).
 */
export function kpiChart(f: Fmt, s: CampaignSummary, metricKey: string | null): ChartView | null {
  const pick = () => s.metrics.find((x) => x.target !== null && x.value !== null) ?? s.metrics.find((x) => x.target !== null) ?? s.metrics[0];
  const m = (metricKey ? s.metrics.find((x) => x.metric.key === metricKey) : pick()) ?? null;
  if (!m) return null;
  const unit = m.metric.unit;
  const fromDisplay = (n: number) => Math.round(n * 100);
  const daily = m.target === null ? null : m.metric.aggregation === 'sum' ? Math.round(m.target / s.totalDays) : m.target;
  const name = metricName(f, m.metric);
  const label = campaignLabel(s.campaign);
  const last = [...m.daily].reverse().find((d) => d.value !== null)?.value ?? null;
  const k = f.m.kpiView;
  const first = m.daily[0]?.date ?? s.date;
  const end = m.daily.at(-1)?.date ?? s.date;
  return {
    title: k.chartTitle(label, name),
    alt: k.chartAlt(label, name, formatDay(f, first), formatDay(f, end), last === null ? '—' : formatValue(f, unit, last), daily === null ? null : formatValue(f, unit, daily), k.status[m.status]),
    unit,
    points: m.daily.map((d) => ({ date: d.date, value: d.value === null ? null : fromHundredths(d.value) })),
    target: daily === null ? null : { value: fromHundredths(daily), label: k.chartTarget(formatValue(f, unit, daily)) },
    formatValue: (n) => formatValue(f, unit, fromDisplay(n)),
    formatDate: (d) => formatDay(f, d),
  };
}
