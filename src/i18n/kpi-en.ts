import type { KpiProblem } from '../domain/kpis/validate.js';
import type { KpiMessages } from './kpi-es.js';

const list = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');

/** Campaign KPIs, in English. */
export const kpiEn: KpiMessages = {
  metric: {
    alcance: 'Reach',
    impresiones: 'Impressions',
    interacciones: 'Engagements',
    seguidores: 'Followers',
    seguidores_nuevos: 'New followers',
    visitas_web: 'Web visits',
    donaciones: 'Donations',
    donantes_nuevos: 'New donors',
    retencion: 'Retention',
    llamadas: 'Calls',
    gasto: 'Spend',
  },
  field: {
    campaign: 'campaign',
    metric: 'metric',
    date: 'date',
    value: 'value',
    source: 'source',
    key: 'key',
    name: 'name',
    start: 'start',
    end: 'end',
    budget: 'budget',
    targets: 'targets',
    metrics: 'metrics',
    unit: 'unit',
    aggregation: 'aggregation',
    body: 'body',
    observation: 'observation',
    observations: 'observations',
  },
  moreErrors: (n: number) => `and ${n} more ${n === 1 ? 'error' : 'errors'}; fix them and send the batch again (nothing was stored).`,
  problem: (p: KpiProblem): string => {
    switch (p.code) {
      case 'required':
        return 'This is missing.';
      case 'invalid_key':
        return 'Use a short key of lowercase letters, digits or underscores (up to 32), e.g. 8m.';
      case 'invalid_date':
        return 'Not a valid date; write it as YYYY-MM-DD, e.g. 2026-11-20.';
      case 'end_before_start':
        return 'The end date is before the start date.';
      case 'too_long':
        return `Too long (at most ${p.max} characters).`;
      case 'unknown_campaign':
        return `No such campaign. Campaigns: ${list(p.known)}.`;
      case 'unknown_metric':
        return `No such metric. Metrics: ${list(p.known)}.`;
      case 'outside_campaign':
        return `The date is outside the campaign (${p.start} to ${p.end}).`;
      case 'duplicate_metric':
        return 'That metric is repeated.';
      case 'builtin_metric':
        return 'A built-in metric has that key; use another.';
      case 'invalid_unit':
        return 'Invalid unit: use count, money or percent.';
      case 'invalid_aggregation':
        return 'Invalid aggregation: use sum (days add up) or last (the last value counts).';
      case 'not_an_object':
        return 'Must be a JSON object.';
      case 'not_a_list':
        return 'Must be a list.';
      case 'too_many':
        return `Too many (at most ${p.max}).`;
      case 'not_a_number':
        return 'Must be a number, e.g. 12500 or 12500.50.';
      case 'negative':
        return 'Cannot be negative.';
      case 'not_whole':
        return 'Must be a whole number (it is a count).';
      case 'too_precise':
        return 'Use at most two decimals.';
      case 'over_100':
        return 'A percentage cannot be over 100.';
      case 'too_large':
        return 'Too large; check the value.';
    }
  },
};
