import { daysBetween, isLocalDate } from '../shared/time.js';
import { BUILT_IN_METRICS, builtInMetric, KEY_PATTERN, normalizeKey, toHundredths, type ValueProblem } from './metrics.js';
import type { Aggregation, Campaign, CampaignDefinition, MetricDef, Observation, ObservationInput, Target, Unit } from './types.js';

/**
 * Checks of what people and systems send, once, in the office's terms. Errors are codes with the
 * facts a message needs; the catalogs (`kpi.error`) turn them into words.
 */
export type KpiProblem =
  | { code: 'required' }
  | { code: 'invalid_key' }
  | { code: 'invalid_date' }
  | { code: 'end_before_start' }
  | { code: 'too_long'; max: number }
  | { code: 'unknown_campaign'; known: string[] }
  | { code: 'unknown_metric'; known: string[] }
  | { code: 'outside_campaign'; start: string; end: string }
  | { code: 'duplicate_metric' }
  | { code: 'builtin_metric' }
  | { code: 'invalid_unit' }
  | { code: 'invalid_aggregation' }
  | { code: 'not_an_object' }
  | { code: 'not_a_list' }
  | { code: 'too_many'; max: number }
  | { code: ValueProblem };

export interface FieldProblem {
  /** the item's position in a batch (observations, targets, metrics); null for the whole */
  index: number | null;
  field: string;
  problem: KpiProblem;
}

export const NAME_MAX = 120;
export const SOURCE_MAX = 60;
export const CUSTOM_METRICS_MAX = 30;
/** the source of a figure when none is given */
export const DEFAULT_SOURCE = 'manual';

const UNITS: Record<string, Unit> = { count: 'count', money: 'money', percent: 'percent', conteo: 'count', numero: 'count', dinero: 'money', moneda: 'money', porcentaje: 'percent' };
const AGGREGATIONS: Record<string, Aggregation> = { sum: 'sum', last: 'last', suma: 'sum', ultimo: 'last', nivel: 'last' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** The metrics a campaign can have figures for: the built-in ones and its own. */
export function metricOf(campaign: Pick<Campaign, 'metrics'>, key: string): MetricDef | null {
  const k = normalizeKey(key);
  return builtInMetric(k) ?? campaign.metrics.find((d) => d.key === k) ?? null;
}

/**
 * A campaign as sent to `PUT /api/v1/campaigns/{key}` (or typed): name, start, end, budget?,
 * targets [{metric, value}], metrics? [{key, name, unit, aggregation}].
 */
export function validateCampaign(key: string, body: unknown): { ok: true; value: CampaignDefinition } | { ok: false; errors: FieldProblem[] } {
  const errors: FieldProblem[] = [];
  const add = (field: string, problem: KpiProblem, index: number | null = null) => errors.push({ index, field, problem });
  const k = normalizeKey(key);
  if (!KEY_PATTERN.test(k)) add('key', { code: 'invalid_key' });
  if (!isObject(body)) {
    add('body', { code: 'not_an_object' });
    return { ok: false, errors };
  }
  const name = text(body.name);
  if (!name) add('name', { code: 'required' });
  else if (name.length > NAME_MAX) add('name', { code: 'too_long', max: NAME_MAX });
  const start = typeof body.start === 'string' ? body.start.trim() : '';
  const end = typeof body.end === 'string' ? body.end.trim() : '';
  if (!start) add('start', { code: 'required' });
  else if (!isLocalDate(start)) add('start', { code: 'invalid_date' });
  if (!end) add('end', { code: 'required' });
  else if (!isLocalDate(end)) add('end', { code: 'invalid_date' });
  else if (isLocalDate(start) && daysBetween(start, end) < 0) add('end', { code: 'end_before_start' });

  let budget: number | null = null;
  if (body.budget !== undefined && body.budget !== null) {
    const b = toHundredths(body.budget, 'money');
    if (b.ok) budget = b.value;
    else add('budget', { code: b.problem });
  }

  const metrics: MetricDef[] = [];
  if (body.metrics !== undefined && body.metrics !== null) {
    if (!Array.isArray(body.metrics)) add('metrics', { code: 'not_a_list' });
    else if (body.metrics.length > CUSTOM_METRICS_MAX) add('metrics', { code: 'too_many', max: CUSTOM_METRICS_MAX });
    else
      body.metrics.forEach((raw, i) => {
        if (!isObject(raw)) return add('metrics', { code: 'not_an_object' }, i);
        const mk = typeof raw.key === 'string' ? normalizeKey(raw.key) : '';
        const before = errors.length;
        if (!mk) add('key', { code: 'required' }, i);
        else if (!KEY_PATTERN.test(mk)) add('key', { code: 'invalid_key' }, i);
        else if (builtInMetric(mk)) add('key', { code: 'builtin_metric' }, i);
        else if (metrics.some((d) => d.key === mk)) add('key', { code: 'duplicate_metric' }, i);
        const mname = text(raw.name);
        if (!mname) add('name', { code: 'required' }, i);
        else if (mname.length > NAME_MAX) add('name', { code: 'too_long', max: NAME_MAX }, i);
        const unitKey = normalizeKey(String(raw.unit ?? 'count'));
        const unit = Object.hasOwn(UNITS, unitKey) ? UNITS[unitKey] : undefined;
        if (!unit) add('unit', { code: 'invalid_unit' }, i);
        const aggKey = normalizeKey(String(raw.aggregation ?? 'sum'));
        const agg = Object.hasOwn(AGGREGATIONS, aggKey) ? AGGREGATIONS[aggKey] : undefined;
        if (!agg) add('aggregation', { code: 'invalid_aggregation' }, i);
        if (errors.length === before) metrics.push({ key: mk, name: mname!, unit: unit!, aggregation: agg!, lowerIsBetter: false });
      });
  }

  const targets: Target[] = [];
  if (body.targets !== undefined && body.targets !== null) {
    if (!Array.isArray(body.targets)) add('targets', { code: 'not_a_list' });
    else
      body.targets.forEach((raw, i) => {
        if (!isObject(raw)) return add('targets', { code: 'not_an_object' }, i);
        const def = typeof raw.metric === 'string' ? metricOf({ metrics }, raw.metric) : null;
        if (!def) {
          const known = [...new Set([...builtInKeys(), ...metrics.map((d) => d.key)])];
          return add('metric', raw.metric === undefined ? { code: 'required' } : { code: 'unknown_metric', known }, i);
        }
        if (targets.some((t) => t.metric === def.key)) return add('metric', { code: 'duplicate_metric' }, i);
        const v = toHundredths(raw.value, def.unit);
        if (!v.ok) return add('value', { code: v.problem }, i);
        targets.push({ metric: def.key, value: v.value });
      });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { key: k, name: name!, start, end, budget, metrics, targets } };
}

const builtInKeys = (): string[] => BUILT_IN_METRICS.map((d) => d.key);

/** Every metric of a campaign, built-in first. */
export const metricKeysOf = (campaign: Pick<Campaign, 'metrics'>): string[] => [...builtInKeys(), ...campaign.metrics.map((d) => d.key)];

/**
 * A batch of figures, each checked against its campaign: the campaign and metric exist, the date is
 * a real date inside the campaign, the value fits the metric's unit. Valid items come back ready to store.
 */
export function validateObservations(
  items: readonly ObservationInput[],
  campaignByKey: (key: string) => Campaign | null,
  knownCampaigns: () => string[],
): { observations: (Observation | null)[]; errors: FieldProblem[] } {
  const errors: FieldProblem[] = [];
  let known: string[] | null = null;
  const knownOnce = () => (known ??= knownCampaigns());
  const observations = items.map((item, index): Observation | null => {
    const before = errors.length;
    const add = (field: string, problem: KpiProblem) => errors.push({ index, field, problem });
    if (!isObject(item)) {
      add('observation', { code: 'not_an_object' });
      return null;
    }
    const key = typeof item.campaign === 'string' ? normalizeKey(item.campaign) : '';
    const campaign = key ? campaignByKey(key) : null;
    if (!key) add('campaign', { code: 'required' });
    else if (!campaign) add('campaign', { code: 'unknown_campaign', known: knownOnce() });
    const def = campaign && typeof item.metric === 'string' ? metricOf(campaign, item.metric) : null;
    if (typeof item.metric !== 'string' || !item.metric.trim()) add('metric', { code: 'required' });
    else if (campaign && !def) add('metric', { code: 'unknown_metric', known: metricKeysOf(campaign) });
    const date = typeof item.date === 'string' ? item.date.trim() : '';
    if (!date) add('date', { code: 'required' });
    else if (!isLocalDate(date)) add('date', { code: 'invalid_date' });
    else if (campaign && (date < campaign.start || date > campaign.end)) add('date', { code: 'outside_campaign', start: campaign.start, end: campaign.end });
    let value: number | null = null;
    if (item.value === undefined || item.value === null || item.value === '') add('value', { code: 'required' });
    else if (def) {
      const v = toHundredths(item.value, def.unit);
      if (v.ok) value = v.value;
      else add('value', { code: v.problem });
    } else if (typeof item.value !== 'number' || !Number.isFinite(item.value)) add('value', { code: 'not_a_number' });
    const source = item.source === undefined || item.source === null || item.source === '' ? DEFAULT_SOURCE : typeof item.source === 'string' ? item.source.trim() : null;
    if (source === null || source === '') add('source', { code: 'required' });
    else if (source.length > SOURCE_MAX) add('source', { code: 'too_long', max: SOURCE_MAX });
    if (errors.length > before || !campaign || !def || value === null || source === null) return null;
    return { campaignId: campaign.id, metric: def.key, date, source: source.toLowerCase(), value };
  });
  return { observations, errors };
}
