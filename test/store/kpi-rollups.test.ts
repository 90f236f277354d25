import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { SqliteKpiRepository } from '../../src/store/kpi-repo.js';
import { migrate } from '../../src/store/migrate.js';

describe('KPI rollups', () => {
  it('stay equal to the figures after thousands of inserts, replacements and same-value re-sends', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const repo = new SqliteKpiRepository(db);
    const { campaign } = repo.save({ key: 'c', name: 'C', start: '2026-01-01', end: '2026-12-31', budget: null, metrics: [], targets: [] }, 'p1', 1);
    const metrics = ['alcance', 'gasto', 'seguidores'];
    let changes = 0;
    for (let i = 0; i < 6000; i++) {
      const date = `2026-${String(1 + ((i * 7) % 12)).padStart(2, '0')}-${String(1 + ((i * 13) % 28)).padStart(2, '0')}`;
      const value = i % 5 === 0 ? 500 : (i * 37) % 1000; // every fifth a value that often repeats
      const r = repo.record([{ campaignId: campaign.id, metric: metrics[i % 3]!, date, source: ['a', 'b'][i % 2]!, value }], 'p1', i);
      changes += r.stored + r.replaced - r.unchanged;
    }
    const raw = db.prepare('SELECT metric, SUM(value) AS s, COUNT(*) AS n FROM kpi_observations GROUP BY metric ORDER BY metric').all();
    expect(db.prepare('SELECT metric, total AS s, n FROM kpi_totals ORDER BY metric').all()).toEqual(raw);
    expect(db.prepare('SELECT metric, SUM(total) AS s, SUM(n) AS n FROM kpi_monthly GROUP BY metric ORDER BY metric').all()).toEqual(raw);
    expect(db.prepare('SELECT metric, SUM(total) AS s, SUM(n) AS n FROM kpi_daily GROUP BY metric ORDER BY metric').all()).toEqual(raw);
    // Every change of a figure (and only a change) moves the campaign's data version: summaries kept by it stay true.
    expect(repo.get(campaign.id)!.dataVersion).toBe(changes);
    // Each replaced value is kept for audit.
    const corrections = (db.prepare('SELECT count(*) AS n FROM kpi_corrections').get() as { n: number }).n;
    const stored = (db.prepare('SELECT count(*) AS n FROM kpi_observations').get() as { n: number }).n;
    expect(corrections).toBe(changes - stored);
  });
});
