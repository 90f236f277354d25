import { afterEach, describe, expect, it } from 'vitest';
import { validateNewPiece } from '../../src/domain/approvals/validate.js';
import { cardProblems } from '../helpers/adaptive-cards.js';
import { FakeConnector, type FakeMember } from '../helpers/fake-connector.js';
import { Harness, REVIEW, U, buttonsOf, tempDbPath, textOf, waitFor } from '../helpers/harness.js';
import { TeamsClient, actionsOf, cardText, firstCard, fakeMember } from '../helpers/teams-client.js';

/**
 * Approvals from Microsoft Teams through the real app: activities posted to /api/messages as Teams
 * posts them (local testing mode, TEAMS=on), the bot's messages caught by a fake Bot Framework
 * connector on 127.0.0.1 that parses every card with Microsoft's adaptivecards library; with Slack off,
 * and with both surfaces on (one state: both cards show every decision).
 */
const REVIEW_T = '19:review0123456789@thread.tacv2';
const member = fakeMember;
const ana = member('ana', 'Ana Pérez', '1', 'ana@oficina.gob.mx');
const beto = member('beto', 'Beto Ruiz', '2', 'beto@oficina.gob.mx');
const carla = member('carla', 'Carla Díaz', '3');
const dora = member('dora', 'Dora Luna', '4');
const eva = member('eva', 'Eva Soto', '5');

let h: Harness;
let connector: FakeConnector;
let teams: TeamsClient;
/** an error-level log line a test provokes on purpose */
let expected: RegExp | null = null;

afterEach(async () => {
  const errors = h?.logs.filter((l) => /"level":(50|60)/.test(l) && !(expected && expected.test(l))) ?? [];
  expected = null;
  await h?.stop();
  await connector?.stop();
  expect(errors).toEqual([]);
});

async function start(o: { slack?: boolean; env?: Record<string, string> } = {}) {
  connector = await new FakeConnector().start();
  connector.knowConversations(REVIEW_T);
  for (const m of [ana, beto, carla, dora, eva]) connector.addMember(m);
  const env: Record<string, string> = {
    TEAMS: 'on',
    TEAMS_SERVICE_URL: connector.serviceUrl,
    TEAMS_REVIEW_CHANNEL_ID: REVIEW_T,
    ...(o.slack
      ? { APPROVER_IDS: `${U.approver},${beto.aadObjectId}`, DESIGNER_IDS: U.designer, ADMIN_IDS: U.admin }
      : { SLACK_BOT_TOKEN: '', APPROVER_IDS: `${beto.aadObjectId},${carla.aadObjectId}`, DESIGNER_IDS: dora.aadObjectId, ADMIN_IDS: eva.aadObjectId }),
    ...o.env,
  };
  h = await Harness.start({ captureLogs: true, env });
  teams = new TeamsClient(h.baseUrl, connector);
}

const VALUES = {
  title: 'Jornada de vacunación en Ciudad Bolívar',
  body: 'Este sábado hay jornada de vacunación gratuita. Consulte los puntos en el sitio web.',
  kind: 'post',
  networks: 'x,facebook',
  date: '2030-03-14',
  time: '10:00',
  materials: '',
  needs_design: '',
};

/** «pieza» in the 1:1 chat → the form card → its submit, as Teams sends it. Returns the invoke's answer. */
async function submitForm(from: FakeMember, values: Record<string, string>) {
  const before = connector.postedTo(teams.chatOf(from)).length;
  expect((await teams.say(from, 'pieza')).status).toBe(200);
  const reply = await waitFor(() => connector.postedTo(teams.chatOf(from))[before]);
  const form = firstCard(reply.body);
  const submit = actionsOf(form)[0]!;
  expect(submit.verb).toBe('piece.new');
  return teams.invoke(from, teams.chatOf(from), submit.verb, { ...submit.data, ...values });
}

const reviewCards = () => connector.postedTo(REVIEW_T).filter((s) => !s.conversationId.includes(';'));
const pieceCount = () => (h.app.db.prepare('SELECT count(*) AS n FROM pieces').get() as { n: number }).n;

describe('approvals in Teams (Slack off)', () => {
  it('a piece from the Teams form reaches the review channel, is approved there, and a stale click is told who decided', async () => {
    await start();
    // The start says which surfaces are on, and that the local mode authenticates nothing.
    expect(h.logs.some((l) => l.includes('"msg":"Visto Bueno started on Microsoft Teams"') && l.includes('"surfaces":["teams"]'))).toBe(true);
    expect(h.logs.some((l) => l.includes('"level":40') && l.includes('requests are not authenticated'))).toBe(true);
    // The approvers have written to the bot once: Teams told it who they are (their refresh ids).
    await teams.say(beto, 'ayuda');
    await teams.say(carla, 'ayuda');

    // Errors show on the form; nothing is stored.
    const bad = await submitForm(ana, { ...VALUES, title: '', date: '2020-01-01' });
    expect(bad.status).toBe(200);
    expect(bad.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(bad.body.value)).toEqual([]);
    expect(cardText(bad.body.value)).toMatch(/título/i);
    expect(JSON.stringify(bad.body.value)).toContain('"color":"Attention"');
    expect(pieceCount()).toBe(0);

    const ok = await submitForm(ana, VALUES);
    expect(cardText(ok.body.value)).toContain('Pieza #1 enviada a revisión');
    const posted = await waitFor(() => reviewCards()[0]);
    const card = firstCard(posted.body);
    expect(cardText(card)).toContain('Jornada de vacunación');
    const buttons = actionsOf(card);
    expect(buttons.map((b) => b.title)).toEqual(expect.arrayContaining(['Aprobar', 'Rechazar', 'Historial']));
    const approve = buttons.find((b) => b.title === 'Aprobar')!;
    expect(approve.data).toEqual({ piece: 1, version: 1 });
    // Who may act now: the two approvers (Teams user ids), and the author (she may cancel).
    const refresh = card.refresh as { userIds: string[]; action: { verb: string } };
    expect(refresh.userIds).toEqual(expect.arrayContaining([beto.id, carla.id]));
    expect(refresh.action.verb).toBe('piece.refresh');

    // When Teams refreshes the card for someone, it shows the buttons that person may use now.
    const forAna = await teams.invoke(ana, REVIEW_T, refresh.action.verb, { piece: 1 }, 'channel');
    expect(actionsOf(forAna.body.value).map((b) => b.title).sort()).toEqual(['Cancelar', 'Historial']);
    const forBeto = await teams.invoke(beto, REVIEW_T, refresh.action.verb, { piece: 1 }, 'channel');
    expect(actionsOf(forBeto.body.value).map((b) => b.title)).toEqual(expect.arrayContaining(['Aprobar', 'Rechazar', 'Historial']));

    // Beto approves: the invoke answers with the updated card; the channel card is updated for everyone.
    const t0 = Date.now();
    const res = await teams.invoke(beto, REVIEW_T, approve.verb, approve.data, 'channel');
    const answeredMs = Date.now() - t0;
    expect(res.status).toBe(200);
    expect(res.body.statusCode).toBe(200);
    expect(cardText(res.body.value)).toMatch(/aprobad/i);
    expect(answeredMs).toBeLessThan(500);
    const updated = await waitFor(() => connector.sent.find((s) => s.method === 'PUT' && s.conversationId === REVIEW_T && s.activityId === posted.activityId));
    expect(cardText(firstCard(updated.body))).toMatch(/aprobad/i);
    expect(actionsOf(firstCard(updated.body)).map((b) => b.title)).not.toContain('Aprobar');
    // The author is told by a proactive message in her chat.
    await waitFor(() => connector.postedTo(teams.chatOf(ana)).find((s) => /aprob/i.test(cardText(firstCard(s.body)))));

    // Historial: shown to whoever clicked (the invoke's answer), never posted to the channel.
    const channelPosts = connector.postedTo(REVIEW_T).length;
    const history = buttons.find((b) => b.title === 'Historial')!;
    const hist = await teams.invoke(carla, REVIEW_T, history.verb, history.data, 'channel');
    expect(cardProblems(hist.body.value)).toEqual([]);
    expect(cardText(hist.body.value)).toMatch(/Historial[\s\S]*Beto Ruiz/);
    expect(connector.postedTo(REVIEW_T)).toHaveLength(channelPosts);

    // Carla clicks the same (old) button: nothing changes, and she is told who approved it and when.
    const stale = await teams.invoke(carla, REVIEW_T, approve.verb, approve.data, 'channel');
    expect(stale.body.statusCode).toBe(200);
    expect(cardText(stale.body.value)).toMatch(/ya fue aprobada por\s+Beto Ruiz\s+hoy a las \d{1,2}:\d{2}/);
    const events = h.app.db.prepare(`SELECT count(*) AS n FROM piece_events WHERE piece_id = 1 AND event = 'approve'`).get() as { n: number };
    expect(events.n).toBe(1);
    const audit = h.app.db.prepare(`SELECT platform FROM piece_events WHERE piece_id = 1 AND event = 'approve'`).get() as { platform: string };
    expect(audit.platform).toBe('teams');
  });

  it('Cancelar asks first, as on Slack: the card asks the person who clicked; «No» leaves it as it was, «Sí, cancelar» cancels', async () => {
    await start();
    await submitForm(ana, VALUES);
    const card = firstCard((await waitFor(() => reviewCards()[0])).body);
    const cancel = actionsOf(card).find((b) => b.title === 'Cancelar')!;
    const ask = await teams.invoke(ana, REVIEW_T, cancel.verb, cancel.data, 'channel');
    expect(cardProblems(ask.body.value)).toEqual([]);
    expect(h.app.core.pieces.get(1)!.stage).toBe('content_review');
    const [yes, no] = actionsOf(ask.body.value);
    const back = await teams.invoke(ana, REVIEW_T, no!.verb, no!.data, 'channel');
    expect(actionsOf(back.body.value).map((b) => b.title)).toContain('Cancelar');
    expect(h.app.core.pieces.get(1)!.stage).toBe('content_review');
    await teams.invoke(ana, REVIEW_T, yes!.verb, yes!.data, 'channel');
    expect(h.app.core.pieces.get(1)!.stage).toBe('cancelled');
  });

  it('/healthz tells when Teams stops answering, and when it answers again (reported, not a 503: restarting never fixes Teams)', async () => {
    await start();
    const health = async () => (await (await fetch(`${h.baseUrl}/healthz`)).json()) as { status: string; teams?: { status: string; error?: string } };
    expect((await health()).teams).toMatchObject({ status: 'ok' });
    for (let i = 0; i < 2; i++) connector.failNext(503, {}, { error: { code: 'ServiceUnavailable', message: 'down' } }, /\/activities$/);
    connector.delayMs = 150;
    await submitForm(ana, VALUES);
    const poll = async (want: string) => {
      for (const until = Date.now() + 8000; Date.now() < until; await new Promise((r) => setTimeout(r, 20))) {
        const b = await health();
        if (b.teams?.status === want) return b;
      }
      throw new Error(`teams never ${want}`);
    };
    expect(await poll('failing')).toMatchObject({ status: 'ok', teams: { status: 'failing', error: 'http_503' } });
    await waitFor(() => reviewCards()[0], 8000);
    expect((await poll('ok')).teams).toMatchObject({ status: 'ok' });
  });

  it('a double click on the form submit is one piece', async () => {
    await start();
    const before = connector.postedTo(teams.chatOf(ana)).length;
    await teams.say(ana, 'pieza');
    const reply = await waitFor(() => connector.postedTo(teams.chatOf(ana))[before]);
    const submit = actionsOf(firstCard(reply.body))[0]!;
    const [a, b] = await Promise.all([0, 1].map(() => teams.invoke(ana, teams.chatOf(ana), submit.verb, { ...submit.data, ...VALUES })));
    expect(cardText(a!.body.value)).toContain('Pieza #1');
    expect(cardText(b!.body.value)).toContain('Pieza #1');
    expect(pieceCount()).toBe(1);
  });

  it('rejected from Teams: the reason form shows its error, then the author gets the reason; a graphic goes to a designer who never wrote, by a new 1:1 chat', async () => {
    await start();
    await teams.say(beto, 'ayuda');
    await submitForm(ana, VALUES);
    const card = firstCard((await waitFor(() => reviewCards()[0])).body);
    const reject = actionsOf(card).find((b) => b.title === 'Rechazar')!;
    const form = await teams.invoke(beto, REVIEW_T, reject.verb, reject.data, 'channel');
    expect(cardProblems(form.body.value)).toEqual([]);
    const submit = actionsOf(form.body.value)[0]!;
    const empty = await teams.invoke(beto, REVIEW_T, submit.verb, { ...submit.data, reason: '   ' }, 'channel');
    expect(JSON.stringify(empty.body.value)).toContain('"color":"Attention"');
    expect(h.app.core.pieces.get(1)!.stage).toBe('content_review');
    const done = await teams.invoke(beto, REVIEW_T, submit.verb, { ...submit.data, reason: 'Falta la dirección del *punto* <b>norte</b>' }, 'channel');
    expect(cardText(done.body.value)).toMatch(/Etapa ajustes/);
    expect(h.app.core.pieces.get(1)!.stage).toBe('changes_requested');
    // The reason reaches the author as typed (never Teams markdown or HTML).
    const note = await waitFor(() => connector.postedTo(teams.chatOf(ana)).find((s) => cardText(firstCard(s.body)).includes('Falta la dirección')));
    expect(cardText(firstCard(note.body))).toContain('Falta la dirección del *punto* <b>norte</b>');

    // A graphic: after approval it goes to design; the designer never wrote to the bot.
    connector.conversations.delete(`a:chat-${dora.aadObjectId}`);
    await submitForm(ana, { ...VALUES, title: 'Infografía de vacunación', kind: 'graphic' });
    const card2 = firstCard((await waitFor(() => reviewCards()[1])).body);
    const approve2 = actionsOf(card2).find((b) => b.title === 'Aprobar')!;
    await teams.invoke(beto, REVIEW_T, approve2.verb, approve2.data, 'channel');
    const created = await waitFor(() => connector.created[0]);
    expect(created).toMatchObject({ isGroup: false, members: [{ id: dora.id }] });
    const task = await waitFor(() => connector.postedTo(`a:chat-${dora.aadObjectId}`)[0]);
    expect(cardText(firstCard(task.body))).toContain('Infografía de vacunación');
    expect(actionsOf(firstCard(task.body)).length).toBeGreaterThan(0);
  });

  it('a 429 from the connector waits for Retry-After and then delivers; a person the bot cannot reach is reported to the admins', async () => {
    await start();
    await teams.say(eva, 'ayuda');
    connector.failNext(429, { 'Retry-After': '1' }, { error: { code: 'TooManyRequests', message: 'slow down' } }, /\/activities$/);
    const t0 = Date.now();
    await submitForm(ana, VALUES);
    const posted = await waitFor(() => reviewCards()[0], 8000);
    expect(posted.at - t0).toBeGreaterThanOrEqual(900);
    expect(connector.refused.some((r) => r.status === 429)).toBe(true);
    await h.settle();
    const row = h.app.db.prepare(`SELECT lane, status, attempts FROM outbox WHERE kind = 'post_card'`).get() as { lane: string; status: string; attempts: number };
    expect(row).toMatchObject({ lane: 'teams', status: 'sent' });
    // A rate limit is a wait, not a failed attempt — and it is the outbox's (the connector client's
    // own retries are off), so the whole lane holds for Retry-After.
    expect(row.attempts).toBeLessThanOrEqual(1);
    expect(h.logs.some((l) => /"lane":"teams"/.test(l) && /rate limited; holding this scope/.test(l) && /"retryAfterMs":1000/.test(l))).toBe(true);

    // A 503: retried with backoff, then delivered.
    connector.failNext(503, {}, { error: { code: 'ServiceUnavailable', message: 'busy' } }, /\/activities$/);
    await submitForm(ana, { ...VALUES, title: 'Después del 503' });
    await waitFor(() => reviewCards().find((x) => cardText(firstCard(x.body)).includes('Después del 503')), 8000);
    expect(h.logs.some((l) => /"lane":"teams"/.test(l) && /"error":"http_503"/.test(l) && /will retry/.test(l))).toBe(true);

    // The designer cannot be reached (the app is not installed for her): the admins learn it.
    connector.members.delete(dora.id);
    await submitForm(ana, { ...VALUES, title: 'Infografía', kind: 'graphic' });
    await teams.say(beto, 'ayuda');
    const card = firstCard((await waitFor(() => reviewCards().find((x) => cardText(firstCard(x.body)).includes('Infografía')))).body);
    const approve = actionsOf(card).find((b) => b.title === 'Aprobar')!;
    await teams.invoke(beto, REVIEW_T, approve.verb, approve.data, 'channel');
    const alert = await waitFor(() => connector.postedTo(teams.chatOf(eva)).find((s) => /no se pudo|no llegó|no se entregó/i.test(cardText(firstCard(s.body)))), 8000);
    // Named by the name Teams gave for her at start (she never wrote).
    expect(cardText(firstCard(alert.body))).toContain('Dora Luna');
    expected = /delivery failed permanently/;
  });
});

describe('rows no running surface delivers', () => {
  it('a row a command-line tool wrote (lane «route») or one left in the Slack lane goes out in Teams when Slack is off', async () => {
    await start();
    await teams.say(eva, 'ayuda');
    const evaId = h.app.core.people.find('teams', eva.aadObjectId)!;
    const now = Date.now();
    h.app.core.outbox.enqueue({ type: 'digest', to: { person: evaId }, date: '2026-12-04', personal: true, late: false }, now, 'route');
    h.app.core.outbox.enqueue({ type: 'digest', to: { person: evaId }, date: '2026-12-03', personal: true, late: false }, now, 'slack');
    const digests = await waitFor(() => {
      const got = connector.postedTo(teams.chatOf(eva)).filter((x) => /^Resumen del (viernes 4|jueves 3) de diciembre/.test(cardText(firstCard(x.body))));
      return got.length === 2 ? got : undefined;
    }, 8000);
    expect(digests).toHaveLength(2);
    const lanes = h.app.db.prepare(`SELECT DISTINCT lane FROM outbox WHERE kind = 'digest'`).all();
    expect(lanes).toEqual([{ lane: 'teams' }]);
    // A channel's copy left in the Slack lane is not moved: Teams wrote its own copy when it was
    // decided, so moving it would post the same thing twice. It is told as not delivered.
    const id = Number(h.app.db.prepare(`INSERT INTO outbox (lane, kind, payload, piece_id, next_attempt_at, created_at) VALUES ('slack', 'oncall_handoff', ?, NULL, ?, ?) RETURNING id`).pluck().get(JSON.stringify({ type: 'oncall_handoff', to: { place: 'review' }, personId: evaId, start: now, end: now + 1 }), now, now));
    await waitFor(() => (h.app.db.prepare('SELECT status FROM outbox WHERE id = ?').pluck().get(id) === 'failed' ? true : undefined), 8000);
    expect(h.app.db.prepare('SELECT last_error FROM outbox WHERE id = ?').pluck().get(id)).toBe('surface_off');
    expect(h.app.db.prepare(`SELECT count(*) FROM outbox WHERE kind = 'oncall_handoff'`).pluck().get()).toBe(1);
  });
});

describe('one state across Slack and Teams', () => {
  it('a piece submitted in Slack is approved in Teams: both cards show the decision', async () => {
    await start({ slack: true });
    expect(h.logs.some((l) => l.includes('"msg":"Visto Bueno started on Slack and Microsoft Teams"'))).toBe(true);
    await teams.say(beto, 'ayuda');
    h.slack.knowProfile(U.author, { name: 'Ana Autora' });
    const { id, card } = await h.createPiece(U.author);
    const tcard = firstCard((await waitFor(() => reviewCards()[0])).body);
    expect(cardText(tcard)).toContain(`#${id}`);
    // The Slack author by her name (from Slack's profile), never her handle.
    expect(cardText(tcard)).toContain('Ana Autora');
    const approve = actionsOf(tcard).find((b) => b.title === 'Aprobar')!;
    const res = await teams.invoke(beto, REVIEW_T, approve.verb, approve.data, 'channel');
    expect(cardText(res.body.value)).toMatch(/aprobad/i);
    await h.settle();
    // Slack's card, updated in place: no Aprobar any more.
    const slackCard = h.slack.inChannel(REVIEW).find((m) => m.ts === card.ts)!;
    expect(buttonsOf(slackCard).map((b) => b.text.text)).not.toContain('Aprobar');
    expect(textOf(slackCard)).toMatch(/Beto Ruiz|aprob/i);
    // Teams' card too.
    const put = await waitFor(() => connector.sent.find((s) => s.method === 'PUT' && s.conversationId === REVIEW_T));
    expect(actionsOf(firstCard(put.body)).map((b) => b.title)).not.toContain('Aprobar');
  });

  it('a Teams 429 never holds Slack back: the Slack card goes at once, the Teams card after Retry-After', async () => {
    await start({ slack: true });
    connector.failNext(429, { 'Retry-After': '3' }, { error: { code: 'TooManyRequests', message: 'slow down' } }, /\/activities$/);
    const t0 = Date.now();
    const { card } = await h.createPiece(U.author);
    const slackMs = Date.now() - t0;
    const teamsCard = await waitFor(() => reviewCards()[0], 10_000);
    expect(slackMs).toBeLessThan(2000);
    expect(teamsCard.at - t0).toBeGreaterThanOrEqual(2900);
    expect(card.ts).toBeTruthy();
  });

  it('two approvers click at the same moment, one in Slack and one in Teams: one transition, both cards show it', async () => {
    await start({ slack: true });
    await teams.say(beto, 'ayuda');
    const { id, card } = await h.createPiece(U.author);
    const tcard = firstCard((await waitFor(() => reviewCards()[0])).body);
    const approve = actionsOf(tcard).find((b) => b.title === 'Aprobar')!;
    await Promise.all([h.click(U.approver, card, 'piece.approve'), teams.invoke(beto, REVIEW_T, approve.verb, approve.data, 'channel')]);
    await h.settle();
    const n = h.app.db.prepare(`SELECT count(*) AS n FROM piece_events WHERE piece_id = ? AND event = 'approve'`).get(id) as { n: number };
    expect(n.n).toBe(1);
    expect(h.app.core.pieces.get(id)!.stage).toBe('approved');
    const slackCard = h.slack.inChannel(REVIEW).find((m) => m.ts === card.ts)!;
    expect(buttonsOf(slackCard).map((b) => b.text.text)).not.toContain('Aprobar');
    const puts = connector.sent.filter((s) => s.method === 'PUT' && s.conversationId === REVIEW_T);
    expect(actionsOf(firstCard(puts.at(-1)!.body)).map((b) => b.title)).not.toContain('Aprobar');
  });
});

describe('one person on both surfaces', () => {
  it('the same e-mail on Slack and Teams is one person: a role given by e-mail works on both, and direct messages go where they were last seen', async () => {
    await start({ slack: true, env: { APPROVER_IDS: `beto@oficina.gob.mx,${U.approver}` } });
    h.slack.knowProfile('U0BETO', { name: 'Beto Ruiz', email: 'beto@oficina.gob.mx' });
    // Beto approves in Slack: Slack gives his e-mail the first time; the role named by e-mail is his.
    const { id, card } = await h.createPiece(U.author);
    await h.click('U0BETO', card, 'piece.approve');
    await h.settle();
    expect(h.app.core.pieces.get(id)!.stage).toBe('approved');
    const onSlack = h.app.core.people.find('slack', 'U0BETO');
    // Then he writes from Teams (Teams gives the same e-mail): the same person, the same roles.
    await teams.say(beto, 'pieza pendientes');
    expect(h.app.core.people.find('teams', beto.aadObjectId)).toBe(onSlack);
    const rows = h.app.db.prepare(`SELECT surface FROM person_identities WHERE person_id = ? ORDER BY surface`).all(onSlack);
    expect(rows).toEqual([{ surface: 'slack' }, { surface: 'teams' }]);
    // Beto writes a piece in Slack, then uses Teams; when it is approved in Slack, his notice goes
    // to Teams (where he was last seen), once.
    const second = await h.createPiece('U0BETO', { title: 'Segunda pieza, de Beto' });
    await teams.say(beto, 'pieza lista');
    const slackDms = h.slack.dmsTo('U0BETO').length;
    await h.click(U.approver, second.card, 'piece.approve');
    await h.settle();
    await waitFor(() => connector.postedTo(teams.chatOf(beto)).find((x) => /aprob/i.test(cardText(firstCard(x.body))) && cardText(firstCard(x.body)).includes('Segunda pieza, de Beto')));
    expect(h.slack.dmsTo('U0BETO').length).toBe(slackDms);
  });
});

describe('the biggest digest in Teams', () => {
  it('hundreds of pending pieces with the longest titles: the digest card parses at 1.5 and stays under 80 KB', async () => {
    await start({ env: { TEAMS_DIGEST_CHANNEL_ID: '19:digest0123@thread.tacv2' } });
    connector.knowConversations('19:digest0123@thread.tacv2');
    const author = h.app.core.people.ensure('teams', ana.aadObjectId, { name: ana.name });
    const core = h.app.core;
    // Titles full of what Teams' markdown would read: every one must show as typed.
    const long = (i: number) => `#${i} **Campaña** _de_ [vacunación](https://x.y) <at>todos</at> ${'ñ'.repeat(60)}`.slice(0, 150);
    for (let i = 0; i < 400; i++) {
      const v = validateNewPiece({ title: long(i), body: 'Texto '.repeat(40), kind: 'post', networks: ['facebook'], date: '2030-03-14', time: '10:00', materialsUrl: null, needsDesign: false }, Date.now(), 'America/Mexico_City');
      if (!v.ok) throw new Error(JSON.stringify(v.errors));
      core.approvals.submit(v.value, author, 'teams', `seed-${i}`);
    }
    await h.settle();
    // The day all 400 are planned for: «Hoy en el calendario» has 400 lines, the waiting list its 20.
    core.enqueue({ type: 'digest', to: { place: 'digest' }, date: '2030-03-14', personal: false, late: false }, Date.now());
    core.kickOutbox();
    const posted = await waitFor(() => connector.postedTo('19:digest0123@thread.tacv2')[0], 8000);
    const card = firstCard(posted.body);
    expect(cardProblems(card)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(80_000);
    const text = cardText(card);
    expect(text).toContain('**Campaña** _de_ [vacunación](https://x.y) <at>todos</at>');
    // Cut inside the long list, with a count of what was left out; every section keeps its heading.
    expect(text).toContain('Hoy en el calendario');
    expect(text).toContain('Piezas en espera');
    expect(text).toMatch(/… \+\d+/);
  });
});

describe('turning Teams on in an office that used Slack', () => {
  it('a piece in flight from before has no Teams card: its resubmission note is not an error, nothing reaches the admins, and its next card refresh is quiet', async () => {
    const dbPath = tempDbPath();
    const first = await Harness.start({ dbPath });
    const { id } = await first.createPiece(U.author);
    const c1 = first.app.core;
    c1.approvals.decide({ pieceId: id, version: c1.pieces.get(id)!.version, event: 'reject', userId: c1.people.find('slack', U.approver)!, platform: 'slack', input: { reason: 'Falta la fuente' } });
    await first.settle();
    await first.stop();

    connector = await new FakeConnector().start();
    connector.knowConversations(REVIEW_T);
    h = await Harness.start({ dbPath, captureLogs: true, env: { TEAMS: 'on', TEAMS_SERVICE_URL: connector.serviceUrl, TEAMS_REVIEW_CHANNEL_ID: REVIEW_T } });
    teams = new TeamsClient(h.baseUrl, connector);
    const core = h.app.core;
    const p = core.pieces.get(id)!;
    core.approvals.decide({ pieceId: id, version: p.version, event: 'resubmit', userId: core.people.find('slack', U.author)!, platform: 'slack', input: { title: p.title, body: p.body } });
    core.kickOutbox();
    await h.settle();
    const rows = h.app.db.prepare(`SELECT lane, kind, status FROM outbox WHERE kind IN ('thread_note', 'refresh', 'admin_alert') AND status != 'sent'`).all();
    expect(rows).toEqual([]);
    // The Slack thread got its note; Teams has nothing about the piece (no card to refresh or reply to).
    expect(h.slack.inChannel(REVIEW).some((m) => m.thread_ts)).toBe(true);
    expect(connector.sent).toEqual([]);
  });
});

describe('Teams edges', () => {
  it('activities from another tenant are ignored: nobody is created, a click is refused, nothing is sent', async () => {
    await start({ env: { MICROSOFT_APP_TENANT_ID: '0b0c1e2f-3a4b-4c5d-8e9f-0123456789ab' } });
    const before = (h.app.db.prepare(`SELECT count(*) AS n FROM person_identities WHERE surface = 'teams'`).get() as { n: number }).n;
    const foreign = { ...ana, aadObjectId: '99999999-9999-4999-8999-999999999999', id: '29:intruder' };
    connector.addMember(foreign);
    const other = await teams.post({
      type: 'message', id: 'x1', serviceUrl: connector.serviceUrl, channelId: 'msteams', text: 'pieza pendientes',
      from: { id: foreign.id, name: 'Intruso', aadObjectId: foreign.aadObjectId },
      conversation: { id: 'a:foreign', conversationType: 'personal', tenantId: 'another-tenant' }, recipient: { id: '28:visto-bueno' }, channelData: { tenant: { id: 'another-tenant' } },
    });
    expect(other.status).toBe(200);
    const click = await teams.post({
      type: 'invoke', name: 'adaptiveCard/action', id: 'x2', serviceUrl: connector.serviceUrl, channelId: 'msteams',
      from: { id: foreign.id, aadObjectId: foreign.aadObjectId }, conversation: { id: REVIEW_T, conversationType: 'channel', tenantId: 'another-tenant' }, recipient: { id: '28:visto-bueno' },
      value: { action: { type: 'Action.Execute', verb: 'piece.approve', data: { piece: 1, version: 1 } }, trigger: 'manual' },
    });
    expect(click.status).toBe(403);
    expect((h.app.db.prepare(`SELECT count(*) AS n FROM person_identities WHERE surface = 'teams'`).get() as { n: number }).n).toBe(before);
    expect(connector.sent).toEqual([]);
    // Our own tenant works.
    await teams.say(ana, 'ayuda');
    await waitFor(() => connector.sent[0]);
  });

  it('a card refresh Teams asks for by itself does not move direct messages to Teams; a click does', async () => {
    await start({ slack: true });
    h.slack.knowProfile('U0BETO', { name: 'Beto Ruiz' });
    await h.command('U0BETO', 'pendientes');
    const p = h.app.core.people.find('slack', 'U0BETO')!;
    h.app.db.prepare(`UPDATE person_identities SET person_id = ? WHERE surface = 'teams' AND external_id = ?`).run(p, beto.aadObjectId);
    const refresh = { type: 'invoke', name: 'adaptiveCard/action', id: 'r1', serviceUrl: connector.serviceUrl, channelId: 'msteams', from: { id: beto.id, name: beto.name, aadObjectId: beto.aadObjectId }, conversation: { id: REVIEW_T, conversationType: 'channel', tenantId: 'x' }, recipient: { id: '28:visto-bueno' } };
    await teams.post({ ...refresh, value: { action: { type: 'Action.Execute', verb: 'piece.refresh', data: { piece: 1 } }, trigger: 'automatic' } });
    expect(h.app.core.people.preferredSurface(p, ['slack', 'teams'])).toBe('slack');
    await teams.post({ ...refresh, id: 'r2', value: { action: { type: 'Action.Execute', verb: 'piece.history', data: { value: '1' } }, trigger: 'manual' } });
    expect(h.app.core.people.preferredSurface(p, ['slack', 'teams'])).toBe('teams');
  });

  it('a 1:1 chat that is gone is opened again for the same message', async () => {
    await start();
    await teams.say(ana, 'ayuda');
    await waitFor(() => connector.sent[0]);
    // Ana's chat disappears (the app was removed and added again): the next message to her opens a new one.
    connector.conversations.delete(teams.chatOf(ana));
    const anaId = h.app.core.people.find('teams', ana.aadObjectId)!;
    h.app.core.enqueue({ type: 'digest', to: { person: anaId }, date: '2026-12-04', personal: true, late: false }, Date.now());
    h.app.core.kickOutbox();
    const got = await waitFor(() => connector.postedTo(`a:chat-${ana.aadObjectId}`).find((x) => /^Resumen del/.test(cardText(firstCard(x.body)))), 8000);
    expect(got).toBeTruthy();
    expect(connector.created.some((c) => (c.members as { id: string }[])[0]!.id === ana.id)).toBe(true);
    expect(h.app.db.prepare(`SELECT count(*) AS n FROM outbox WHERE status = 'failed'`).get()).toEqual({ n: 0 });
  });
});
