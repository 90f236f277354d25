import { afterEach, describe, expect, it } from 'vitest';
import { FakeConnector, type FakeMember } from '../helpers/fake-connector.js';
import { Harness, waitFor } from '../helpers/harness.js';
import { TeamsClient, cardText, firstCard, fakeMember } from '../helpers/teams-client.js';

/**
 * Typed commands in Teams when Teams is slow or refuses a reply for a moment, when it sends the same
 * activity twice, and when people are named in ways the bot must put together.
 */
const REVIEW_T = '19:review0123456789@thread.tacv2';
const m = fakeMember;
const ana = m('ana', 'Ana Pérez', '1', 'ana@oficina.gob.mx');
const dora = m('dora', 'Dora Admin', '4', 'dora@oficina.gob.mx');
const fede = m('fede', 'Fede Nuevo', '6', 'fede@oficina.gob.mx');

let h: Harness;
let connector: FakeConnector;
let teams: TeamsClient;
afterEach(async () => {
  const errors = h?.logs.filter((l) => /"level":(50|60)/.test(l)) ?? [];
  await h?.stop();
  await connector?.stop();
  expect(errors).toEqual([]);
});

async function start(env: Record<string, string> = {}) {
  connector = await new FakeConnector().start();
  connector.knowConversations(REVIEW_T);
  for (const x of [ana, dora, fede]) connector.addMember(x);
  h = await Harness.start({ captureLogs: true, env: { SLACK_BOT_TOKEN: '', TEAMS: 'on', TEAMS_SERVICE_URL: connector.serviceUrl, TEAMS_REVIEW_CHANNEL_ID: REVIEW_T, ...env } });
  teams = new TeamsClient(h.baseUrl, connector);
}

const entries = () => (h.app.db.prepare('SELECT count(*) FROM calendar_entries').pluck().get() as number);

describe('typed commands when Teams misbehaves', () => {
  it('a reply Teams refuses once (503, then 429) is sent again; the person is never told «nothing was saved» for something that was', async () => {
    await start();
    connector.failNext(503, {}, { error: { code: 'ServiceUnavailable', message: 'busy' } }, /\/activities\/act-/);
    const soon = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await teams.say(ana, `calendario agregar ${soon} 11:00 Entrevista en radio`);
    const reply = await waitFor(() => connector.postedTo(teams.chatOf(ana))[0], 8000);
    expect(cardText(firstCard(reply.body))).toContain('Listo: fecha #1 agregada');
    expect(entries()).toBe(1);
    connector.failNext(429, { 'Retry-After': '1' }, { error: { code: 'TooManyRequests', message: 'slow' } }, /\/activities\/act-/);
    await teams.say(ana, 'calendario semana');
    const list = await waitFor(() => connector.postedTo(teams.chatOf(ana))[1], 8000);
    expect(cardText(firstCard(list.body))).toContain('Entrevista en radio');
    expect(connector.sent.every((x) => !cardText(firstCard(x.body)).includes('no se guardó nada'))).toBe(true);
  });

  it('a slow Teams does not hold the request (Teams would send it again); the same activity sent twice is done once', async () => {
    await start();
    connector.delayMs = 3000;
    const activity = { type: 'message', id: 'act-dup-1', serviceUrl: connector.serviceUrl, channelId: 'msteams', from: { id: ana.id, name: ana.name, aadObjectId: ana.aadObjectId }, conversation: { id: teams.chatOf(ana), conversationType: 'personal', tenantId: 't' }, recipient: { id: '28:visto-bueno' }, text: 'calendario agregar 2026-12-12 12:00 Duplicada' };
    const t0 = Date.now();
    // The first time Ana writes, the bot asks Teams who she is (1.5 s at most); then it answers at once.
    expect((await teams.post(activity)).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(2500);
    const t1 = Date.now();
    expect((await teams.post(activity)).status).toBe(200);
    expect(Date.now() - t1).toBeLessThan(500);
    await waitFor(() => connector.postedTo(teams.chatOf(ana))[0], 10_000);
    expect(entries()).toBe(1);
  });
});

describe('people named in ways the bot puts together', () => {
  it('an admin named by e-mail in one setting and by Teams id in another is one admin, even when she writes during the first start', async () => {
    await start({ ADMIN_IDS: 'dora@oficina.gob.mx', ONCALL_IDS: dora.aadObjectId });
    await teams.say(dora, 'pieza fallos');
    const reply = await waitFor(() => connector.postedTo(teams.chatOf(dora))[0]);
    expect(cardText(firstCard(reply.body))).toContain('No hay mensajes fallidos');
    const p = h.app.core.people.find('teams', dora.aadObjectId)!;
    expect(h.app.core.roles.rolesOf(p).has('admin')).toBe(true);
  });

  it('«pieza roles dar @Fede aprobador» names a new hire who never wrote to the bot (Teams says who the mention is)', async () => {
    await start({ ADMIN_IDS: 'dora@oficina.gob.mx' });
    await teams.sayInChannel(dora, REVIEW_T, 'pieza roles dar <at>Fede Nuevo</at> aprobador', [fede]);
    const reply = await waitFor(() => connector.postedTo(REVIEW_T).find((x) => x.replyToId));
    expect(cardText(firstCard(reply.body))).toContain('Fede Nuevo');
    const p = h.app.core.people.find('teams', fede.aadObjectId)!;
    expect(h.app.core.roles.rolesOf(p).has('approver')).toBe(true);
    expect(h.app.core.people.get(p)).toMatchObject({ name: 'Fede Nuevo', email: 'fede@oficina.gob.mx' });
  });

  it('a role given to an address nobody has used yet says so (a typo looks just the same)', async () => {
    await start({ ADMIN_IDS: dora.aadObjectId });
    await teams.say(dora, 'pieza roles dar fede@oficna.gob.mx aprobador');
    const reply = await waitFor(() => connector.postedTo(teams.chatOf(dora))[0]);
    expect(cardText(firstCard(reply.body))).toContain('ha escrito al bot todavía');
    await teams.say(dora, 'pieza roles dar fede@oficina.gob.mx diseño');
    await teams.say(fede, 'hola');
    await teams.say(dora, 'pieza roles dar fede@oficina.gob.mx aprobador');
    const third = await waitFor(() => connector.postedTo(teams.chatOf(dora))[2]);
    expect(cardText(firstCard(third.body))).not.toContain('ha escrito al bot todavía');
  });
});
