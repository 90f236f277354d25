import type { LocalDate } from '../shared/time.js';

/**
 * Campaign KPIs. Every value is an exact integer in hundredths of its unit: cents of the office's
 * currency, hundredths of a percent, hundredths of a count (counts are whole, so multiples of 100).
 * Floats never hold a stored figure; only ratios (progress, trend) are computed as numbers.
 */
export type Unit = 'count' | 'money' | 'percent';
/** How a metric adds up over time: `sum` of the days, or `last` (a level: the last value counts). */
export type Aggregation = 'sum' | 'last';

export const SCALE = 100;

export interface MetricDef {
  key: string;
  /** null for built-in metrics: their names come from the catalogs */
  name: string | null;
  unit: Unit;
  aggregation: Aggregation;
  /** spending: lower is better, measured against the budget */
  lowerIsBetter: boolean;
}

export interface Target {
  metric: string;
  /** hundredths */
  value: number;
}

/** What defines a campaign (what the API's PUT sends, checked). */
export interface CampaignDefinition {
  key: string;
  name: string;
  start: LocalDate;
  end: LocalDate;
  /** cents; null = no budget */
  budget: number | null;
  /** the campaign's own metrics (built-in ones are always available) */
  metrics: MetricDef[];
  targets: Target[];
}

export interface Campaign extends CampaignDefinition {
  id: number;
  version: number;
  /** changes with every change of the campaign's figures (written by storage) */
  dataVersion: number;
  createdAt: number;
  updatedAt: number;
}

/** One figure as people type it or a system sends it; checked by `validateObservations`. */
export interface ObservationInput {
  campaign: string;
  metric: string;
  date: string;
  value: unknown;
  source?: string | null;
}

/** A checked observation, ready to store. */
export interface Observation {
  campaignId: number;
  metric: string;
  date: LocalDate;
  source: string;
  /** hundredths */
  value: number;
}

export type Status = 'on_track' | 'at_risk' | 'behind' | 'no_target';
export type BudgetStatus = 'on_track' | 'at_risk' | 'over_budget' | 'no_budget';

export interface MetricSummary {
  metric: MetricDef;
  /** hundredths; null when nothing was reported yet */
  value: number | null;
  target: number | null;
  /** value / target */
  progress: number | null;
  /** the target prorated by elapsed days (metrics that add up); null for levels */
  expected: number | null;
  /** at the current pace, at the end (hundredths) */
  projection: number | null;
  status: Status;
  /** the last 7 days (to the date) against the 7 before: sums, or the level then and now */
  week: { current: number | null; previous: number | null; change: number | null };
  /** one value per day (hundredths; null where nothing was reported), at most the last 30 days */
  daily: { date: LocalDate; value: number | null }[];
}

export interface BudgetSummary {
  /** cents */
  amount: number | null;
  spent: number;
  /** spent / amount */
  progress: number | null;
  projection: number | null;
  status: BudgetStatus;
}

export interface CampaignSummary {
  campaign: Campaign;
  date: LocalDate;
  /** days from start to end, both included */
  totalDays: number;
  /** days from start to the date, both included, within [0, totalDays] */
  elapsedDays: number;
  daysLeft: number;
  metrics: MetricSummary[];
  budget: BudgetSummary;
}

/** What a summary needs from storage, for one metric of one campaign, through one date. */
export interface MetricFacts {
  /** any figure at all from the start to the date */
  reported: boolean;
  /** sum metrics: the total from the start to the date (hundredths) */
  sum: number;
  /**
   * The last `seriesDays` days to the date (at least 15): sum metrics, each day's total (days with
   * figures only); levels, the level each day (carried over days without figures, absent before the first).
   */
  days: Map<LocalDate, number>;
  /** levels: the first level of the campaign, and the last date with a figure */
  first: { date: LocalDate; value: number } | null;
  lastDate: LocalDate | null;
}

export const NO_FACTS: MetricFacts = { reported: false, sum: 0, days: new Map(), first: null, lastDate: null };
