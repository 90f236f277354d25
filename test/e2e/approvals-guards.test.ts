import { afterEach, describe, expect, it } from 'vitest';
import { ACTION, FORM } from '../../src/views/ids.js';
import { Harness, REVIEW, U, buttonsOf, textOf, waitFor } from '../helpers/harness.js';
import { payloadBody, postSigned, sign } from '../helpers/slack-client.js';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

const stageOf = (id: number) => (h.app.db.prepare('SELECT stage, version FROM pieces WHERE id = ?').get(id) as { stage: string; version: number });
const eventCount = (id: number) => (h.app.db.prepare('SELECT count(*) AS n FROM piece_events WHERE piece_id = ?').get(id) as { n: number }).n;

describe('who may do what', () => {
  it('a non-approver who clicks Aprobar is told why, and nothing changes', async () => {
    h = await Harness.start();
    const { id, card } = await h.createPiece(U.author);
    const click = await h.click(U.other, card, ACTION.approve);
    expect(click.status).toBe(200);
    const reply = await h.reply(click.rid);
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(reply.text)).toContain('No se pudo aprobar: en esta etapa eso le corresponde a las personas aprobadoras');
    expect(stageOf(id)).toEqual({ stage: 'content_review', version: 1 });
    expect(eventCount(id)).toBe(1);
  });

  it('nobody approves their own piece, unless ALLOW_SELF_APPROVAL=true', async () => {
    h = await Harness.start();
    const { id, card } = await h.createPiece(U.approver);
    const click = await h.click(U.approver, card, ACTION.approve);
    expect(String((await h.reply(click.rid)).text)).toContain('nadie aprueba su propia pieza');
    expect(stageOf(id).stage).toBe('content_review');
    await h.stop();

    h = await Harness.start({ env: { ALLOW_SELF_APPROVAL: 'true' } });
    const own = await h.createPiece(U.approver);
    await h.click(U.approver, own.card, ACTION.approve);
    await h.settle();
    expect(stageOf(own.id).stage).toBe('approved');
  });

  it('only designers deliver designs; a non-designer clicking the task is refused before any modal', async () => {
    h = await Harness.start();
    const { id, card } = await h.createPiece(U.author, { kind: 'video' });
    await h.click(U.approver, card, ACTION.approve);
    const task = await waitFor(() => h.slack.dmsTo(U.designer)[0]);
    const opened = h.slack.callsOf('views.open').length;
    const click = await h.click(U.author, task, ACTION.deliverDesign);
    expect(String((await h.reply(click.rid)).text)).toContain('le corresponde al equipo de diseño');
    expect(h.slack.callsOf('views.open')).toHaveLength(opened);
    expect(stageOf(id).stage).toBe('design');
  });
});

describe('Slack errors a person would hit', () => {
  it('a modal that cannot be opened (expired trigger) gets a clear message and changes nothing', async () => {
    h = await Harness.start();
    h.slack.failNext('views.open', 1, { status: 200, body: { ok: false, error: 'expired_trigger_id' } });
    const res = await h.command(U.author, '');
    expect(String((await h.reply(res.rid)).text)).toBe('No se pudo abrir el formulario. Intente de nuevo en unos segundos.');
    const { id, card } = await h.createPiece(U.author);
    h.slack.failNext('views.open', 1, { status: 200, body: { ok: false, error: 'expired_trigger_id' } });
    const click = await h.click(U.approver, card, ACTION.reject);
    expect(String((await h.reply(click.rid)).text)).toContain('No se pudo abrir el formulario');
    expect(stageOf(id).stage).toBe('content_review');
  });
});

describe('rejections', () => {
  it('an empty or blank reason is refused in the modal; a reason sends it to ajustes and the author can fix and resend', async () => {
    h = await Harness.start();
    const { id, card } = await h.createPiece(U.author);
    const opened = h.slack.callsOf('views.open').length;
    await h.click(U.approver, card, ACTION.reject);
    const view = await h.openedView(opened);
    expect(view.callback_id).toBe(FORM.reject);
    for (const reason of [null, '   ']) {
      const res = await h.submit(U.approver, view, { reason });
      expect(JSON.parse(res.text)).toEqual({ response_action: 'errors', errors: { reason: 'Escriba el motivo del rechazo.' } });
    }
    expect(stageOf(id).stage).toBe('content_review');

    await h.submit(U.approver, view, { reason: 'El dato de cobertura no coincide con el boletín <oficial>.' });
    await h.settle();
    expect(stageOf(id).stage).toBe('changes_requested');
    const dm = await waitFor(() => h.slack.dmsTo(U.author).find((m) => textOf(m).includes('devuelta')));
    expect(textOf(dm)).toContain('El dato de cobertura no coincide con el boletín &lt;oficial&gt;.');
    expect(textOf(dm)).toContain(`<@${U.approver}>`);
    expect(textOf(h.card(id))).toContain('*ajustes*');

    const opened2 = h.slack.callsOf('views.open').length;
    await h.click(U.author, dm, ACTION.fix);
    const fix = await h.openedView(opened2);
    const blocks = fix.blocks as { block_id: string; element: { initial_value?: string } }[];
    expect(blocks.find((b) => b.block_id === 'body')?.element.initial_value).toContain('Este sábado hay jornada');
    // The fixed text is checked against the piece's networks (X: 280).
    const tooLong = await h.submit(U.author, fix, { title: 'Jornada', body: 'a'.repeat(281) });
    expect(JSON.parse(tooLong.text).errors.body).toContain('X admite 280');
    await h.submit(U.author, fix, { title: 'Jornada de vacunación (corregida)', body: 'Texto corregido.' });
    await h.settle();
    expect(stageOf(id).stage).toBe('content_review');
    const now = h.card(id);
    expect(now.ts).toBe(card.ts);
    expect(textOf(now)).toContain('Texto corregido.');
    expect(buttonsOf(now).map((b) => b.action_id)).toContain(ACTION.approve);
    expect(h.slack.inChannel(REVIEW).some((m) => m.thread_ts === card.ts && m.text.includes('reenvió'))).toBe(true);
    // The old DM's button is gone.
    expect(buttonsOf(h.slack.dmsTo(U.author).find((m) => m.ts === dm.ts)!).map((b) => b.action_id)).not.toContain(ACTION.fix);
  });

  it('a design rejection goes back to diseño and the designer who delivered gets the reason', async () => {
    h = await Harness.start();
    const { id, card } = await h.createPiece(U.author, { kind: 'graphic' });
    await h.click(U.approver, card, ACTION.approve);
    const task = await waitFor(() => h.slack.dmsTo(U.designer)[0]);
    let n = h.slack.callsOf('views.open').length;
    await h.click(U.designer, task, ACTION.deliverDesign);
    await h.submit(U.designer, await h.openedView(n), { link: 'https://drive.example.org/v1.png' });
    await h.settle();
    n = h.slack.callsOf('views.open').length;
    await h.click(U.approver, h.card(id), ACTION.reject);
    await h.submit(U.approver, await h.openedView(n), { reason: 'El logo debe ir abajo a la derecha.' });
    await h.settle();
    expect(stageOf(id).stage).toBe('design');
    const fix = await waitFor(() => h.slack.dmsTo(U.designer).find((m) => textOf(m).includes('fue devuelto')));
    expect(textOf(fix)).toContain('El logo debe ir abajo a la derecha.');
    expect(buttonsOf(fix).map((b) => b.action_id)).toContain(ACTION.deliverDesign);
  });
});

describe('exactly once', () => {
  it('two approvers clicking at the same moment produce one transition; the late one is told who and when', async () => {
    h = await Harness.start();
    const { id, card } = await h.createPiece(U.author);
    const [a, b] = await Promise.all([h.click(U.approver, card, ACTION.approve), h.click(U.approver2, card, ACTION.approve)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.settle();
    expect(stageOf(id)).toEqual({ stage: 'approved', version: 2 });
    expect(eventCount(id)).toBe(2);
    const late = await waitFor(() => [...h.slack.responsesTo(a.rid), ...h.slack.responsesTo(b.rid)][0]);
    expect(String(late.text)).toMatch(/No se pudo aprobar: esta pieza ya fue aprobada por <@UAPPROVER[12]> hoy a las \d\d:\d\d\./);
    // One «ready to publish» message, not two.
    expect(h.slack.dmsTo(U.author).filter((m) => textOf(m).includes('lista para publicar'))).toHaveLength(1);
  });

  it('a double click and a replayed request (same signed body) change nothing the second time', async () => {
    h = await Harness.start();
    const { id, card } = await h.createPiece(U.author);
    const value = buttonsOf(card).find((b) => b.action_id === ACTION.approve)!.value;
    const first = await h.clickValue(U.approver, card, ACTION.approve, value);
    const replay = await postSigned(h.baseUrl, payloadBody(first.payload));
    expect(replay.status).toBe(200);
    // The second click of a double click carries the same (now old) version.
    const again = await h.clickValue(U.approver, card, ACTION.approve, value);
    await h.settle();
    expect(stageOf(id).version).toBe(2);
    expect(eventCount(id)).toBe(2);
    expect(String((await h.reply(again.rid)).text)).toContain('ya fue aprobada por');
  });

  it('a replayed modal submission creates one piece', async () => {
    h = await Harness.start();
    await h.command(U.author, '');
    const view = await h.openedView(0);
    const values = { title: 'Rueda de prensa', body: 'Convocatoria a medios.', kind: 'press_release', networks: ['press'], date: '2030-01-10', time: null, materials: null, needs_design: [] };
    await Promise.all([h.submit(U.author, view, values, 'VSAME'), h.submit(U.author, view, values, 'VSAME')]);
    await h.submit(U.author, view, values, 'VSAME');
    await h.settle();
    expect((h.app.db.prepare('SELECT count(*) AS n FROM pieces').get() as { n: number }).n).toBe(1);
    expect(h.slack.inChannel(REVIEW)).toHaveLength(1);
  });
});

describe('requests that are not from Slack', () => {
  it('a bad signature gets 401 and changes nothing; so does a stale timestamp', async () => {
    h = await Harness.start();
    const { id, card } = await h.createPiece(U.author);
    const payload = (await h.click(U.other, card, ACTION.history)).payload;
    payload.actions[0]!.action_id = ACTION.approve;
    payload.user.id = U.approver;
    payload.actions[0]!.value = JSON.stringify({ p: id, v: 1 });
    const body = payloadBody(payload);
    const ts = Math.floor(Date.now() / 1000);
    expect((await postSigned(h.baseUrl, body, { signature: sign(body, ts, 'wrong-secret') })).status).toBe(401);
    expect((await postSigned(h.baseUrl, body, { signature: 'v0=deadbeef' })).status).toBe(401);
    const old = ts - 600;
    expect((await postSigned(h.baseUrl, body, { ts: old, signature: sign(body, old) })).status).toBe(401);
    expect(stageOf(id).stage).toBe('content_review');
  });

  it('a button value that was tampered with is refused without a transition', async () => {
    h = await Harness.start();
    const { id, card } = await h.createPiece(U.author);
    const res = await h.clickValue(U.approver, card, ACTION.approve, '{"p":"1; DROP TABLE pieces"}');
    expect(res.status).toBe(200);
    expect(String((await h.reply(res.rid)).text)).toContain('ya no está vigente');
    expect(stageOf(id).stage).toBe('content_review');
  });
});
