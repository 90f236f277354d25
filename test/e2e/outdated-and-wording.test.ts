import { afterEach, describe, expect, it } from 'vitest';
import { ACTION, FORM } from '../../src/views/ids.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { Harness, REVIEW, U, textOf, waitFor } from '../helpers/harness.js';
import { blockActionPayload, commandBody, payloadBody, postSigned, viewSubmissionPayload } from '../helpers/slack-client.js';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

const FAST_MS = 1000;
let rseq = 0;

/** Posts a raw command body (any fields) and returns the answer and its response_url id. */
async function rawCommand(fields: Record<string, string | undefined>) {
  const rid = `raw-${++rseq}`;
  const params = new URLSearchParams(commandBody({ user: U.author, text: '', responseUrl: h.slack.responseUrl(rid) }));
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) params.delete(k);
    else params.set(k, v);
  }
  return { ...(await postSigned(h.baseUrl, params.toString())), rid };
}

const replyText = async (rid: string) => textOf((await h.reply(rid)) as never);

describe('requests nobody handles are acknowledged at once and explained (fault 13)', () => {
  it('a button from an older version (unknown action_id) names the piece to reopen', async () => {
    h = await Harness.start();
    const rid = 'old-btn';
    const payload = blockActionPayload({ user: U.approver, actionId: 'approval.approve_v1', value: '{"p":7,"v":3}', channel: REVIEW, messageTs: '1700000000.000001', responseUrl: h.slack.responseUrl(rid) });
    const res = await postSigned(h.baseUrl, payloadBody(payload));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(FAST_MS);
    const text = await replyText(rid);
    expect(text).toContain('ya no está vigente');
    expect(text).toContain('/pieza 7');
  });

  it.each([
    [ACTION.approve, 'not-json'],
    [ACTION.reject, '{"piece":7}'],
    [ACTION.history, 'abc'],
  ])('a known button whose value no longer parses (%s = %s) says it is outdated', async (actionId, value) => {
    h = await Harness.start();
    const rid = `bad-${actionId}`;
    const payload = blockActionPayload({ user: U.approver, actionId, value, channel: REVIEW, messageTs: '1700000000.000001', responseUrl: h.slack.responseUrl(rid) });
    const res = await postSigned(h.baseUrl, payloadBody(payload));
    expect(res.status).toBe(200);
    expect(await replyText(rid)).toContain('ya no está vigente');
  });

  it('a form with an unknown callback_id is answered with an «outdated» modal', async () => {
    h = await Harness.start();
    const view = { callback_id: 'piece.new_v0', private_metadata: '', blocks: [] };
    const res = await postSigned(h.baseUrl, payloadBody(viewSubmissionPayload({ user: U.author, view, values: {}, viewId: 'VOLD' })));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(FAST_MS);
    const body = JSON.parse(res.text) as { response_action: string; view: Record<string, unknown> };
    expect(body.response_action).toBe('update');
    expect(textOf({ blocks: body.view.blocks as never })).toContain('ya no está vigente');
  });

  it('a view_submission without view.state (known callback) is not a TypeError: 200 at once, outdated modal', async () => {
    h = await Harness.start();
    const payload = viewSubmissionPayload({ user: U.author, view: { callback_id: FORM.newPiece, private_metadata: '{}', blocks: [] }, values: {}, viewId: 'VX' });
    delete (payload.view as { state?: unknown }).state;
    const res = await postSigned(h.baseUrl, payloadBody(payload));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(FAST_MS);
    expect(JSON.parse(res.text)).toMatchObject({ response_action: 'update' });
    expect(h.app.db.prepare('SELECT count(*) AS n FROM pieces').get()).toEqual({ n: 0 });
  });

  it('a slash command without a text field works as the bare command', async () => {
    h = await Harness.start();
    const res = await rawCommand({ text: undefined });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(FAST_MS);
    await h.openedView(0);
    const cal = await rawCommand({ text: undefined, command: '/calendario' });
    expect(cal.status).toBe(200);
    expect(await replyText(cal.rid)).toContain('Calendario');
  });

  it('an unknown slash command is acknowledged and the person is pointed to the help', async () => {
    h = await Harness.start();
    const res = await rawCommand({ command: '/vistobueno', text: 'hola' });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(FAST_MS);
    const text = await replyText(res.rid);
    expect(text).toContain('/vistobueno');
    expect(text).toContain('/pieza ayuda');
  });
});

describe('wording (fault 14)', () => {
  it('/pieza cancelar without a number says the number is missing; a cancelled piece «fue cancelada»', async () => {
    h = await Harness.start();
    const missing = await h.command(U.author, 'cancelar');
    expect(await replyText(missing.rid)).toContain('Falta el número de la pieza');
    const { id } = await h.createPiece(U.author);
    const done = await h.command(U.author, `cancelar ${id}`);
    const text = await replyText(done.rid);
    expect(text).toContain(`La pieza #${id} fue cancelada.`);
    expect(text).not.toContain('está ahora en');
  });

  it('huge ids are answered with the digits typed, never in scientific notation', async () => {
    h = await Harness.start();
    const big = '100000000000000000000000';
    for (const [cmd, text] of [
      ['/pieza', big],
      ['/pieza', `cancelar ${big}`],
      ['/calendario', big],
    ] as const) {
      const res = await h.command(U.author, text, cmd);
      const answer = await replyText(res.rid);
      expect(answer).toContain(`#${big}`);
      expect(answer).not.toMatch(/e\+\d/);
    }
  });

  it('/pieza lista labels its dates', async () => {
    h = await Harness.start();
    await h.createPiece(U.author);
    const res = await h.command(U.author, 'lista');
    const text = await replyText(res.rid);
    expect(text).toContain('se publica el jueves 14 de marzo, 10:00');
    expect(text).toMatch(/creada (hoy|el)/);
  });

  it('a reason with newlines and underscores keeps bold labels bold and never breaks italics', async () => {
    h = await Harness.start();
    const { card } = await h.createPiece(U.author);
    const opened = h.slack.callsOf('views.open').length;
    await h.click(U.approver, card, ACTION.reject);
    const form = await h.openedView(opened);
    await h.submit(U.approver, form, { reason: 'Falta la fuente.\nRevise el archivo datos_2030_final' });
    const dm = await waitFor(() => h.slack.dmsTo(U.author).find((m) => textOf(m).includes('devuelta')));
    const text = textOf(dm);
    expect(text).toContain('*Motivo:*');
    expect(text).not.toMatch(/\*Motivo: \*/);
    // No italic marker may open on one line and close on another, or inside the underscored word.
    for (const line of text.split('\n')) expect(line).not.toMatch(/(^|\s)_[^_]*datos_/);
  });

  it('an admin alert explains Slack’s error code in Spanish beside the code', async () => {
    const slack = await new FakeSlack().start();
    slack.unknownChannels.add(REVIEW);
    h = await Harness.start({ slack });
    await h.command(U.author, '');
    const view = await h.openedView(0);
    await h.submit(U.author, view, { title: 'Boletín', body: 'Texto', kind: 'post', networks: ['facebook'], date: '2030-05-05', time: null, materials: null, needs_design: [] });
    const alert = await waitFor(() => h.slack.dmsTo(U.admin)[0]);
    expect(alert.text).toContain('channel_not_found (el canal no existe o el bot no lo ve)');
    // Rendered for Slack when delivered: the command as a Slack user types it.
    expect(alert.text).toContain('/pieza fallos');
  });
});

describe('the confirmation after a form is never lost (fault 12)', () => {
  it.each([
    ['a DM between two people (channel_not_found)', 'DUOTHERxUAUTHOR', (_s: FakeSlack) => undefined],
    ['a channel the bot is not in (not_in_channel)', 'CNOBOT', (s: FakeSlack) => void s.knowChannels('CNOBOT').notInChannel.add('CNOBOT')],
  ])('/pieza typed in %s: the confirmation arrives by DM', async (_name, channel, setup) => {
    h = await Harness.start();
    setup(h.slack);
    await rawCommand({ channel_id: channel });
    const view = await h.openedView(0);
    await h.submit(U.author, view, { title: 'Boletín', body: 'Texto', kind: 'post', networks: ['facebook'], date: '2030-05-05', time: null, materials: null, needs_design: [] });
    const dm = await waitFor(() => h.slack.dmsTo(U.author).find((m) => m.text.includes('enviada a revisión')));
    expect(dm.text).toContain('Pieza #1');
    expect(h.slack.ephemerals).toHaveLength(0);
  });

  it('typed in a channel the bot is in, the confirmation stays ephemeral there', async () => {
    h = await Harness.start();
    await rawCommand({});
    const view = await h.openedView(0);
    await h.submit(U.author, view, { title: 'Boletín', body: 'Texto', kind: 'post', networks: ['facebook'], date: '2030-05-05', time: null, materials: null, needs_design: [] });
    await waitFor(() => h.slack.ephemeralsTo(U.author).find((e) => e.text.includes('enviada a revisión')));
    expect(h.slack.dmsTo(U.author).filter((m) => m.text.includes('enviada a revisión'))).toHaveLength(0);
  });
});
