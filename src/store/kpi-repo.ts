import type { KpiRepository } from '../domain/kpis/ports.js';
import type { CampaignSpan } from '../domain/kpis/summary.js';
import { SERIES_DAYS } from '../domain/kpis/summary.js';
import type { Campaign, CampaignDefinition, MetricDef, MetricFacts, Observation } from '../domain/kpis/types.js';
import { addDays, type LocalDate } from '../domain/shared/time.js';
import { inTransaction, type DB } from './db.js';

interface CampaignRow {
  id: number;
  key: string;
  name: string;
  start_date: string;
  end_date: string;
  budget: number | null;
  metrics: string;
  targets: string;
  version: number;
  created_at: number;
  updated_at: number;
}

const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id,
  key: r.key,
  name: r.name,
  start: r.start_date,
  end: r.end_date,
  budget: r.budget,
  metrics: JSON.parse(r.metrics) as MetricDef[],
  targets: JSON.parse(r.targets) as Campaign['targets'],
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const monthEnd = (d: LocalDate): LocalDate => addDays(`${nextMonth(d.slice(0, 7))}-01`, -1);
const nextMonth = (ym: string): string => {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/**
 * Campaigns and their figures. Sums over a campaign read the monthly rollup for whole months and
 * the daily one for the ends, so a summary over years of daily (or hourly, per source) figures reads
 * a few hundred rows; triggers keep both rollups in step with every write (migration 0007).
 */
export class SqliteKpiRepository implements KpiRepository {
  private readonly s;

  constructor(private readonly db: DB) {
    this.s = {
      byKey: db.prepare<[string], CampaignRow>('SELECT * FROM kpi_campaigns WHERE key = ?'),
      byId: db.prepare<[number], CampaignRow>('SELECT * FROM kpi_campaigns WHERE id = ?'),
      all: db.prepare<[], CampaignRow>('SELECT * FROM kpi_campaigns ORDER BY start_date, key'),
      active: db.prepare<[string, string], CampaignRow>('SELECT * FROM kpi_campaigns WHERE end_date >= ? AND start_date <= ? ORDER BY end_date, key'),
      insertCampaign: db.prepare(
        `INSERT INTO kpi_campaigns (key, name, start_date, end_date, budget, metrics, targets, version, created_at, created_by, updated_at, updated_by)
         VALUES (@key, @name, @start, @end, @budget, @metrics, @targets, 1, @now, @actor, @now, @actor)`,
      ),
      updateCampaign: db.prepare(
        `UPDATE kpi_campaigns SET name = @name, start_date = @start, end_date = @end, budget = @budget, metrics = @metrics, targets = @targets,
           version = version + 1, updated_at = @now, updated_by = @actor WHERE id = @id`,
      ),
      campaignEvent: db.prepare('INSERT INTO kpi_campaign_events (campaign_id, version, actor_id, at, definition) VALUES (?, ?, ?, ?, ?)'),
      existing: db.prepare<[number, string, string, string], { value: number }>('SELECT value FROM kpi_observations WHERE campaign_id = ? AND metric = ? AND source = ? AND date = ?'),
      upsert: db.prepare(
        `INSERT INTO kpi_observations (campaign_id, metric, date, source, value, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (campaign_id, metric, source, date) DO UPDATE SET value = excluded.value, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by
         WHERE value <> excluded.value`,
      ),
      // The metrics are named (a JSON list), so each is one range of the primary key
      // (campaign, metric, date): a campaign's other metrics and other years are never read.
      dailySums: db.prepare<[number, string, string, string], { metric: string; total: number; rows: number }>(
        'SELECT metric, SUM(total) AS total, COUNT(*) AS rows FROM kpi_daily WHERE campaign_id = ? AND metric IN (SELECT value FROM json_each(?)) AND date BETWEEN ? AND ? AND n > 0 GROUP BY metric',
      ),
      monthlySums: db.prepare<[number, string, string, string], { metric: string; total: number; rows: number }>(
        'SELECT metric, SUM(total) AS total, COUNT(*) AS rows FROM kpi_monthly WHERE campaign_id = ? AND metric IN (SELECT value FROM json_each(?)) AND month BETWEEN ? AND ? GROUP BY metric',
      ),
      // Rows as arrays: a month of days for every metric is hundreds of rows, and objects cost twice the time.
      days: db
        .prepare<[number, string, string, string], [string, string, number]>(
          'SELECT metric, date, total FROM kpi_daily WHERE campaign_id = ? AND metric IN (SELECT value FROM json_each(?)) AND date BETWEEN ? AND ? AND n > 0',
        )
        .raw(true),
      sources: db.prepare<[number, string], { source: string }>('SELECT source FROM kpi_sources WHERE campaign_id = ? AND metric = ?'),
      levelBefore: db.prepare<[number, string, string, string, string], { date: string; value: number }>(
        'SELECT date, value FROM kpi_observations WHERE campaign_id = ? AND metric = ? AND source = ? AND date >= ? AND date < ? ORDER BY date DESC LIMIT 1',
      ),
      levelIn: db.prepare<[number, string, string, string, string], { date: string; value: number }>(
        'SELECT date, value FROM kpi_observations WHERE campaign_id = ? AND metric = ? AND source = ? AND date BETWEEN ? AND ? ORDER BY date',
      ),
      firstIn: db.prepare<[number, string, string, string, string], { date: string; value: number }>(
        'SELECT date, value FROM kpi_observations WHERE campaign_id = ? AND metric = ? AND source = ? AND date BETWEEN ? AND ? ORDER BY date LIMIT 1',
      ),
      lastIn: db.prepare<[number, string, string, string, string], { date: string; value: number }>(
        'SELECT date, value FROM kpi_observations WHERE campaign_id = ? AND metric = ? AND source = ? AND date BETWEEN ? AND ? ORDER BY date DESC LIMIT 1',
      ),
      alertActive: db.prepare<[number], { alert: string }>('SELECT alert FROM kpi_alert_state WHERE campaign_id = ? AND active = 1'),
      setAlert: db.prepare(
        'INSERT INTO kpi_alert_state (campaign_id, alert, active, changed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET active = excluded.active, changed_at = excluded.changed_at WHERE active <> excluded.active',
      ),
    };
  }

  transaction<T>(fn: () => T): T {
    return inTransaction(this.db, fn);
  }

  byKey(key: string): Campaign | null {
    const r = this.s.byKey.get(key);
    return r ? toCampaign(r) : null;
  }

  get(id: number): Campaign | null {
    const r = this.s.byId.get(id);
    return r ? toCampaign(r) : null;
  }

  all(): Campaign[] {
    return this.s.all.all().map(toCampaign);
  }

  /** Campaigns running on any day of [from, to]. */
  active(from: LocalDate, to: LocalDate): Campaign[] {
    return this.s.active.all(from, to).map(toCampaign);
  }

  save(def: CampaignDefinition, actor: string, now: number): { campaign: Campaign; created: boolean } {
    return this.transaction(() => {
      const old = this.s.byKey.get(def.key);
      const params = { key: def.key, name: def.name, start: def.start, end: def.end, budget: def.budget, metrics: JSON.stringify(def.metrics), targets: JSON.stringify(def.targets), now, actor };
      if (old) this.s.updateCampaign.run({ ...params, id: old.id });
      else this.s.insertCampaign.run(params);
      const campaign = this.byKey(def.key)!;
      this.s.campaignEvent.run(campaign.id, campaign.version, actor, now, JSON.stringify(def));
      return { campaign, created: !old };
    });
  }

  /** Stores a checked batch in one transaction; the same (campaign, metric, date, source) replaces. */
  record(items: readonly Observation[], actor: string, now: number): { stored: number; replaced: number; unchanged: number } {
    return this.transaction(() => {
      let stored = 0;
      let replaced = 0;
      let unchanged = 0;
      for (const o of items) {
        const before = this.s.existing.get(o.campaignId, o.metric, o.source, o.date);
        if (before) {
          replaced++;
          if (before.value === o.value) {
            unchanged++;
            continue;
          }
        } else stored++;
        this.s.upsert.run(o.campaignId, o.metric, o.date, o.source, o.value, now, actor);
      }
      return { stored, replaced, unchanged };
    });
  }

  /** Sums of each metric over [from, to]: whole months from the monthly rollup, the ends day by day. */
  private sums(campaignId: number, metrics: string, from: LocalDate, to: LocalDate): Map<string, { total: number; rows: number }> {
    const out = new Map<string, { total: number; rows: number }>();
    if (to < from) return out;
    const add = (rows: { metric: string; total: number; rows: number }[]) => {
      for (const r of rows) {
        const o = out.get(r.metric);
        if (o) {
          o.total += r.total;
          o.rows += r.rows;
        } else out.set(r.metric, { total: r.total, rows: r.rows });
      }
    };
    if (from.slice(0, 7) === to.slice(0, 7)) {
      add(this.s.dailySums.all(campaignId, metrics, from, to));
      return out;
    }
    add(this.s.dailySums.all(campaignId, metrics, from, monthEnd(from)));
    const firstWhole = nextMonth(from.slice(0, 7));
    const lastWhole = addDays(`${to.slice(0, 7)}-01`, -1).slice(0, 7);
    if (firstWhole <= lastWhole) add(this.s.monthlySums.all(campaignId, metrics, firstWhole, lastWhole));
    add(this.s.dailySums.all(campaignId, metrics, `${to.slice(0, 7)}-01`, to));
    return out;
  }

  facts(campaign: Campaign, defs: readonly MetricDef[], span: CampaignSpan): Map<string, MetricFacts> {
    const out = new Map<string, MetricFacts>();
    const { through } = span;
    if (span.elapsedDays === 0) return out;
    const windowStart = maxDate(campaign.start, addDays(through, -(SERIES_DAYS - 1)));
    const summed = JSON.stringify(defs.filter((d) => d.aggregation === 'sum').map((d) => d.key));
    const sums = this.sums(campaign.id, summed, campaign.start, through);
    const days = new Map<string, Map<LocalDate, number>>();
    for (const [metric, date, total] of this.s.days.all(campaign.id, summed, windowStart, through)) {
      let m = days.get(metric);
      if (!m) days.set(metric, (m = new Map()));
      m.set(date, total);
    }
    for (const def of defs) {
      if (def.aggregation === 'sum') {
        const s = sums.get(def.key);
        if (s && s.rows > 0) out.set(def.key, { reported: true, sum: s.total, days: days.get(def.key) ?? new Map(), first: null, lastDate: null });
      } else {
        const f = this.levelFacts(campaign, def, windowStart, through);
        if (f) out.set(def.key, f);
      }
    }
    return out;
  }

  /**
   * A level is each source's last value up to the day, combined: added up (followers on each
   * network), or averaged for a percentage (never summed).
   */
  private levelFacts(c: Campaign, def: MetricDef, windowStart: LocalDate, through: LocalDate): MetricFacts | null {
    const sources = this.s.sources.all(c.id, def.key).map((r) => r.source);
    const perSource: { carried: number | null; points: Map<LocalDate, number> }[] = [];
    let first: { date: LocalDate; value: number } | null = null;
    let lastDate: LocalDate | null = null;
    const firsts: { date: string; value: number }[] = [];
    for (const source of sources) {
      const before = this.s.levelBefore.get(c.id, def.key, source, c.start, windowStart);
      const inWindow = this.s.levelIn.all(c.id, def.key, source, windowStart, through);
      if (!before && inWindow.length === 0) continue;
      perSource.push({ carried: before?.value ?? null, points: new Map(inWindow.map((r) => [r.date, r.value])) });
      const f = this.s.firstIn.get(c.id, def.key, source, c.start, through);
      if (f) firsts.push(f);
      const l = inWindow.at(-1)?.date ?? before?.date ?? null;
      if (l && (!lastDate || l > lastDate)) lastDate = l;
    }
    if (perSource.length === 0) return null;
    const combine = (values: number[]) => (def.unit === 'percent' ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : values.reduce((a, b) => a + b, 0));
    const days = new Map<LocalDate, number>();
    for (let d = windowStart; d <= through; d = addDays(d, 1)) {
      const values: number[] = [];
      for (const s of perSource) {
        const v = s.points.get(d);
        if (v !== undefined) s.carried = v;
        if (s.carried !== null) values.push(s.carried);
      }
      if (values.length) days.set(d, combine(values));
    }
    if (firsts.length) {
      const date = firsts.reduce((a, b) => (b.date < a ? b.date : a), firsts[0]!.date);
      first = { date, value: combine(firsts.filter((f) => f.date === date).map((f) => f.value)) };
    }
    return { reported: true, sum: 0, days, first, lastDate };
  }

  activeAlerts(campaignId: number): Set<string> {
    return new Set(this.s.alertActive.all(campaignId).map((r) => r.alert));
  }

  /** Returns true when the state changed (an alert to send, or a recovery). */
  setAlert(campaignId: number, alert: string, active: boolean, now: number): boolean {
    return this.s.setAlert.run(campaignId, alert, active ? 1 : 0, now).changes > 0;
  }
}

const maxDate = (a: LocalDate, b: LocalDate): LocalDate => (a > b ? a : b);
