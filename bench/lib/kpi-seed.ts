/**
 * A KPI database at size, written through the store (SqliteKpiRepository, the triggers keep the
 * rollups), and the same figures as API batches. Values are deterministic: the same run, the same file.
 */
import { BUILT_IN_METRICS } from '../../src/domain/kpis/metrics.js';
import type { CampaignDefinition, MetricDef, Observation } from '../../src/domain/kpis/types.js';
import { addDays, type LocalDate } from '../../src/domain/shared/time.js';
import type { DB } from '../../src/store/db.js';
import { SqliteKpiRepository } from '../../src/store/kpi-repo.js';

/** Ten metrics of every kind: counts that add up, money, a level (followers) and a percentage level. */
export const BENCH_METRICS: readonly MetricDef[] = ['alcance', 'impresiones', 'interacciones', 'seguidores', 'seguidores_nuevos', 'visitas_web', 'donaciones', 'donantes_nuevos', 'retencion', 'gasto'].map(
  (k) => BUILT_IN_METRICS.find((d) => d.key === k)!,
);

export const campaignKey = (i: number): string => `c${String(i + 1).padStart(2, '0')}`;

/** The figure of metric `m` on day `d` of campaign `c`, in units (what a system sends). */
export function benchValue(c: number, m: number, d: number): number {
  const x = ((c * 7919 + m * 104729 + d * 1299709) % 9973) / 9973;
  const def = BENCH_METRICS[m]!;
  if (def.key === 'seguidores') return 20000 + d * 3 + Math.floor(x * 50);
  if (def.key === 'retencion') return Math.round((70 + x * 25) * 100) / 100;
  if (def.unit === 'money') return Math.round((1000 + x * 4000) * 100) / 100;
  return Math.floor(5000 + x * 10000);
}

export interface KpiSeedPlan {
  campaigns: number;
  /** days of figures per campaign, ending today */
  days: number;
  /** the last `apiDays` days are left for the API import */
  apiDays: number;
  today: LocalDate;
}

export const campaignStart = (p: KpiSeedPlan): LocalDate => addDays(p.today, -(p.days - 1));

/** Targets and budget near the pace of the figures, so the summaries show a mix of statuses. */
export function benchCampaign(p: KpiSeedPlan, c: number): CampaignDefinition {
  const start = campaignStart(p);
  const end = addDays(p.today, 30);
  const total = p.days + 30;
  return {
    key: campaignKey(c),
    name: `Campaña de prueba ${c + 1}`,
    start,
    end,
    budget: Math.round(3000 * total * (0.9 + (c % 5) * 0.05)) * 100,
    metrics: [],
    targets: [
      { metric: 'alcance', value: 10000 * total * 100 },
      { metric: 'donaciones', value: Math.round(3000 * total * (0.8 + (c % 4) * 0.1)) * 100 },
      { metric: 'seguidores', value: (20000 + total * 3) * 100 },
      { metric: 'retencion', value: 8000 },
    ],
  };
}

/** Campaigns and every figure but the last `apiDays` days, in transactions of `chunk` figures. */
export function seedKpis(db: DB, p: KpiSeedPlan, now = Date.now(), chunk = 100_000): { observations: number } {
  const repo = new SqliteKpiRepository(db);
  const ids = Array.from({ length: p.campaigns }, (_, c) => repo.save(benchCampaign(p, c), 'sys:bench', now).campaign.id);
  const start = campaignStart(p);
  let batch: Observation[] = [];
  let n = 0;
  const flush = () => {
    repo.record(batch, 'sys:bench', now);
    n += batch.length;
    batch = [];
  };
  for (let d = 0; d < p.days - p.apiDays; d++) {
    const date = addDays(start, d);
    for (let c = 0; c < p.campaigns; c++)
      for (let m = 0; m < BENCH_METRICS.length; m++) {
        batch.push({ campaignId: ids[c]!, metric: BENCH_METRICS[m]!.key, date, source: 'bench', value: Math.round(benchValue(c, m, d) * 100) });
        if (batch.length >= chunk) flush();
      }
  }
  if (batch.length) flush();
  return { observations: n };
}

/** The last `apiDays` days as API batches of about `perBatch` observations (whole days, all campaigns). */
export function apiBatches(p: KpiSeedPlan, perBatch: number): { observations: { campaign: string; metric: string; date: string; value: number; source: string }[] }[] {
  const start = campaignStart(p);
  const perDay = p.campaigns * BENCH_METRICS.length;
  const daysPerBatch = Math.max(1, Math.floor(perBatch / perDay));
  const out: ReturnType<typeof apiBatches> = [];
  for (let d0 = p.days - p.apiDays; d0 < p.days; d0 += daysPerBatch) {
    const observations: ReturnType<typeof apiBatches>[number]['observations'] = [];
    for (let d = d0; d < Math.min(p.days, d0 + daysPerBatch); d++) {
      const date = addDays(start, d);
      for (let c = 0; c < p.campaigns; c++)
        for (let m = 0; m < BENCH_METRICS.length; m++) observations.push({ campaign: campaignKey(c), metric: BENCH_METRICS[m]!.key, date, value: benchValue(c, m, d), source: 'bench' });
    }
    out.push({ observations });
  }
  return out;
}
