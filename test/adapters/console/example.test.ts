import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_CAMPAIGN, EXAMPLE_FIGURE_DAYS, KEPT_ON_RESET, loadExample, packageRoot, resetDemo, type DemoOffice } from '../../../src/adapters/console/example.js';
import { DEMO_PEOPLE, DEMO_ROLES, type DemoPerson } from '../../../src/adapters/console/office.js';
import { loadConfig } from '../../../src/config.js';
import { buildCore, type Core } from '../../../src/core.js';
import { validateNewPiece } from '../../../src/domain/approvals/validate.js';
import { addDays, localDateOf } from '../../../src/domain/shared/time.js';
import { createLogger } from '../../../src/logger.js';
import { SteppingClock, tempDbPath } from '../../helpers/harness.js';
import { SIGNING_SECRET } from '../../helpers/slack-client.js';

const TZ = 'America/Mexico_City';
const HOUR = 3_600_000;
/** Wednesday 18 November 2026, 10:07 in Mexico City. */
const START = Date.UTC(2026, 10, 18, 16, 7);
const P = DEMO_PEOPLE;

/** A Slack office whose roles name the demo people by e-mail, as the demo's settings do. */
const slackEnv = (dbPath: string): Record<string, string> => ({
  SLACK_BOT_TOKEN: 'xoxb-test-not-a-real-token',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  REVIEW_CHANNEL_ID: 'CREVIEW',
  APPROVER_IDS: DEMO_ROLES.approverIds.join(','),
  DESIGNER_IDS: DEMO_ROLES.designerIds.join(','),
  ADMIN_IDS: DEMO_ROLES.adminIds.join(','),
  KPI_EDITOR_IDS: DEMO_ROLES.kpiEditorIds.join(','),
  ONCALL_IDS: DEMO_ROLES.oncallIds.join(','),
  DATABASE_PATH: dbPath,
  TIMEZONE: TZ,
  LOG_LEVEL: 'silent',
});

const open: Core[] = [];

it('refuses to empty any database but the demo office\'s', () => {
  const core = buildCore(loadConfig(slackEnv(tempDbPath())), { logger: createLogger('silent'), clock: new SteppingClock(Date.now()) });
  try {
    expect(() => resetDemo(core)).toThrow(/only the console demo office/);
  } finally {
    core.db.close();
  }
});
afterEach(() => {
  for (const c of open.splice(0)) c.db.close();
});

function start(env: Record<string, string>, clock: SteppingClock): { core: Core; office: DemoOffice } {
  // A demo office (its own database): the only kind a reset may empty.
  const config = loadConfig(env);
  const core = buildCore(config.console.demo ? config : { ...config, console: { enabled: false, demo: true } }, { logger: createLogger('silent'), clock });
  open.push(core);
  const id = (p: DemoPerson) => core.people.ensure('console', p.login, { name: p.name, email: p.email });
  const office: DemoOffice = {
    author: id(P.author),
    approvers: [id(P.approver1), id(P.approver2)],
    designer: id(P.designer),
    admin: id(P.admin),
    oncall: [id(P.oncall1), id(P.oncall2), id(P.author)],
  };
  return { core, office };
}

const count = (core: Core, table: string): number => (core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Rows in every table: what «changes nothing» is checked against. */
function snapshot(core: Core): Record<string, number> {
  const tables = core.db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
  return Object.fromEntries(tables.map((t) => [t.name, count(core, `"${t.name}"`)]));
}

const pieceByTitle = (core: Core, start: string) => {
  const row = core.db.prepare<[string], { id: number }>('SELECT id FROM pieces WHERE title LIKE ?').get(`${start}%`);
  expect(row, start).toBeDefined();
  return core.approvals.history(row!.id);
};

describe('console example office', () => {
  it('finds the example programme from the package root', () => {
    const root = packageRoot();
    expect(existsSync(join(root, 'package.json'))).toBe(true);
    expect(readFileSync(join(root, 'examples/programa-anual-2027.csv'), 'utf8')).toContain('fecha,hora,tipo,titulo');
    // From anywhere below the root (dist/adapters/console after a build) it finds the same root.
    expect(packageRoot(join(root, 'dist', 'adapters', 'console'))).toBe(root);
  });

  it('loads the example through the services, once; a reset empties it and the office still works', async () => {
    const clock = new SteppingClock(START);
    const { core, office } = start(slackEnv(tempDbPath()), clock);
    const [rosa, jorge] = office.approvers;
    const peopleBefore = count(core, 'people');
    const identitiesBefore = count(core, 'person_identities');

    const r = loadExample(core, office);
    expect(r).toEqual({ loaded: true, entries: 14 + 6, campaigns: 1, figures: EXAMPLE_FIGURE_DAYS * 7, pieces: 6, inquiries: 1 });

    // 1. The programme and the next days.
    const today = localDateOf(clock.now(), TZ);
    const programme = core.calendar.occurrences('2027-01-01', '2027-12-31');
    expect(programme.some((o) => o.title === 'Día Mundial del Medio Ambiente' && o.date === '2027-06-05')).toBe(true);
    expect(core.db.prepare("SELECT count(*) AS n FROM calendar_entries WHERE import_key LIKE 'csv:%'").get()).toEqual({ n: 14 });
    const near = core.calendar.occurrences(today, addDays(today, 7));
    const conference = near.find((o) => o.kind === 'press_conference')!;
    expect(conference).toMatchObject({ date: addDays(today, 1), time: '10:00', ownerId: office.admin });
    expect(core.calendar.get(conference.entryId).reminders).toEqual(['day_before', 'hour_before']);
    expect(near.filter((o) => o.date === addDays(today, 2)).length).toBeGreaterThan(0);
    // An hour later, the interview's «one hour before» reminder has fired.
    const interview = near.find((o) => o.title.startsWith('Entrevista'))!;
    expect(interview.startsAt - clock.now()).toBeGreaterThan(75 * 60_000 - 1);
    expect(interview.startsAt - clock.now()).toBeLessThanOrEqual(90 * 60_000);

    // 2. The campaign: two weeks of figures, visits to the site behind, the rest and the budget on track.
    const campaign = core.kpis.campaign(EXAMPLE_CAMPAIGN)!;
    expect(campaign).toMatchObject({ start: addDays(today, -14), end: addDays(today, 27), budget: 18_000_000 });
    const s = core.kpis.summary(campaign);
    const metric = (key: string) => s.metrics.find((m) => m.metric.key === key)!;
    expect(metric('alcance').daily.filter((d) => d.value !== null)).toHaveLength(14);
    expect(metric('gasto').daily.filter((d) => d.value !== null)).toHaveLength(14);
    expect(metric('visitas_web').status).toBe('at_risk');
    for (const k of ['alcance', 'interacciones', 'llamadas', 'gasto']) expect(metric(k).status, k).toBe('on_track');
    expect(s.budget.status).toBe('on_track');
    expect(core.kpis.atRisk().map((x) => x.campaign.key)).toEqual([EXAMPLE_CAMPAIGN]);

    // 3. Pieces at every stage, each with its history.
    const stagesOf = (h: ReturnType<typeof pieceByTitle>) => h.events.map((e) => `${e.event}:${e.actorId}`);
    const review = pieceByTitle(core, 'Comunicado: la Línea de Orientación 800 atendió');
    expect(review.piece.stage).toBe('content_review');
    expect(stagesOf(review)).toEqual([`submit:${office.author}`]);
    const design = pieceByTitle(core, 'Infografía');
    expect(design.piece.stage).toBe('design');
    expect(stagesOf(design)).toEqual([`submit:${office.author}`, `approve:${rosa}`]);
    const designReview = pieceByTitle(core, 'Tarjeta');
    expect(designReview.piece).toMatchObject({ stage: 'design_review', designUrl: expect.stringMatching(/^https:\/\//) });
    expect(stagesOf(designReview)).toEqual([`submit:${office.author}`, `approve:${jorge}`, `deliver_design:${office.designer}`]);
    const approved = pieceByTitle(core, 'Video');
    expect(approved.piece).toMatchObject({ stage: 'approved', designUrl: expect.stringContaining('-v2') });
    expect(stagesOf(approved)).toEqual([
      `submit:${office.author}`,
      `approve:${rosa}`,
      `deliver_design:${office.designer}`,
      `reject:${jorge}`,
      `deliver_design:${office.designer}`,
      `approve:${jorge}`,
    ]);
    const published = pieceByTitle(core, 'Post');
    expect(published.piece).toMatchObject({ stage: 'published', publishedUrl: expect.stringMatching(/^https:\/\//) });
    expect(stagesOf(published)).toEqual([`submit:${office.author}`, `approve:${rosa}`, `publish:${office.author}`]);
    const changes = pieceByTitle(core, 'Comunicado: convenio');
    expect(changes.piece.stage).toBe('changes_requested');
    expect(changes.events.at(-1)).toMatchObject({ event: 'reject', actorId: jorge, reason: expect.stringContaining('Jurídico') });
    expect(core.db.prepare("SELECT DISTINCT platform FROM piece_events").all()).toEqual([{ platform: 'console' }]);
    // The designer has the infographic waiting; approvers have the two reviews.
    expect(core.approvals.pendingFor(office.designer).designs.map((p) => p.id)).toEqual([design.piece.id]);
    expect(core.approvals.pendingFor(rosa).reviews.map((p) => p.id).sort()).toEqual([review.piece.id, designReview.piece.id].sort());

    // 4. The inquiry is open, nobody has it, and whoever is on call is paged.
    const inquiry = core.db.prepare<[], { id: number; state: string; assignee_id: string | null; due_date: string | null }>('SELECT id, state, assignee_id, due_date FROM inquiries').get()!;
    expect(inquiry).toMatchObject({ state: 'open', assignee_id: null });
    expect(inquiry.due_date).not.toBeNull();
    const onCall = core.oncall.onCallAt(clock.now());
    expect(office.oncall).toContain(onCall);
    const pages = core.db.prepare<[], { payload: string }>("SELECT payload FROM outbox WHERE kind = 'inquiry_page'").all();
    expect(pages.map((p) => (JSON.parse(p.payload) as { to: { person: string } }).to.person)).toContain(onCall);
    expect(core.db.prepare("SELECT count(*) AS n FROM jobs WHERE kind = 'inquiry.page' AND state = 'pending'").get()).toEqual({ n: 1 });
    // Cards of the new pieces are in the outbox too.
    expect(count(core, "outbox WHERE kind = 'post_card'")).toBe(6);

    // A second load changes nothing.
    const before = snapshot(core);
    expect(loadExample(core, office)).toEqual({ loaded: false, entries: 0, campaigns: 0, figures: 0, pieces: 0, inquiries: 0 });
    expect(snapshot(core)).toEqual(before);

    // The demo clock moves an hour: the interview's reminder fires.
    clock.advance(HOUR);
    await core.jobs.tick();
    const fired = core.db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM jobs WHERE kind = 'calendar.reminder' AND subject = ? AND state = 'done'").get(`entry:${interview.entryId}`)!;
    expect(fired.n).toBe(1);

    // «Reiniciar»: the office's work is gone, its people and the schema stay.
    // A summary kept in memory must not outlive the reset: tomorrow's, for the campaign about to be emptied.
    expect(core.kpis.summary(campaign, addDays(today, 1)).campaign.start).toBe(addDays(today, -14));
    const schema = () => core.db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").all();
    const schemaBefore = schema();
    const userVersion = core.db.pragma('user_version', { simple: true });
    resetDemo(core);
    expect(schema()).toEqual(schemaBefore);
    expect(core.db.pragma('user_version', { simple: true })).toBe(userVersion);
    for (const t of ['pieces', 'piece_events', 'piece_messages', 'calendar_entries', 'calendar_entry_events', 'kpi_campaigns', 'kpi_campaign_events', 'kpi_observations', 'kpi_daily', 'kpi_totals', 'kpi_alert_state', 'inquiries', 'inquiry_events', 'inquiry_origins', 'inquiry_folios', 'outbox', 'role_grants', 'role_events', 'digest_subscriptions', 'console_messages', 'job_horizons']) {
      expect(count(core, t), t).toBe(0);
    }
    // Only what a fresh start seeds: the rotation from ONCALL_IDS and its hand-offs.
    expect(count(core, 'oncall_rotations')).toBe(1);
    expect(core.db.prepare("SELECT DISTINCT kind FROM jobs").all()).toEqual([{ kind: 'oncall.handoff' }]);
    expect(core.oncall.onCallAt(clock.now())).toBe(core.people.byEmail(P.oncall1.email));
    expect(count(core, 'people')).toBe(peopleBefore);
    expect(count(core, 'person_identities')).toBe(identitiesBefore);
    expect(core.people.find('console', P.author.login)).toBe(office.author);
    expect(KEPT_ON_RESET.has('people')).toBe(true);

    // Roles still work: a new piece is submitted and approved.
    const v = validateNewPiece({ title: 'Aviso: cambio de horario', body: 'A partir del lunes atendemos de 8:00 a 16:00.', kind: 'post', networks: ['facebook'], date: addDays(today, 1) }, clock.now(), TZ);
    expect(v.ok).toBe(true);
    const { piece } = core.approvals.submit(v.ok ? v.value : (undefined as never), office.author, 'console', null);
    expect(piece.id).toBe(1);
    expect(core.approvals.decide({ pieceId: piece.id, version: piece.version, event: 'approve', userId: rosa, platform: 'console' }).piece.stage).toBe('approved');

    // And the example loads again, whole, a day later on the demo clock.
    clock.advance(24 * HOUR);
    const again = loadExample(core, office);
    expect(again).toEqual({ loaded: true, entries: 20, campaigns: 1, figures: EXAMPLE_FIGURE_DAYS * 7, pieces: 6, inquiries: 1 });
    const c2 = core.kpis.campaign(EXAMPLE_CAMPAIGN)!;
    expect(c2.start).toBe(addDays(localDateOf(clock.now(), TZ), -14));
    const s2 = core.kpis.summary(c2);
    expect(s2.campaign.start).toBe(c2.start);
    expect(s2.metrics.find((m) => m.metric.key === 'visitas_web')!.status).toBe('at_risk');
    expect(count(core, 'pieces')).toBe(7);
    // The audit tables are append-only again.
    expect(() => core.db.prepare('DELETE FROM piece_events').run()).toThrow(/append-only/);
    expect(core.db.prepare("SELECT state FROM inquiries").all()).toEqual([{ state: 'open' }]);
  });

  it('in the demo office itself (console lane, demo roles), loads into the console lane and resets', () => {
    const clock = new SteppingClock(START);
    const { core, office } = start({ CONSOLE_DATABASE_PATH: tempDbPath(), LOG_LEVEL: 'silent', TIMEZONE: TZ }, clock);
    expect(core.surfaces).toEqual(['console']);
    expect(loadExample(core, office).loaded).toBe(true);
    const lanes = core.db.prepare<[], { lane: string }>('SELECT DISTINCT lane FROM outbox').all();
    expect(lanes).toEqual([{ lane: 'console' }]);
    expect(count(core, "outbox WHERE kind = 'inquiry_page'")).toBeGreaterThan(0);
    expect(count(core, "outbox WHERE kind = 'post_card'")).toBe(6);
    resetDemo(core);
    expect(count(core, 'outbox')).toBe(0);
    expect(count(core, 'pieces')).toBe(0);
    expect(loadExample(core, office).loaded).toBe(true);
  });
});

