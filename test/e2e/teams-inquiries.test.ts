import { afterEach, describe, expect, it } from 'vitest';
import { cardProblems } from '../helpers/adaptive-cards.js';
import { FakeConnector, type FakeMember } from '../helpers/fake-connector.js';
import { Harness, waitFor } from '../helpers/harness.js';
import { TOKEN, registerInquiry } from '../helpers/inquiry-kit.js';
import { TeamsClient, actionsOf, cardText, firstCard, fakeMember } from '../helpers/teams-client.js';

/**
 * 24/7 inquiries and on-call from Teams: the inquiry's card in the Teams inquiry channel, the page in
 * the on-call person's 1:1 chat (opened by the bot when there is none), Tomar and Responder as
 * Action.Execute, `consulta` and `guardia` typed to the bot. Slack is off.
 */
const INQ_T = '19:consultas0123@thread.tacv2';
const REVIEW_T = '19:review0123456789@thread.tacv2';
const member = fakeMember;
const olga = member('olga', 'Olga Ríos', '6');
const pablo = member('pablo', 'Pablo Gil', '7');
const eva = member('eva', 'Eva Soto', '5');

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
  connector.knowConversations(INQ_T, REVIEW_T);
  for (const m of [olga, pablo, eva]) connector.addMember({ ...m, email: `${m.id.slice(3)}@oficina.gob.mx` });
  h = await Harness.start({
    captureLogs: true,
    env: {
      SLACK_BOT_TOKEN: '',
      TEAMS: 'on',
      TEAMS_SERVICE_URL: connector.serviceUrl,
      TEAMS_REVIEW_CHANNEL_ID: REVIEW_T,
      TEAMS_INQUIRY_CHANNEL_ID: INQ_T,
      INQUIRY_API_TOKEN: TOKEN,
      ONCALL_IDS: `${olga.aadObjectId},${pablo.aadObjectId}`,
      ADMIN_IDS: eva.aadObjectId,
      APPROVER_IDS: eva.aadObjectId,
      ...env,
    },
  });
  teams = new TeamsClient(h.baseUrl, connector);
}

describe('inquiries in Teams', () => {
  it('an inquiry from the API: card in the Teams channel, a page in a new 1:1 chat, Tomar from the page, then Responder with its form', async () => {
    await start();
    const { id, folio } = await registerInquiry(h, { requester: { name: 'Juana Pérez', contact: 'juana@example.org' }, text: 'Solicito el padrón *completo* de beneficiarios <b>2026</b>.' });
    const card = await waitFor(() => connector.postedTo(INQ_T)[0]);
    expect(cardText(firstCard(card.body))).toContain(folio);
    // No personal data on the channel card.
    expect(cardText(firstCard(card.body))).not.toContain('juana@example.org');
    // Olga is on call and never wrote to the bot: a 1:1 chat is opened for the page.
    const page = await waitFor(() => connector.postedTo(`a:chat-${olga.aadObjectId}`)[0]);
    // Asked of the team first: her Teams id and her name.
    expect(connector.created[0]).toMatchObject({ members: [{ id: olga.id }] });
    const take = actionsOf(firstCard(page.body)).find((a) => a.verb === 'inq.take')!;
    expect(take.data).toEqual({ value: String(id) });

    const res = await teams.invoke(olga, `a:chat-${olga.aadObjectId}`, take.verb, take.data);
    expect(res.body.statusCode).toBe(200);
    expect(cardProblems(res.body.value)).toEqual([]);
    expect(h.app.core.inquiries.getById(id)!.state).toBe('taken');
    // The channel card is updated for everyone; Olga gets the detail, with the requester's data.
    await waitFor(() => connector.sent.find((s) => s.method === 'PUT' && s.conversationId === INQ_T));
    const assigned = await waitFor(() => connector.postedTo(`a:chat-${olga.aadObjectId}`).find((s) => cardText(firstCard(s.body)).includes('juana@example.org')));
    expect(cardText(firstCard(assigned.body))).toContain('Solicito el padrón *completo* de beneficiarios <b>2026</b>.');

    // An admin asks for it in the inquiry channel: everyone there reads the answer, so no personal
    // data; in her own chat she sees it.
    await teams.sayInChannel(eva, INQ_T, `consulta ${folio}`);
    const inChannel = await waitFor(() => connector.postedTo(INQ_T).find((s) => s.replyToId && cardText(firstCard(s.body)).includes(folio)));
    expect(cardText(firstCard(inChannel.body))).not.toContain('juana@example.org');
    expect(cardText(firstCard(inChannel.body))).not.toContain('Juana Pérez');
    expect(cardText(firstCard(inChannel.body))).toContain('en su chat con el bot');
    await teams.say(eva, `consulta ${folio}`);
    await waitFor(() => connector.postedTo(teams.chatOf(eva)).find((s) => cardText(firstCard(s.body)).includes('juana@example.org')));

    // Pablo clicks Tomar on his (old) page later: told who has it.
    const late = await teams.invoke(pablo, `a:chat-${pablo.aadObjectId}`, 'inq.take', { value: String(id) });
    expect(cardText(late.body.value)).toMatch(/Olga Ríos/);

    // Responder: the form, an error on it, then the answer.
    const respond = actionsOf(firstCard(assigned.body)).find((a) => a.verb === 'inq.respond')!;
    const form = await teams.invoke(olga, `a:chat-${olga.aadObjectId}`, respond.verb, respond.data);
    expect(cardProblems(form.body.value)).toEqual([]);
    const submit = actionsOf(form.body.value)[0]!;
    const bad = await teams.invoke(olga, `a:chat-${olga.aadObjectId}`, submit.verb, { ...submit.data, summary: 'Se envió el padrón', link: 'no es prueba' });
    expect(JSON.stringify(bad.body.value)).toContain('"color":"Attention"');
    expect(h.app.core.inquiries.getById(id)!.state).toBe('taken');
    const ok = await teams.invoke(olga, `a:chat-${olga.aadObjectId}`, submit.verb, { ...submit.data, summary: 'Se envió el padrón', link: 'https://oficina.gob.mx/respuestas/17' });
    expect(cardText(ok.body.value)).toContain(folio);
    expect(h.app.core.inquiries.getById(id)!.state).toBe('answered');
  });

  it('«consulta» opens the form; an error shows on it; a valid one registers the inquiry once; «guardia» shows who is on call', async () => {
    await start();
    const chat = teams.chatOf(eva);
    await teams.say(eva, 'consulta');
    const form = firstCard((await waitFor(() => connector.postedTo(chat)[0])).body);
    const submit = actionsOf(form)[0]!;
    expect(submit.verb).toBe('inq.register_form');
    const bad = await teams.invoke(eva, chat, submit.verb, { ...submit.data, channel: 'correo', type: 'informacion', text: '', received_date: '2026-11-30', received_time: '10:00' });
    expect(JSON.stringify(bad.body.value)).toContain('"color":"Attention"');
    expect(h.app.core.inquiries.open(5).total).toBe(0);
    const values = { channel: 'correo', type: 'informacion', text: 'Pido copia del contrato de limpieza.', received_date: '2026-11-30', received_time: '10:00' };
    const [a, b] = await Promise.all([0, 1].map(() => teams.invoke(eva, chat, submit.verb, { ...submit.data, ...values })));
    expect(cardText(a!.body.value)).toMatch(/CONS-\d{4}-\d{4}/);
    expect(cardText(b!.body.value)).toMatch(/CONS-\d{4}-\d{4}/);
    expect(h.app.core.inquiries.open(5).total).toBe(1);

    // The rotation was named by Azure AD ids: their names were asked of Teams at start.
    await waitFor(() => h.app.core.people.label(h.app.core.people.find('teams', olga.aadObjectId)!) === 'Olga Ríos' || undefined);
    await teams.say(eva, 'guardia');
    const list = await waitFor(() => connector.postedTo(chat).find((s) => cardText(firstCard(s.body)).includes('Olga Ríos')));
    expect(cardText(firstCard(list.body))).toContain('Pablo Gil');
    await teams.say(eva, 'consulta lista');
    await waitFor(() => connector.postedTo(chat).find((s) => /Consultas abiertas[\s\S]*CONS-\d{4}-0001/.test(cardText(firstCard(s.body)))));
  });

  it('a rotation named by e-mail: the team\'s roster links each e-mail to its Teams user at start, so the page reaches someone who never wrote', async () => {
    await start({ ONCALL_IDS: 'olga@oficina.gob.mx,pablo@oficina.gob.mx', ADMIN_IDS: 'eva@oficina.gob.mx' });
    await waitFor(() => h.app.core.people.find('teams', olga.aadObjectId) || undefined);
    const { folio } = await registerInquiry(h);
    const page = await waitFor(() => connector.postedTo(`a:chat-${olga.aadObjectId}`)[0]);
    expect(cardText(firstCard(page.body))).toContain(folio);
    expect(connector.created[0]).toMatchObject({ members: [{ id: olga.id }] });
    const olgaId = h.app.core.people.find('teams', olga.aadObjectId)!;
    expect(h.app.core.people.get(olgaId)).toMatchObject({ name: 'Olga Ríos', email: 'olga@oficina.gob.mx' });
  });
});
