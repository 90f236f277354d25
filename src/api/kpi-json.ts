import { fromHundredths } from '../domain/kpis/metrics.js';
import type { Campaign, CampaignSummary, MetricDef, MetricSummary } from '../domain/kpis/types.js';
import type { FieldProblem } from '../domain/kpis/validate.js';
import type { Messages } from '../i18n/index.js';
import type { ApiError } from './http.js';

/**
 * Domain → the API's JSON (snake_case). Stored figures are exact hundredths; here they become units
 * by one division (1999 → 19.99), never by adding floats. Ratios (progress, change) are rounded to
 * four decimals: 0.35 is 35 %.
 */

const units = (h: number | null): number | null => (h === null ? null : fromHundredths(h));
const ratio = (r: number | null): number | null => (r === null || !Number.isFinite(r) ? null : Math.round(r * 10_000) / 10_000);

const metricName = (m: Messages, def: MetricDef): string => def.name ?? m.kpi.metric[def.key] ?? def.key;

export function campaignJson(c: Campaign) {
  return {
    key: c.key,
    name: c.name,
    start: c.start,
    end: c.end,
    budget: units(c.budget),
    targets: c.targets.map((t) => ({ metric: t.metric, value: fromHundredths(t.value) })),
    metrics: c.metrics.map((d) => ({ key: d.key, name: d.name, unit: d.unit, aggregation: d.aggregation })),
    version: c.version,
  };
}

function metricJson(m: Messages, s: MetricSummary) {
  return {
    metric: s.metric.key,
    name: metricName(m, s.metric),
    unit: s.metric.unit,
    aggregation: s.metric.aggregation,
    value: units(s.value),
    target: units(s.target),
    progress: ratio(s.progress),
    expected: units(s.expected),
    projection: units(s.projection),
    status: s.status,
    week: { current: units(s.week.current), previous: units(s.week.previous), change: ratio(s.week.change) },
    daily: s.daily.map((d) => ({ date: d.date, value: units(d.value) })),
  };
}

/** What `/kpi` shows for one campaign on one date, as JSON. */
export function summaryJson(m: Messages, currency: string, s: CampaignSummary) {
  return {
    campaign: { key: s.campaign.key, name: s.campaign.name, start: s.campaign.start, end: s.campaign.end },
    currency,
    date: s.date,
    elapsed_days: s.elapsedDays,
    total_days: s.totalDays,
    days_left: s.daysLeft,
    metrics: s.metrics.map((x) => metricJson(m, x)),
    budget: {
      amount: units(s.budget.amount),
      spent: fromHundredths(s.budget.spent),
      progress: ratio(s.budget.progress),
      projection: units(s.budget.projection),
      status: s.budget.status,
    },
  };
}

const TARGET_FIELDS = new Set(['metric', 'value', 'targets']);

/**
 * A campaign's problems with their place in the body: `name`, `start`, `targets[2].value`,
 * `metrics[0].key`. (The domain names the field within an item; the list is told by the field.)
 */
export function campaignErrorsJson(m: Messages, errors: readonly FieldProblem[]): ApiError[] {
  return errors.map((e) => {
    let field = e.field;
    if (e.index !== null) {
      const list = TARGET_FIELDS.has(e.field) ? 'targets' : 'metrics';
      field = e.field === list ? `${list}[${e.index}]` : `${list}[${e.index}].${e.field}`;
    }
    return { index: e.index, field, message: m.kpi.problem(e.problem) };
  });
}

/** A batch's problems: the item's index and the field inside it (`campaign`, `metric`, `date`, `value`, `source`). */
/** At most this many errors are listed: a batch of 10,000 bad items is told its first problems and how many more. */
export const MAX_LISTED_ERRORS = 100;

export const observationErrorsJson = (m: Messages, errors: readonly FieldProblem[]): ApiError[] => {
  const listed: ApiError[] = errors.slice(0, MAX_LISTED_ERRORS).map((e) => ({ index: e.index, field: e.field, message: m.kpi.problem(e.problem) }));
  const rest = errors.length - listed.length;
  if (rest > 0) listed.push({ index: null, field: 'observations', message: m.kpi.moreErrors(rest) });
  return listed;
};
