import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/views/ids.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { Harness, REVIEW, U, textOf, waitFor } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

const outboxRows = () => h.app.db.prepare('SELECT kind, status, attempts, last_error FROM outbox ORDER BY id').all() as { kind: string; status: string; attempts: number; last_error: string | null }[];

describe('nothing lost: the outbox', () => {
  it('429 with Retry-After then 200: the card is delivered once, after the wait', async () => {
    const slack = await new FakeSlack().start();
    slack.failNext('chat.postMessage', 1, { status: 429, headers: { 'Retry-After': '1' }, body: { ok: false, error: 'ratelimited' } });
    h = await Harness.start({ slack });
    const { id } = await h.createPiece(U.author);
    const posts = slack.callsOf('chat.postMessage');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(slack.inChannel(REVIEW)).toHaveLength(1);
    await h.settle();
    // Waiting out a rate limit is not a failed attempt.
    expect(outboxRows()[0]).toMatchObject({ kind: 'post_card', status: 'sent', attempts: 1 });
    expect(h.card(id)).toBeTruthy();
  });

  it('5xx is retried with backoff and delivered once', async () => {
    const slack = await new FakeSlack().start();
    h = await Harness.start({ slack });
    const { card } = await h.createPiece(U.author);
    slack.failNext('chat.update', 2, { status: 503, body: { ok: false } });
    await h.click(U.approver, card, ACTION.approve);
    await waitFor(() => outboxRows().every((r) => r.status === 'sent'));
    // Two failures, then the card is updated once (the author's DM is refreshed too, in its own channel).
    expect(slack.callsOf('chat.update').filter((c) => c.args.channel === REVIEW)).toHaveLength(3);
    expect(textOf(card)).toContain('*aprobada*');
  });

  it('a permanent error (channel_not_found) is not retried; it is logged, kept, shown to admins and listed by /pieza fallos', async () => {
    const slack = await new FakeSlack().start();
    slack.unknownChannels.add(REVIEW);
    h = await Harness.start({ slack });
    await h.command(U.author, '');
    const view = await h.openedView(0);
    await h.submit(U.author, view, { title: 'Boletín', body: 'Texto', kind: 'post', networks: ['facebook'], date: '2030-05-05', time: null, materials: null, needs_design: [] });
    const alert = await waitFor(() => slack.dmsTo(U.admin)[0]);
    expect(alert.text).toContain('channel_not_found');
    // What it was, about what, for whom.
    expect(alert.text).toContain('No se pudo entregar la tarjeta de revisión sobre la pieza #1 «Boletín» para el canal de revisión');
    expect(outboxRows()[0]).toMatchObject({ kind: 'post_card', status: 'failed', attempts: 1, last_error: 'channel_not_found' });

    const res = await h.command(U.admin, 'fallos');
    const list = textOf((await h.reply(res.rid)) as never);
    expect(list).toContain('channel_not_found');
    expect(list).toContain('la tarjeta de revisión · la pieza #1 «Boletín» · para el canal de revisión');
    const denied = await h.command(U.author, 'fallos');
    expect(String((await h.reply(denied.rid)).text)).toContain('Solo administración');
  });

  it('a restart keeps the state and the deliveries that were pending, and sends them once', async () => {
    const slack = await new FakeSlack().start();
    h = await Harness.start({ slack });
    const { id, card } = await h.createPiece(U.author, { kind: 'graphic' });
    // Slack is down while the approval happens.
    slack.failNext('chat.update', 1000, { status: 500, body: { ok: false } });
    slack.failNext('chat.postMessage', 1000, { status: 500, body: { ok: false } });
    await h.click(U.approver, card, ACTION.approve);
    await waitFor(() => outboxRows().some((r) => r.attempts >= 1 && r.status === 'pending' && r.kind === 'notify'));
    await h.stopApp();
    expect(textOf(card)).toContain('*revisión de contenido*');

    // Slack comes back; the bot starts again on the same database.
    slack.clearFailures();
    h = await Harness.start({ slack, dbPath: h.dbPath });
    await waitFor(() => outboxRows().every((r) => r.status === 'sent'));
    expect(h.app.db.prepare('SELECT stage FROM pieces WHERE id = ?').get(id)).toEqual({ stage: 'design' });
    expect(textOf(h.card(id))).toContain('*diseño*');
    expect(slack.dmsTo(U.designer)).toHaveLength(1);
    expect(slack.inChannel(REVIEW)).toHaveLength(1);
  });
});

describe('an expired response_url', () => {
  it('loses only the answer: the click is acknowledged, the decision stands, the app keeps working', async () => {
    const slack = await new FakeSlack().start();
    h = await Harness.start({ slack, captureLogs: true });
    const { id, card } = await h.createPiece(U.author);
    slack.expiredResponseUrls = true;
    const refused = await h.click(U.other, card, ACTION.approve);
    expect(refused.status).toBe(200);
    const ok = await h.click(U.approver, card, ACTION.approve);
    expect(ok.status).toBe(200);
    await h.settle();
    expect(h.app.db.prepare('SELECT stage FROM pieces WHERE id = ?').get(id)).toEqual({ stage: 'approved' });
    await waitFor(() => h.logs.some((l) => l.includes('could not answer the person')));
  });
});

describe('logs', () => {
  it('never contain the bot token or the signing secret, even at trace level; failures carry the piece id', async () => {
    const slack = await new FakeSlack().start();
    slack.failNext('chat.update', 1, { status: 500, body: { ok: false } });
    h = await Harness.start({ slack, captureLogs: true });
    const { id, card } = await h.createPiece(U.author);
    await h.click(U.approver, card, ACTION.approve);
    await waitFor(() => outboxRows().every((r) => r.status === 'sent'));
    const all = h.logs.join('');
    expect(all.length).toBeGreaterThan(1000);
    expect(all).not.toContain('xoxb-test-not-a-real-token');
    expect(all).not.toContain('test-signing-secret');
    const retry = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'delivery failed; will retry');
    expect(retry).toMatchObject({ pieceId: id, kind: 'refresh', error: 'http_500' });
  });
});
