import { addDays, daysBetween, type LocalDate } from '../shared/time.js';
import { BUILT_IN_METRICS, SPEND } from './metrics.js';
import { NO_FACTS, type BudgetSummary, type Campaign, type CampaignSummary, type MetricDef, type MetricFacts, type MetricSummary, type Status } from './types.js';

/** At or above this share of what was expected by the date, a metric is «at risk» rather than «behind». */
export const AT_RISK_FROM = 0.8;
/** Days of the daily series (sparkline, chart). */
export const SERIES_DAYS = 30;
/** Days an overview reads: the week's trend needs two weeks. */
export const BRIEF_DAYS = 14;

export interface CampaignSpan {
  totalDays: number;
  elapsedDays: number;
  daysLeft: number;
  /** the last day counted: the date, or the end when the campaign is over */
  through: LocalDate;
  /** how many days back from `through` the daily series goes */
  seriesDays: number;
  /** `back[i]` is the day i days before `through` (computed once: summaries read them per metric) */
  back: LocalDate[];
}

/** Days from the start to the date, both included, in the office's days; clamped to the campaign. */
export function spanOf(c: Pick<Campaign, 'start' | 'end'>, date: LocalDate, seriesDays = SERIES_DAYS): CampaignSpan {
  const totalDays = daysBetween(c.start, c.end) + 1;
  const elapsedDays = Math.min(totalDays, Math.max(0, daysBetween(c.start, date) + 1));
  const through = date > c.end ? c.end : date;
  const back: LocalDate[] = [through];
  for (let i = 1; i < Math.max(seriesDays, 15); i++) back.push(addDays(through, -i));
  return { totalDays, elapsedDays, daysLeft: totalDays - elapsedDays, through, seriesDays, back };
}

/** The metrics shown for a campaign: those with a target, then those with figures, in catalog order. */
export function shownMetrics(c: Campaign, reported: (key: string) => boolean): MetricDef[] {
  const all = [...BUILT_IN_METRICS, ...c.metrics];
  const targeted = new Set(c.targets.map((t) => t.metric));
  return all.filter((d) => targeted.has(d.key) || reported(d.key));
}

const statusOf = (ratio: number | null): Status => (ratio === null ? 'no_target' : ratio >= 1 ? 'on_track' : ratio >= AT_RISK_FROM ? 'at_risk' : 'behind');
const change = (current: number | null, previous: number | null): number | null => (current === null || previous === null || previous === 0 ? null : (current - previous) / previous);

/**
 * One metric on one date. Metrics that add up: value = the sum from the start; expected = the target
 * prorated by elapsed days; projection = the average day so far × all days; status = value against
 * expected. Levels (the last value counts): value = the last level; projection continues the trend
 * from the first level of the campaign (a percentage stays where it is); status = projection against
 * target. Spending is better lower: on track while at or below expected.
 */
export function metricSummary(def: MetricDef, target: number | null, facts: MetricFacts, span: CampaignSpan): MetricSummary {
  const { totalDays, elapsedDays, through } = span;
  const daily = seriesOf(facts, span, Math.min(span.seriesDays, Math.max(elapsedDays, 1)));
  if (def.aggregation === 'sum') {
    const value = facts.reported ? facts.sum : null;
    const expected = target === null ? null : Math.round((target * elapsedDays) / totalDays);
    const projection = value === null || elapsedDays === 0 ? null : Math.round((value / elapsedDays) * totalDays);
    let status: Status = 'no_target';
    if (target !== null) {
      const v = value ?? 0;
      if (def.lowerIsBetter) status = v <= (expected ?? 0) ? 'on_track' : statusOf(v === 0 ? 1 : (expected ?? 0) / v);
      else status = expected === 0 ? 'on_track' : statusOf(v / expected!);
    }
    const sumOf = (from: number, to: number) => {
      let s = 0;
      let any = false;
      for (let i = from; i <= to; i++) {
        const x = facts.days.get(span.back[i]!);
        if (x !== undefined) {
          s += x;
          any = true;
        }
      }
      return any ? s : null;
    };
    const current = elapsedDays > 0 ? (sumOf(0, 6) ?? 0) : null;
    const previous = elapsedDays > 7 ? (sumOf(7, 13) ?? 0) : null;
    return {
      metric: def,
      value,
      target,
      progress: target ? (value ?? 0) / target : null,
      expected,
      projection,
      status,
      week: { current, previous, change: change(current, previous) },
      daily,
    };
  }
  const value = facts.days.get(through) ?? null;
  const weekAgo = facts.days.get(span.back[7]!) ?? null;
  let projection: number | null = value;
  const { first, lastDate } = facts;
  if (value !== null && def.unit !== 'percent' && first && lastDate && lastDate > first.date) {
    const perDay = (value - first.value) / daysBetween(first.date, lastDate);
    projection = Math.max(0, Math.round(value + perDay * daysBetween(lastDate, addDays(through, span.daysLeft))));
  }
  // Before the start nothing is expected yet: a level is not behind there, as a sum is not.
  const status: Status = target === null ? 'no_target' : target === 0 || elapsedDays === 0 ? 'on_track' : statusOf((projection ?? 0) / target);
  return {
    metric: def,
    value,
    target,
    progress: target && value !== null ? value / target : target ? 0 : null,
    expected: null,
    projection,
    status,
    week: { current: value, previous: weekAgo, change: change(value, weekAgo) },
    daily,
  };
}

/** The last `n` days to `through`: each day's total, or the level then (carried over days without figures). */
function seriesOf(facts: MetricFacts, span: CampaignSpan, n: number): { date: LocalDate; value: number | null }[] {
  const out: { date: LocalDate; value: number | null }[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const date = span.back[i]!;
    out.push({ date, value: facts.days.get(date) ?? null });
  }
  return out;
}

/** Spending against the budget: spent so far, the projection at the current pace, and whether it fits. */
export function budgetSummary(budget: number | null, spent: number, span: CampaignSpan): BudgetSummary {
  const projection = span.elapsedDays === 0 ? (spent > 0 ? spent : null) : span.daysLeft === 0 ? spent : Math.round((spent / span.elapsedDays) * span.totalDays);
  if (budget === null) return { amount: null, spent, progress: null, projection, status: 'no_budget' };
  const status = spent > budget ? 'over_budget' : projection !== null && projection > budget ? 'at_risk' : 'on_track';
  return { amount: budget, spent, progress: budget > 0 ? spent / budget : null, projection, status };
}

/**
 * The whole campaign on a date, from the facts storage gives for its metrics (`loadFacts` answers
 * for every metric asked, with NO_FACTS where there is nothing).
 */
export function campaignSummary(c: Campaign, date: LocalDate, loadFacts: (defs: readonly MetricDef[], span: CampaignSpan) => Map<string, MetricFacts>, seriesDays = SERIES_DAYS): CampaignSummary {
  const span = spanOf(c, date, seriesDays);
  const all = [...BUILT_IN_METRICS, ...c.metrics];
  const facts = loadFacts(all, span);
  const factsOf = (key: string) => facts.get(key) ?? NO_FACTS;
  const metrics = shownMetrics(c, (key) => factsOf(key).reported).map((def) =>
    metricSummary(def, c.targets.find((t) => t.metric === def.key)?.value ?? (def.key === SPEND ? c.budget : null), factsOf(def.key), span),
  );
  const { seriesDays: _days, back: _back, ...shown } = span;
  return { campaign: c, date, ...shown, metrics, budget: budgetSummary(c.budget, factsOf(SPEND).sum, span) };
}
