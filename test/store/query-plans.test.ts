import { describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { SqliteCalendarRepository } from '../../src/store/calendar-repo.js';
import { SqliteJobRepository } from '../../src/store/job-repo.js';
import { SqliteMessageRepository } from '../../src/store/message-repo.js';
import { SqliteOutbox } from '../../src/store/outbox-repo.js';
import { SqlitePieceRepository } from '../../src/store/piece-repo.js';
import { SqliteRoleRepository } from '../../src/store/role-repo.js';
import { SqliteDigestSubscriptions } from '../../src/store/subscription-repo.js';
import { SqlitePeopleRepository } from '../../src/store/people-repo.js';
import { SqliteKpiRepository } from '../../src/store/kpi-repo.js';
import { BUILT_IN_METRICS } from '../../src/domain/kpis/metrics.js';
import { spanOf } from '../../src/domain/kpis/summary.js';

/** Tables that grow without bound in an office that runs for years: no statement may scan them. */
const BIG = ['people', 'person_identities', 'pieces', 'piece_events', 'piece_messages', 'outbox', 'jobs', 'calendar_entries', 'calendar_exceptions'];

/** Every SQL statement the repositories prepare, recorded as they prepare it (the real queries, not copies). */
function recordingDb(): { db: DB; seen: Set<string>; explain: (sql: string) => { all: (...a: unknown[]) => unknown[] } } {
  const db = openDatabase(':memory:');
  migrate(db);
  const seen = new Set<string>();
  const prepare = db.prepare.bind(db);
  (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
    seen.add(sql);
    return prepare(sql);
  };
  return { db, seen, explain: (sql) => prepare<unknown[]>(`EXPLAIN QUERY PLAN ${sql}`) };
}

describe('query plans of the real statements', () => {
  it('no statement of any repository scans a table that grows', () => {
    const { db, seen, explain } = recordingDb();
    const pieces = new SqlitePieceRepository(db);
    const outbox = new SqliteOutbox(db);
    const messages = new SqliteMessageRepository(db);
    const roles = new SqliteRoleRepository(db);
    const entries = new SqliteCalendarRepository(db);
    const jobs = new SqliteJobRepository(db);
    const subs = new SqliteDigestSubscriptions(db);

    // Exercise every method once, so statements prepared on first use are recorded too.
    const { piece } = pieces.insert({ title: 'T', body: 'B', kind: 'post', networks: ['x'], plannedAt: 5, plannedHasTime: true, materialsUrl: null, needsDesign: false, authorId: 'U1', platform: 'slack', stage: 'content_review', originKey: 'k' }, 1);
    pieces.get(piece.id);
    pieces.updateIfVersion({ ...piece, version: 2 }, 1);
    pieces.appendEvent({ pieceId: piece.id, versionFrom: 0, event: 'submit', fromStage: 'draft', toStage: 'content_review', actorId: 'U1', reason: null, data: {}, platform: 'slack', at: 1 });
    pieces.events(piece.id);
    pieces.eventAtVersion(piece.id, 0);
    pieces.lastActor(piece.id, 'deliver_design');
    pieces.byAuthor('U1', 30);
    pieces.plannedBetween(0, 10);
    pieces.publishedBetween(0, 10);
    pieces.inStages(['content_review'], 30);
    pieces.inStages(['content_review'], 30, { authorId: 'U1' });
    pieces.inStages(['content_review'], 30, { notAuthorId: 'U1' });
    messages.record({ surface: 'slack', channel: 'C1', ts: '1.1', pieceId: piece.id, kind: 'card', params: {} }, 1);
    messages.forPiece(piece.id, 'slack');
    messages.card(piece.id, 'slack');
    const people = new SqlitePeopleRepository(db);
    const p1 = people.ensure('slack', 'U1', { name: 'Ana', email: 'ana@example.org' });
    people.ensure('teams', 'aad-1', { email: 'ana@example.org' });
    people.find('slack', 'U1');
    people.identity(p1, 'slack');
    people.get(p1);
    roles.grant('U2', 'approver', 'U1', 1);
    roles.revoke('U2', 'approver', 'U1', 2);
    roles.grants();
    roles.events();
    outbox.enqueue({ type: 'refresh', pieceId: piece.id }, 1);
    const [row] = outbox.claimDue(1, 10, 100);
    outbox.retryAt(row!.id, 2, 'x');
    outbox.handBack(row!.id, 2, 'x');
    outbox.markFailed(row!.id, 'x', 3);
    outbox.markSent(row!.id, 3);
    outbox.nextDueAt();
    outbox.counts();
    outbox.failures();
    outbox.prune(10, 10);
    const input = { title: 'E', kind: 'meeting' as const, startDate: '2026-12-01', time: null, ownerId: null, recurrence: { freq: 'none' as const }, untilDate: null, reminders: [], notes: null };
    const { entry } = entries.insert(input, 'U1', 1, 'import-1');
    entries.insert(input, 'U1', 1, 'import-1');
    entries.update(entry.id, input, 2);
    entries.get(entry.id);
    entries.activeBetween('2026-11-01', '2026-12-31');
    entries.activePage('2026-11-01', '2026-12-31', 0, 100);
    entries.setException({ entryId: entry.id, occurrenceDate: '2026-12-01', action: 'skip', newDate: null, newTime: null, newTitle: null });
    entries.exceptionsFor([entry.id]);
    entries.softDelete(entry.id, 'U1', 3);
    jobs.insert([{ kind: 'k', key: 'a', subject: 's', dueAt: 5 }], () => '', 1);
    const [job] = jobs.due(10, 10);
    jobs.reschedule(job!.id, 6);
    jobs.end(job!.id, 'done', 7, false);
    jobs.cancelSubject('s', 8, 'x');
    jobs.dropPlannedWithOther('k', 'x');
    jobs.setHorizon('k', 1, 'x');
    jobs.horizon('k');
    jobs.prune(10, 10);
    subs.subscribe('U1', 1);
    subs.subscribers();
    subs.unsubscribe('U1');

    expect(seen.size).toBeGreaterThan(40);
    // A partial index holds only the rows still open (a few), so walking it is not a scan of the table.
    const partial = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'`).all() as { name: string }[]).map((r) => r.name);
    const scans: string[] = [];
    for (const sql of [...seen]) {
      if (!/^\s*(SELECT|UPDATE|DELETE|WITH)/i.test(sql) && !/\b(SELECT|WHERE)\b/i.test(sql)) continue;
      const named = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!);
      const args = named.length ? [Object.fromEntries(named.map((n) => [n, null]))] : new Array((sql.match(/\?/g) ?? []).length).fill(null);
      const plan = explain(sql).all(...args) as { detail: string }[];
      for (const p of plan) {
        const m = /^SCAN (\w+)/.exec(p.detail);
        if (m && BIG.includes(m[1]!) && !partial.some((i) => p.detail.endsWith(`INDEX ${i}`))) scans.push(`${p.detail}  ←  ${sql.replace(/\s+/g, ' ').trim()}`);
      }
    }
    expect(scans).toEqual([]);
  });

  it('KPI reads are ranges (of one metric, or of a few days or months): no scan of the figures or their rollups, and no read of a whole campaign', () => {
    const { db, seen, explain } = recordingDb();
    const repo = new SqliteKpiRepository(db);
    const def = { key: 'c1', name: 'C', start: '2020-01-01', end: '2026-12-31', budget: 100, metrics: [], targets: [] };
    const { campaign } = repo.save(def, 'p1', 1);
    repo.save(def, 'p1', 2);
    repo.record([{ campaignId: campaign.id, metric: 'alcance', date: '2026-11-02', source: 'meta', value: 100 }, { campaignId: campaign.id, metric: 'seguidores', date: '2026-11-02', source: 'x', value: 100 }], 'p1', 3);
    repo.record([{ campaignId: campaign.id, metric: 'alcance', date: '2026-11-02', source: 'meta', value: 200 }], 'p1', 4);
    repo.facts(campaign, BUILT_IN_METRICS, spanOf(campaign, '2026-11-20'));
    repo.byKey('c1');
    repo.get(campaign.id);
    repo.active('2026-11-01', '2026-11-30');
    repo.activeAlerts(campaign.id);
    repo.setAlert(campaign.id, 'budget_90', true, 5);

    const FIGURES = ['kpi_observations', 'kpi_daily', 'kpi_monthly'];
    const bad: string[] = [];
    let reads = 0;
    for (const sql of [...seen]) {
      if (!/^\s*SELECT/i.test(sql) || !FIGURES.some((t) => sql.includes(t))) continue;
      reads++;
      const plan = explain(sql).all(...new Array((sql.match(/\?/g) ?? []).length).fill(null)) as { detail: string }[];
      for (const p of plan) {
        const table = FIGURES.find((t) => p.detail.includes(` ${t} `) || p.detail.endsWith(` ${t}`));
        if (!table) continue;
        // A search bounded by the campaign alone would read every metric over every year.
        if (p.detail.startsWith('SCAN') || !/metric=\?|date>\?|month>\?/.test(p.detail)) bad.push(`${p.detail}  ←  ${sql.replace(/\s+/g, ' ').trim()}`);
      }
    }
    expect(reads).toBeGreaterThanOrEqual(6);
    expect(bad).toEqual([]);
  });
});
