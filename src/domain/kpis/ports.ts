import type { LocalDate } from '../shared/time.js';
import type { CampaignSpan } from './summary.js';
import type { Campaign, CampaignDefinition, MetricDef, MetricFacts, Observation } from './types.js';

export interface RecordCounts {
  /** new figures */
  stored: number;
  /** figures that replaced one sent before for the same campaign, metric, date and source */
  replaced: number;
  /** of the replaced, those sent again with the same value */
  unchanged: number;
}

/** Storage of campaigns, their figures and the state of their alerts. */
export interface KpiRepository {
  transaction<T>(fn: () => T): T;
  byKey(key: string): Campaign | null;
  get(id: number): Campaign | null;
  all(): Campaign[];
  /** campaigns running on any day of [from, to] */
  active(from: LocalDate, to: LocalDate): Campaign[];
  save(def: CampaignDefinition, actor: string, now: number): { campaign: Campaign; created: boolean };
  record(items: readonly Observation[], actor: string, now: number): RecordCounts;
  facts(campaign: Campaign, defs: readonly MetricDef[], span: CampaignSpan): Map<string, MetricFacts>;
  activeAlerts(campaignId: number): Set<string>;
  setAlert(campaignId: number, alert: string, active: boolean, now: number): boolean;
}
