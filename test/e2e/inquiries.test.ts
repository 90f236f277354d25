import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, type StoredMessage } from '../helpers/fake-slack.js';
import { buttonsOf, Harness, headerOf, SteppingClock, tempDbPath, textOf, U, waitFor } from '../helpers/harness.js';
import { at, inquiryEnv, INQ, MIN, ON, stopWithoutErrors, TOKEN } from '../helpers/inquiry-kit.js';
import { localToEpoch } from '../../src/domain/shared/time.js';

/**
 * 24/7 inquiries through the real app: signed Slack requests and the inquiry API in, a strict fake
 * Slack out, a real SQLite file, and a clock the test steps (escalation is minutes; deadlines days).
 */
let h: Harness;
let clock: SteppingClock;
// No listener may fail behind a 200 (a double ack, a thrown error): those are logged at error level.
afterEach(() => stopWithoutErrors(h));

async function start(startAt: number, env: Record<string, string> = {}, o: { slack?: FakeSlack; dbPath?: string } = {}) {
  clock = new SteppingClock(startAt);
  h = await Harness.start({ clock, ...o, captureLogs: true, env: inquiryEnv(env) });
}

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

const register = async (body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  api('POST', '/api/v1/inquiries', { channel: 'facebook', type: 'informacion', text: '¿Cuántos contratos firmó la secretaría en 2026?', requester: { name: 'Ana Pérez', contact: 'ana@example.org' }, ...body }, headers);

const pagesTo = (user: string) => h.slack.dmsTo(user).filter((m) => headerOf(m).startsWith('Consulta sin tomar'));
/** Advances the stepping clock and fires what is due. */
async function advance(ms: number) {
  clock.advance(ms);
  await h.app.jobs.tick();
}
const eventsOf = (id: number) => h.app.db.prepare('SELECT event, actor_id FROM inquiry_events WHERE inquiry_id = ? ORDER BY id').all(id) as { event: string; actor_id: string }[];

describe('an inquiry at 23:50 on a Saturday', () => {
  it('is registered from the Slack form, carded without personal data, paged step by step until someone takes it', async () => {
    await start(at('2026-11-14', '23:50'));
    // The Slack form: /consulta opens it, with now as the default received time.
    const opened = h.slack.callsOf('views.open').length;
    await h.command(ON.a, '', '/consulta');
    const view = await h.openedView(opened);
    expect(textOf({ blocks: view.blocks as never })).toContain('Recibida');
    const res = await h.submit(ON.a, view, {
      channel: 'facebook',
      type: 'informacion',
      name: 'Ana Pérez',
      contact: 'ana@example.org',
      text: 'Solicito los contratos <script>alert(1)</script> & <!channel> de 2026',
      received_date: '2026-11-14',
      received_time: '23:50',
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');

    // The card: folio, type, received, legal due date (Sat → counts from Tue 17 Nov, Mon 16 is a holiday), text escaped, no contact.
    const card = await waitFor(() => h.slack.inChannel(INQ)[0]);
    const cardText = textOf(card);
    expect(headerOf(card)).toBe('CONS-2026-0001 · solicitud de información');
    expect(cardText).toContain('martes 15 de diciembre');
    expect(cardText).toContain('20 días hábiles');
    expect(cardText).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt;');
    expect(cardText).not.toContain('ana@example.org');
    expect(cardText).not.toContain('Ana Pérez');
    expect(buttonsOf(card).map((b) => b.action_id)).toEqual(['inq.take', 'inq.respond', 'inq.transfer', 'inq.extend', 'inq.history', 'inq.detail']);

    // Step 0: whoever is on call (UONCALL1 this week), at once; nobody else.
    await waitFor(() => pagesTo(ON.a).length === 1);
    expect(pagesTo(ON.b)).toHaveLength(0);
    expect(pagesTo(U.admin)).toHaveLength(0);
    expect(textOf(pagesTo(ON.a)[0]!)).not.toContain('ana@example.org');

    // Step 1 (+15 min): the next person of the rotation too.
    await advance(14 * MIN);
    await h.settle();
    expect(pagesTo(ON.b)).toHaveLength(0);
    await advance(1 * MIN);
    await waitFor(() => pagesTo(ON.b).length === 1);
    expect(pagesTo(ON.a)).toHaveLength(2);
    expect(pagesTo(U.admin)).toHaveLength(0);

    // Step 2 (+30 min): the admins too. Then every 30 minutes, everyone again.
    await advance(15 * MIN);
    await waitFor(() => pagesTo(U.admin).length === 1);
    await advance(30 * MIN);
    await waitFor(() => pagesTo(U.admin).length === 2 && pagesTo(ON.a).length === 4 && pagesTo(ON.b).length === 3);
    // Each is told why: on call (then how long it waits), next in the rotation, admin.
    expect(pagesTo(ON.a).map((m) => textOf(m).match(/Está de guardia: tómela|Sigue sin tomar \(\d+ minutos/)?.[0])).toEqual(['Está de guardia: tómela', 'Sigue sin tomar (15 minutos', 'Sigue sin tomar (30 minutos', 'Sigue sin tomar (60 minutos']);
    expect(textOf(pagesTo(ON.b)[0]!)).toContain('se le avisa como siguiente persona de la guardia');
    expect(textOf(pagesTo(U.admin)[0]!)).toContain('se avisa a quienes administran');

    // Tomar stops the pages, assigns it, and updates the card and the pages in place.
    const page = pagesTo(ON.b).at(-1)!;
    const took = await h.click(ON.b, page, 'inq.take');
    expect(took.status).toBe(200);
    await h.settle();
    await waitFor(() => textOf(h.slack.inChannel(INQ)[0]!).includes(`tomada por <@${ON.b}>`));
    expect(buttonsOf(h.slack.inChannel(INQ)[0]!).map((b) => b.action_id)).not.toContain('inq.take');
    for (const p of pagesTo(ON.a)) expect(buttonsOf(h.slack.messages.get(`${p.channel}:${p.ts}`)!)).toHaveLength(0);
    // Whoever took it gets the detail, with the requester's contact.
    const mine = await waitFor(() => h.slack.dmsTo(ON.b).find((m) => headerOf(m).startsWith('Tiene a su cargo')));
    expect(textOf(mine)).toContain('ana@example.org');
    // Detalle from the channel card: the requester's data for the assignee and the admins only.
    const channelCard = h.slack.inChannel(INQ)[0]!;
    const seenBy = async (user: string) => textOf((await h.reply((await h.click(user, channelCard, 'inq.detail')).rid)) as never);
    expect(await seenBy(ON.a)).not.toContain('ana@example.org');
    expect(await seenBy(ON.a)).not.toContain('Ana Pérez');
    expect(await seenBy(U.admin)).toContain('ana@example.org');
    expect(await seenBy(ON.b)).toContain('Ana Pérez');

    const before = { a: pagesTo(ON.a).length, b: pagesTo(ON.b).length, admin: pagesTo(U.admin).length };
    await advance(3 * 60 * MIN);
    await h.settle();
    expect({ a: pagesTo(ON.a).length, b: pagesTo(ON.b).length, admin: pagesTo(U.admin).length }).toEqual(before);

    // A second Tomar is told who took it first; nothing changes.
    // (The pages lost their buttons; this is a click from a copy Slack had not refreshed yet.)
    const id = (h.app.db.prepare('SELECT id FROM inquiries').get() as { id: number }).id;
    const late = await h.clickValue(ON.a, pagesTo(ON.a)[0]!, 'inq.take', String(id));
    const told = textOf((await h.reply(late.rid)) as never);
    expect(told).toContain(`ya la tomó <@${ON.b}>`);
    expect(eventsOf(id).map((e) => e.event)).toEqual(['registered', 'taken']);
  });

  it('two people taking it at the same moment: one takes it, the other is told who', async () => {
    await start(at('2026-11-14', '23:50'));
    const r = await register();
    expect(r.status).toBe(201);
    const card = await waitFor(() => h.slack.inChannel(INQ)[0]);
    const [x, y] = await Promise.all([h.click(ON.a, card, 'inq.take'), h.click(ON.b, card, 'inq.take')]);
    expect([x.status, y.status]).toEqual([200, 200]);
    const id = Number(r.body.id);
    await waitFor(() => h.slack.responsesTo(x.rid).length + h.slack.responsesTo(y.rid).length === 1);
    expect(eventsOf(id).filter((e) => e.event === 'taken')).toHaveLength(1);
    const loser = h.slack.responsesTo(x.rid)[0] ?? h.slack.responsesTo(y.rid)[0]!;
    expect(textOf(loser as never)).toMatch(/ya la tomó <@UONCALL[12]>/);
  });
});

describe('exactly once', () => {
  it('two Responder forms sent at the same moment: one answer is recorded, the other person is told who answered', async () => {
    await start(at('2026-11-16', '10:00'));
    const r = await register();
    const card = await waitFor(() => h.slack.inChannel(INQ)[0]);
    const opened = h.slack.callsOf('views.open').length;
    await h.click(ON.a, card, 'inq.respond');
    const f1 = await h.openedView(opened);
    await h.click(ON.b, card, 'inq.respond');
    const f2 = await h.openedView(opened + 1);
    const [s1, s2] = await Promise.all([
      h.submit(ON.a, f1, { summary: 'Se envió el padrón.', link: 'https://transparencia.example.gob.mx/r/1' }),
      h.submit(ON.b, f2, { summary: 'Otra respuesta.', link: 'https://transparencia.example.gob.mx/r/2' }),
    ]);
    expect([s1.status, s2.status]).toEqual([200, 200]);
    await h.settle();
    const id = Number(r.body.id);
    expect(eventsOf(id).filter((e) => e.event === 'answered')).toHaveLength(1);
    const notes = [...h.slack.ephemeralsTo(ON.a), ...h.slack.ephemeralsTo(ON.b), ...h.slack.dmsTo(ON.a), ...h.slack.dmsTo(ON.b)].map((m) => m.text);
    expect(notes.filter((t) => t.startsWith('Respuesta registrada en'))).toHaveLength(1);
    expect(notes.filter((t) => /^No se pudo: CONS-2026-0001 ya fue respondida por <@UONCALL[12]>/.test(t))).toHaveLength(1);
    // The same form sent again (Slack retries a submission it got no answer to): nothing new.
    await h.submit(ON.a, f1, { summary: 'Se envió el padrón.', link: 'https://transparencia.example.gob.mx/r/1' });
    await h.settle();
    expect(eventsOf(id).filter((e) => e.event === 'answered')).toHaveLength(1);
    const got = await api('GET', `/api/v1/inquiries/${String(r.body.folio)}`);
    expect(got.body).toMatchObject({ state: 'answered' });
  });
});

describe('escalation survives what happens between steps', () => {
  it('a restart between two steps: the next page goes out once, late, never twice', async () => {
    const slack = await new FakeSlack().start();
    const dbPath = tempDbPath();
    await start(at('2026-11-14', '23:50'), {}, { slack, dbPath });
    await register();
    await waitFor(() => pagesTo(ON.a).length === 1);
    await h.stopApp();
    clock.advance(20 * MIN); // step 1 fell due while the bot was down
    h = await Harness.start({ clock, slack, dbPath, env: inquiryEnv() });
    await h.app.jobs.tick();
    await waitFor(() => pagesTo(ON.b).length === 1);
    await h.app.jobs.tick();
    await h.settle();
    expect(pagesTo(ON.b)).toHaveLength(1);
    expect(pagesTo(ON.a)).toHaveLength(2);
    // Down for an hour and a half: the steps missed are one page at the level reached, not a burst.
    await h.stopApp();
    clock.advance(90 * MIN);
    h = await Harness.start({ clock, slack, dbPath, env: inquiryEnv() });
    await h.app.jobs.tick();
    await waitFor(() => pagesTo(U.admin).length === 1);
    await h.settle();
    expect(pagesTo(U.admin)).toHaveLength(1);
    expect(pagesTo(ON.a)).toHaveLength(3);
  });

  it('Slack down for an hour: the pages wait, then each person gets one page at the level reached, none twice', async () => {
    const slack = await new FakeSlack().start();
    await start(at('2026-11-14', '23:50'), {}, { slack });
    await register();
    await waitFor(() => pagesTo(ON.a).length === 1);
    const port = slack.port;
    await slack.stop();
    // Steps 1 (00:05), 2 (00:20) and 3 (00:50) fire while nothing answers where the bot points.
    // (Each attempt is let fail before the clock moves on: an hour passes, no request is still in flight.)
    const sending = () => (h.app.db.prepare(`SELECT count(*) AS n FROM outbox WHERE status = 'sending'`).get() as { n: number }).n;
    for (const m of [15, 15, 15, 20]) {
      await advance(m * MIN);
      await waitFor(() => sending() === 0);
    }
    const queued = h.app.db.prepare(`SELECT count(*) AS n FROM outbox WHERE status IN ('pending','sending') AND kind = 'inquiry_page'`).get() as { n: number };
    expect(queued.n).toBeGreaterThanOrEqual(6);
    await slack.start(port);
    // A row that failed the moment Slack went away retries after its backoff: the test's clock moves
    // on a few seconds at a time, as time would.
    const pending = () => (h.app.db.prepare(`SELECT count(*) AS n FROM outbox WHERE status IN ('pending','sending')`).get() as { n: number }).n;
    for (let k = 0; k < 40 && pending() > 0; k++) {
      clock.advance(5_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(pending()).toBe(0);
    // Step 3's page only: the ones of steps 1 and 2 were superseded while waiting.
    expect(pagesTo(ON.a)).toHaveLength(2);
    expect(pagesTo(ON.b)).toHaveLength(1);
    expect(pagesTo(U.admin)).toHaveLength(1);
    // Nothing is left behind or failed.
    const left = h.app.db.prepare(`SELECT status, count(*) AS n FROM outbox WHERE kind = 'inquiry_page' GROUP BY status`).all();
    expect(left).toEqual([{ status: 'sent', n: expect.any(Number) }]);
  });

  it('an inquiry left with no pending step (a row lost, a step that failed) is paged again at the next start', async () => {
    const slack = await new FakeSlack().start();
    const dbPath = tempDbPath();
    await start(at('2026-11-14', '23:50'), {}, { slack, dbPath });
    const r = await register();
    await waitFor(() => pagesTo(ON.a).length === 1);
    await h.stopApp();
    // Whatever the cause, nothing is pending for it any more.
    const db = new Database(dbPath);
    db.prepare(`UPDATE jobs SET state = 'skipped', note = 'test: lost' WHERE kind = 'inquiry.page' AND state = 'pending'`).run();
    db.close();
    h = await Harness.start({ clock, slack, dbPath, captureLogs: true, env: inquiryEnv() });
    await waitFor(() => pagesTo(ON.a).length === 2);
    expect(eventsOf(Number(r.body.id)).map((e) => e.event)).toEqual(['registered', 'returned']);
    // …and escalates from there as usual.
    await advance(15 * MIN);
    await waitFor(() => pagesTo(ON.b).length === 1);
    h.logs.splice(0); // the warning about the revival is expected; errors are not
  });

  it('the minutes in force when an inquiry opened stay with it; a new setting applies to new inquiries', async () => {
    const slack = await new FakeSlack().start();
    const dbPath = tempDbPath();
    await start(at('2026-11-14', '23:50'), { INQUIRY_ACK_MINUTES: '15' }, { slack, dbPath });
    await register();
    await waitFor(() => pagesTo(ON.a).length === 1);
    await h.stopApp();
    h = await Harness.start({ clock, slack, dbPath, captureLogs: true, env: inquiryEnv({ INQUIRY_ACK_MINUTES: '5' }) });
    await register({ text: 'Otra, con la nueva política.' });
    await waitFor(() => pagesTo(ON.a).length === 2);
    await advance(5 * MIN);
    await h.settle();
    // Only the new one escalated after 5 minutes; the first waits for its own 15.
    expect(pagesTo(ON.b).map((m) => headerOf(m))).toEqual(['Consulta sin tomar: CONS-2026-0002']);
    await advance(10 * MIN);
    await waitFor(() => pagesTo(ON.b).some((m) => headerOf(m) === 'Consulta sin tomar: CONS-2026-0001'));
  });

  it('a hand-off between steps pages the new person, and the hand-off itself is told', async () => {
    await start(at('2026-11-16', '08:50'));
    await register();
    await waitFor(() => pagesTo(ON.a).length === 1);
    await advance(15 * MIN); // 09:05: the week changed hands at 09:00 (UONCALL2, then UONCALL3 next)
    await waitFor(() => pagesTo(ON.b).length === 1 && pagesTo(ON.c).length === 1);
    await h.settle();
    expect(pagesTo(ON.a)).toHaveLength(1);
    const dm = await waitFor(() => h.slack.dmsTo(ON.b).find((m) => m.text.includes('está de guardia')));
    expect(dm.text).toContain('lunes 23 de noviembre');
    await waitFor(() => h.slack.inChannel(INQ).find((m) => m.text.includes(`Cambio de guardia: <@${ON.b}>`)));
  });
});

describe('the inquiry API', () => {
  it('answers 201 with folio and due date; an Idempotency-Key makes a re-send the first answer', async () => {
    await start(at('2025-12-15', '10:00'));
    const first = await register({}, { 'Idempotency-Key': 'form-77' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: 1, folio: 'CONS-2025-0001', due_date: '2026-01-14' });
    const again = await register({}, { 'Idempotency-Key': 'form-77' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    // The same request from a client that writes its keys in another order is the same request.
    const reordered = await api('POST', '/api/v1/inquiries', { requester: { contact: 'ana@example.org', name: 'Ana Pérez' }, text: '¿Cuántos contratos firmó la secretaría en 2026?', type: 'informacion', channel: 'facebook' }, { 'Idempotency-Key': 'form-77' });
    expect(reordered.status).toBe(201);
    expect(reordered.body).toEqual(first.body);
    const other = await register({ text: 'otra cosa' }, { 'Idempotency-Key': 'form-77' });
    expect(other.status).toBe(422);
    const empty = await register({}, { 'Idempotency-Key': ' ' });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('está vacía');
    const plain = await register();
    expect(plain.body.folio).toBe('CONS-2025-0002');
    expect((h.app.db.prepare('SELECT count(*) AS n FROM inquiries').get() as { n: number }).n).toBe(2);

    const got = await api('GET', '/api/v1/inquiries/CONS-2025-0001');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ folio: 'CONS-2025-0001', state: 'open', assignee: null, due_date: '2026-01-14', extended_due_date: null });
    expect((got.body.events as { event: string }[]).map((e) => e.event)).toEqual(['registered']);
    expect(JSON.stringify(got.body)).not.toContain('ana@example.org');
  });

  it('refuses without the token, and says what is wrong with each field', async () => {
    await start(at('2025-12-15', '10:00'));
    const no = await fetch(`${h.baseUrl}/api/v1/inquiries`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(no.status).toBe(401);
    const bad = await api('POST', '/api/v1/inquiries', { channel: 'paloma', type: 'x', text: '', received_at: 'ayer', requester: { contact: 'a'.repeat(300) } });
    expect(bad.status).toBe(400);
    const fields = (bad.body.errors as { field: string; message: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['channel', 'received_at', 'requester.contact', 'text', 'type']);
    expect((h.app.db.prepare('SELECT count(*) AS n FROM inquiries').get() as { n: number }).n).toBe(0);
    const missing = await api('GET', '/api/v1/inquiries/CONS-2025-0099');
    expect(missing.status).toBe(404);
    // Not JSON, the wrong type, a body over the limit, a wrong method: told, nothing stored.
    const post = (body: string, type = 'application/json') => fetch(`${h.baseUrl}/api/v1/inquiries`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': type }, body });
    expect((await post('{"channel":')).status).toBe(400);
    expect((await post('channel=web', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post(JSON.stringify({ channel: 'web', type: 'general', text: 'x'.repeat(2_000_000) }))).status).toBe(413);
    expect((await fetch(`${h.baseUrl}/api/v1/inquiries`, { method: 'DELETE', headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
    // Folios as people write them.
    await register({ received_at: '2025-12-15T10:00' });
    for (const ref of ['CONS-2025-0001', 'cons-2025-1', '2025-1']) expect((await api('GET', `/api/v1/inquiries/${ref}`)).status, ref).toBe(200);
    expect((h.app.db.prepare('SELECT count(*) AS n FROM inquiries').get() as { n: number }).n).toBe(1);
  });
});

describe('legal deadlines in business days', () => {
  const dueOf = async (body: Record<string, unknown>) => {
    const r = await register(body);
    expect(r.status).toBe(201);
    return r.body.due_date;
  };

  it('CO: a petición crosses 25 December and 1 January (15 business days from the day after)', async () => {
    await start(at('2025-12-15', '10:00'), { LEGAL_COUNTRY: 'CO', TIMEZONE: 'America/Bogota' });
    // Tue 16 … Wed 24 (7), Fri 26 (8), Mon 29–Wed 31 (11), Fri 2 Jan (12), Mon 5–Wed 7 (15).
    expect(await dueOf({ type: 'peticion', received_at: '2025-12-15T10:00' })).toBe('2026-01-07');
    // Documents or information: 10 days — Tue 16 … Wed 24 (7), Fri 26 (8), Mon 29 (9), Tue 30 (10).
    expect(await dueOf({ type: 'informacion', received_at: '2025-12-15T10:00' })).toBe('2025-12-30');
    // Press has no legal term.
    expect(await dueOf({ type: 'prensa', received_at: '2025-12-15T10:00' })).toBeUndefined();
  });

  it('MX: an information request crosses 25 December and 1 January (20 business days)', async () => {
    await start(at('2025-12-15', '10:00'));
    // Dec 16–24 (7), 26 (8), 29–31 (11), Jan 2 (12), 5–9 (17), 12–14 (20).
    expect(await dueOf({ received_at: '2025-12-15T10:00' })).toBe('2026-01-14');
  });

  it('CO and MX across Holy Week 2026; a request after office hours counts from the next business day', async () => {
    await start(at('2026-03-27', '10:00'), { LEGAL_COUNTRY: 'CO', TIMEZONE: 'America/Bogota' });
    // CO: Holy Thursday and Good Friday (2–3 April) are holidays. Mon 30 – Wed 1 (3), Mon 6 – Fri 10 (8), Mon 13 (9), Tue 14 (10).
    expect(await dueOf({ received_at: '2026-03-27T10:00' })).toBe('2026-04-14');
    await h.stop();
    await start(at('2026-03-27', '10:00'), { OFFICE_CLOSED_DATES: '2026-03-30..2026-04-03' });
    // MX with the office closed in Holy Week: Apr 6–10 (5), 13–17 (10), 20–24 (15), 27–30 (19), [1 May], Mon 4 May (20).
    expect(await dueOf({ received_at: '2026-03-27T10:00' })).toBe('2026-05-04');
    // Friday 20 March at 19:00, after hours: counts from Monday 23. Mar 24–27 (4), [30 Mar–3 Apr closed], 6–10 (9), 13–17 (14), 20–24 (19), Mon 27 (20).
    expect(await dueOf({ received_at: '2026-03-20T19:00' })).toBe('2026-04-27');
    // Friday 13 March at 17:59, before closing: counts from that day; Monday 16 is a holiday (Benito Juárez). Mar 17–20 (4), 23–27 (9), 6–10 (14), 13–17 (19), Mon 20 (20).
    expect(await dueOf({ received_at: '2026-03-13T17:59' })).toBe('2026-04-20');
  });

  it('the office closes for the holidays after an inquiry came in: at the next start its due date is computed again, audited, and the card says so', async () => {
    const slack = await new FakeSlack().start();
    const dbPath = tempDbPath();
    await start(at('2026-12-07', '10:00'), {}, { slack, dbPath });
    const r = await register({ received_at: '2026-12-07T10:00' });
    // Dec 8–11 (4), 14–18 (9), 21–24 (13), 28–31 (17), [1 Jan], 4–6 (20).
    expect(r.body.due_date).toBe('2027-01-06');
    const press = await register({ type: 'prensa', received_at: '2026-12-07T10:05' });
    await waitFor(() => h.slack.inChannel(INQ).length === 2);
    await h.stopApp();
    h = await Harness.start({ clock, slack, dbPath, captureLogs: true, env: inquiryEnv({ OFFICE_CLOSED_DATES: '2026-12-21..2027-01-08' }) });
    // Dec 8–11 (4), 14–18 (9), [21 Dec – 8 Jan closed], 11–15 (14), 18–22 (19), 25 (20).
    const got = await api('GET', `/api/v1/inquiries/${String(r.body.folio)}`);
    expect(got.body).toMatchObject({ due_date: '2027-01-25' });
    expect((got.body.events as { event: string; data: Record<string, unknown> }[]).at(-1)).toMatchObject({ event: 'due_changed', data: { from: '2027-01-06', to: '2027-01-25' } });
    await waitFor(() => textOf(h.slack.inChannel(INQ)[0]!).includes('lunes 25 de enero'));
    // Without a term, nothing to move; a second start with the same calendar moves nothing.
    expect(eventsOf(Number(press.body.id)).map((e) => e.event)).toEqual(['registered']);
    await h.stopApp();
    h = await Harness.start({ clock, slack, dbPath, captureLogs: true, env: inquiryEnv({ OFFICE_CLOSED_DATES: '2026-12-21..2027-01-08' }) });
    expect(eventsOf(Number(r.body.id)).filter((e) => e.event === 'due_changed')).toHaveLength(1);
    // Office hours that end at 10:00: received at 10:00, it now counts from Tuesday 8 — stored, not only told.
    await h.stopApp();
    h = await Harness.start({ clock, slack, dbPath, captureLogs: true, env: inquiryEnv({ OFFICE_CLOSED_DATES: '2026-12-21..2027-01-08', OFFICE_HOURS: '08:00-10:00' }) });
    const again = await api('GET', `/api/v1/inquiries/${String(r.body.folio)}`);
    expect(again.body).toMatchObject({ receipt_date: '2026-12-08', due_date: '2027-01-26' });
    h.logs.splice(0);
  });

  it('an extension is refused once the original term has passed, and granted within the legal maximum before', async () => {
    await start(at('2025-12-15', '10:00'), { LEGAL_COUNTRY: 'CO', TIMEZONE: 'America/Bogota' });
    const early = await register({ type: 'peticion', received_at: '2025-12-15T10:00' });
    const late = await register({ type: 'informacion', received_at: '2025-12-15T10:00' });
    await waitFor(() => h.slack.inChannel(INQ).length === 2);
    clock.set(localToEpoch('2026-01-02', '10:00', 'America/Bogota')!); // información was due on 30 December
    const cards = h.slack.inChannel(INQ);
    const cardOf = (folio: unknown) => cards.find((c) => headerOf(c).startsWith(String(folio)))!;
    const refused = await h.click(ON.a, cardOf(late.body.folio), 'inq.extend');
    expect(textOf((await h.reply(refused.rid)) as never)).toContain('el plazo original venció el martes 30 de diciembre');
    expect(h.slack.callsOf('views.open')).toHaveLength(0);

    const opened = h.slack.callsOf('views.open').length;
    await h.click(ON.a, cardOf(early.body.folio), 'inq.extend');
    const form = await h.openedView(opened);
    // Twice the initial term: 30 business days after receipt. Dec 16–24 (7), 26 (8), 29–31 (11), Jan 2 (12),
    // 5–9 (17), [12 Jan, Reyes], 13–16 (21), 19–23 (26), 26–29 (30) → Thursday 29 January.
    expect(textOf({ blocks: form.blocks as never })).toContain('jueves 29 de enero');
    const sent = await h.submit(ON.a, form, { reason: 'Se requiere información de tres dependencias.' });
    expect(sent.status).toBe(200);
    const got = await api('GET', `/api/v1/inquiries/${String(early.body.folio)}`);
    expect(got.body).toMatchObject({ due_date: '2026-01-07', extended_due_date: '2026-01-29' });
    // Once only: the card lost its Prórroga button; a click from a copy of the old card is told.
    expect(buttonsOf(cardOf(early.body.folio)).map((b) => b.action_id)).not.toContain('inq.extend');
    const again = await h.clickValue(ON.a, cardOf(early.body.folio), 'inq.extend', String(early.body.id));
    expect(textOf((await h.reply(again.rid)) as never)).toContain('ya tiene prórroga');
  });
});

export type { StoredMessage };
