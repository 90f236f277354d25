import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/views/ids.js';
import { SlackTokenRefusedError } from '../../src/adapters/slack/connection.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { Harness, REVIEW, U, tempDbPath, waitFor } from '../helpers/harness.js';

let h: Harness | null = null;
const others: FakeSlack[] = [];
afterEach(async () => {
  await h?.stop().catch(() => undefined);
  for (const s of others.splice(0)) await s.stop().catch(() => undefined);
  h = null;
});

const health = async (hh: Harness) => {
  const r = await fetch(`${hh.baseUrl}/healthz`);
  return { status: r.status, body: (await r.json()) as Record<string, any> };
};

const outbox = (hh: Harness) => hh.app.db.prepare('SELECT kind, status, attempts FROM outbox ORDER BY id').all() as { kind: string; status: string; attempts: number }[];

describe('Slack unreachable or refusing the token at start', () => {
  it('an outage at start does not stop the bot: /healthz says so, work submitted meanwhile is delivered once Slack answers', async () => {
    // A modal as Slack would hold it, taken from a first run with Slack up.
    const dbPath = tempDbPath();
    const first = await Harness.start({ dbPath });
    const opened = first.slack.callsOf('views.open').length;
    await first.command(U.author, '');
    const view = await first.openedView(opened);
    const port = first.slack.port;
    await first.stop();

    // Slack is down: nothing listens where the bot points.
    const down = new FakeSlack();
    down.port = port;
    h = await Harness.start({ dbPath, slack: down });
    const hz = await health(h);
    expect(hz.status).toBe(503);
    expect(hz.body).toMatchObject({ status: 'error', database: 'ok', slack: { status: 'unreachable', error: 'network_error' } });
    // A liveness probe does not restart the bot over a Slack outage.
    expect((await fetch(`${h.baseUrl}/livez`)).status).toBe(200);

    const res = await h.submit(U.author, view, { title: 'Comunicado durante la caída', body: 'Texto del comunicado.', kind: 'press_release', networks: ['website'], date: '2030-03-14', time: '10:00', materials: null, needs_design: [] });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(outbox(h).find((r) => r.kind === 'post_card')).toMatchObject({ status: 'pending', attempts: 0 });

    // Slack comes back on the same address: the bot notices by itself and delivers, once.
    await down.start(port);
    others.push(down);
    const card = await waitFor(() => down.inChannel(REVIEW).find((m) => JSON.stringify(m.blocks).includes('Comunicado durante la caída')), 10_000);
    expect(card).toBeTruthy();
    await waitFor(async () => (await health(h!)).status === 200 || undefined);
    expect((await health(h)).body).toMatchObject({ status: 'ok', slack: { status: 'ok' } });
    await h.settle();
    expect(down.callsOf('chat.postMessage').filter((c) => c.args.channel === REVIEW)).toHaveLength(1);
  });

  it('a token Slack refuses stops the start with a Spanish message naming SLACK_BOT_TOKEN, and frees nothing it did not take', async () => {
    const slack = await new FakeSlack().start();
    others.push(slack);
    slack.failNext('auth.test', 1, { status: 200, body: { ok: false, error: 'invalid_auth' } });
    const err = await Harness.start({ slack }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlackTokenRefusedError);
    expect((err as Error).message).toContain('Slack rechazó SLACK_BOT_TOKEN (invalid_auth)');
    expect((err as Error).message).toContain('OAuth & Permissions');
  });
});

describe('rate limits belong to their Slack method', () => {
  it('a 429 on chat.update holds card updates only: a new card and the DMs still go out at once', async () => {
    const slack = await new FakeSlack().start();
    h = await Harness.start({ slack });
    const { card } = await h.createPiece(U.author);
    slack.failNext('chat.update', 1, { status: 429, headers: { 'Retry-After': '3' }, body: { ok: false, error: 'ratelimited' } });
    await h.click(U.approver, card, ACTION.approve);
    const limitedAt = await waitFor(() => slack.callsOf('chat.update')[0]?.at);
    const t0 = Date.now();
    const second = await h.createPiece(U.author2, { title: 'Segunda pieza' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(second.card).toBeTruthy();
    // The held update arrives after Retry-After, once.
    const updated = await waitFor(() => slack.callsOf('chat.update')[1], 8000);
    expect(updated.at - limitedAt).toBeGreaterThanOrEqual(2900);
  });

  it('waiting out 429s is not a failed attempt: three 429s and a 503 still deliver (max 4 attempts)', async () => {
    const slack = await new FakeSlack().start();
    for (let i = 0; i < 3; i++) slack.failNext('chat.postMessage', 1, { status: 429, headers: { 'Retry-After': '1' }, body: { ok: false, error: 'ratelimited' } });
    slack.failNext('chat.postMessage', 1, { status: 503, body: { ok: false } });
    h = await Harness.start({ slack });
    await h.command(U.author, '');
    const view = await h.openedView(0);
    await h.submit(U.author, view, { title: 'Paciencia', body: 'Texto', kind: 'post', networks: ['x'], date: '2030-03-14', time: '10:00', materials: null, needs_design: [] });
    await waitFor(() => slack.inChannel(REVIEW).length === 1 || undefined, 12_000);
    await h.settle();
    expect(outbox(h).find((r) => r.kind === 'post_card')).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

describe('a Slack request that never answers', () => {
  it('times out, is retried, and the messages behind it do not wait for it', async () => {
    const slack = await new FakeSlack().start();
    h = await Harness.start({ slack, slackOptions: { timeoutMs: 700 } });
    const hold = slack.holdNext('chat.postMessage'); // the first card: Slack never answers
    await h.command(U.author, '');
    const view = await h.openedView(0);
    await h.submit(U.author, view, { title: 'Se queda colgada', body: 'Texto', kind: 'post', networks: ['x'], date: '2030-03-14', time: '10:00', materials: null, needs_design: [] });
    await hold.arrived;
    // A second piece, while the first request hangs: its card goes out at once.
    const t0 = Date.now();
    const second = await h.createPiece(U.author2, { title: 'No espera a nadie' });
    expect(Date.now() - t0).toBeLessThan(600);
    expect(second.card).toBeTruthy();
    // The hung one times out (well inside the lease), is retried, and arrives once.
    const first = await waitFor(() => slack.inChannel(REVIEW).find((m) => JSON.stringify(m.blocks).includes('Se queda colgada')), 10_000);
    expect(first).toBeTruthy();
    await h.settle();
    expect(slack.inChannel(REVIEW).filter((m) => JSON.stringify(m.blocks).includes('Se queda colgada'))).toHaveLength(1);
    expect(outbox(h).filter((r) => r.kind === 'post_card')).toEqual([
      { kind: 'post_card', status: 'sent', attempts: 2 },
      { kind: 'post_card', status: 'sent', attempts: 1 },
    ]);
  });
});
