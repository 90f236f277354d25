import { WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cardBlocks, listBlocks, modalView } from '../src/adapters/slack/render/block-kit.js';
import { es } from '../src/i18n/es.js';
import type { Fmt } from '../src/views/format.js';
import { newPieceForm } from '../src/views/piece-forms.js';
import { FakeSlack } from './helpers/fake-slack.js';

/** The fake Slack must refuse what Slack refuses, or the suite proves nothing. */
let slack: FakeSlack;
let client: WebClient;
beforeEach(async () => {
  slack = (await new FakeSlack().start()).knowChannels('CKNOWN').knowUsers('UKNOWN');
  client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 2000 });
});
afterEach(async () => {
  await slack.stop();
});

const errorOf = async (p: Promise<unknown>): Promise<{ error: string; messages: string[] }> => {
  try {
    await p;
  } catch (e) {
    const data = (e as WebAPIPlatformError).data as { error: string; response_metadata?: { messages?: string[] } } | undefined;
    return { error: data?.error ?? (e as Error).message, messages: data?.response_metadata?.messages ?? [] };
  }
  throw new Error('Slack accepted it');
};

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const post = (blocks: unknown[], text = 'x', channel = 'CKNOWN') => client.chat.postMessage({ channel, text, blocks: blocks as never });
const fmt: Fmt = { m: es, tz: 'America/Mexico_City', locale: 'es', now: () => 0, currency: 'MXN', numberLocale: 'es-MX' };

describe('channels and people', () => {
  it('channel_not_found for a channel or a user it was not told about; a known user id opens the DM', async () => {
    expect((await errorOf(post([], 'hola', 'CNOPE'))).error).toBe('channel_not_found');
    expect((await errorOf(post([], 'hola', 'UNOPE'))).error).toBe('channel_not_found');
    const dm = await post([], 'hola', 'UKNOWN');
    expect(dm.channel).toBe('DUKNOWN');
    slack.unknownChannels.add('CKNOWN');
    expect((await errorOf(post([], 'hola'))).error).toBe('channel_not_found');
  });

  it('not_in_channel, is_archived, and ephemerals only in channels the bot is in, to people who exist', async () => {
    slack.knowChannels('COUT', 'COLD');
    slack.notInChannel.add('COUT');
    slack.archived.add('COLD');
    expect((await errorOf(post([], 'x', 'COUT'))).error).toBe('not_in_channel');
    expect((await errorOf(post([], 'x', 'COLD'))).error).toBe('is_archived');
    expect((await errorOf(client.chat.postEphemeral({ channel: 'COUT', user: 'UKNOWN', text: 'x' }))).error).toBe('not_in_channel');
    expect((await errorOf(client.chat.postEphemeral({ channel: 'DUKNOWNxOTHER', user: 'UKNOWN', text: 'x' }))).error).toBe('channel_not_found');
    expect((await errorOf(client.chat.postEphemeral({ channel: 'CKNOWN', user: 'UNOPE', text: 'x' }))).error).toBe('user_not_in_channel');
    await client.chat.postEphemeral({ channel: 'CKNOWN', user: 'UKNOWN', text: 'hola' });
    expect(slack.ephemeralsTo('UKNOWN')).toMatchObject([{ channel: 'CKNOWN', text: 'hola' }]);
  });
});

describe('Block Kit: shapes from @slack/types', () => {
  it.each([
    ['an unknown block type', [{ type: 'banner', text: 'x' }]],
    ['a header in mrkdwn', [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }]],
    ['an unknown field', [{ type: 'section', text: { type: 'mrkdwn', text: 'x' }, colour: 'red' }]],
    ['a button without text', [{ type: 'actions', elements: [{ type: 'button', action_id: 'a' }] }]],
    ['a bad button style', [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'x' }, style: 'green' }] }]],
  ])('refuses %s with invalid_blocks and says where', async (_name, blocks) => {
    const r = await errorOf(post(blocks));
    expect(r.error).toBe('invalid_blocks');
    expect(r.messages[0]).toMatch(/^\[ERROR\] .* \[json-pointer:\/blocks\/0/);
  });
});

describe('Block Kit: limits the types cannot express', () => {
  const button = (over: Record<string, unknown> = {}) => ({ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'ok' }, ...over });
  it.each([
    ['51 blocks', Array.from({ length: 51 }, () => section('x'))],
    ['section text of 3,001', [section('x'.repeat(3001))]],
    ['empty section text', [section('')]],
    ['a section with neither text nor fields', [{ type: 'section' }]],
    ['11 fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) }]],
    ['a field of 2,001', [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'x'.repeat(2001) }] }]],
    ['a header of 151', [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }]],
    ['button text of 76', [{ type: 'actions', elements: [button({ text: { type: 'plain_text', text: 'x'.repeat(76) } })] }]],
    ['button value of 2,001', [{ type: 'actions', elements: [button({ value: 'x'.repeat(2001) })] }]],
    ['action_id of 256', [{ type: 'actions', elements: [button({ action_id: 'x'.repeat(256) })] }]],
    ['block_id of 256', [{ ...section('x'), block_id: 'x'.repeat(256) }]],
    ['26 elements in actions', [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })) }]],
    ['11 context elements', [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) }]],
    ['a confirm title of 101', [{ type: 'actions', elements: [button({ confirm: { title: { type: 'plain_text', text: 'x'.repeat(101) }, text: { type: 'plain_text', text: 'x' }, confirm: { type: 'plain_text', text: 'y' }, deny: { type: 'plain_text', text: 'n' } } })] }]],
    ['more than 12,000 characters of block text', Array.from({ length: 5 }, () => section('x'.repeat(2900)))],
  ])('refuses %s', async (_name, blocks) => {
    const r = await errorOf(post(blocks));
    expect(r.error).toBe('invalid_blocks');
    expect(r.messages.length).toBeGreaterThan(0);
    expect(slack.rejections.at(-1)).toMatchObject({ method: 'chat.postMessage', error: 'invalid_blocks' });
  });

  it('msg_too_long over 40,000 characters of text; no_text with neither text nor blocks', async () => {
    expect((await errorOf(post([], 'x'.repeat(40_001)))).error).toBe('msg_too_long');
    expect((await errorOf(client.chat.postMessage({ channel: 'CKNOWN' } as never))).error).toBe('no_text');
  });

  it('chat.update and chat.postEphemeral are checked too', async () => {
    const { ts } = await post([section('x')]);
    expect((await errorOf(client.chat.update({ channel: 'CKNOWN', ts: ts!, text: 'x', blocks: [section('x'.repeat(3001))] as never }))).error).toBe('invalid_blocks');
    expect((await errorOf(client.chat.postEphemeral({ channel: 'CKNOWN', user: 'UKNOWN', text: 'x', blocks: [{ type: 'header' }] as never }))).error).toBe('invalid_blocks');
  });

  it('modals: title and submit of 24, option text of 75, 100 blocks, input without submit', async () => {
    const form = modalView(newPieceForm(fmt, '{}'));
    await client.views.open({ trigger_id: 't', view: form as never });
    const open = (view: unknown) => errorOf(client.views.open({ trigger_id: 't', view: view as never }));
    expect((await open({ ...form, title: { type: 'plain_text', text: 'x'.repeat(25) } })).messages[0]).toContain('/view/title/text');
    expect((await open({ ...form, submit: { type: 'plain_text', text: 'x'.repeat(25) } })).error).toBe('invalid_blocks');
    expect((await open({ ...form, submit: undefined })).error).toBe('invalid_blocks');
    const blocks = form.blocks as Record<string, unknown>[];
    const longOption = blocks.map((b) => (b.block_id === 'kind' ? { ...b, element: { ...(b.element as object), options: [{ text: { type: 'plain_text', text: 'x'.repeat(76) }, value: 'v' }] } } : b));
    expect((await open({ ...form, blocks: longOption })).messages.join()).toContain('/options/0/text');
    expect((await open({ ...form, blocks: Array.from({ length: 101 }, (_, i) => ({ type: 'section', block_id: `b${i}`, text: { type: 'plain_text', text: 'x' } })) })).error).toBe('invalid_blocks');
    expect((await errorOf(client.views.open({ view: form as never } as never))).error).toBe('invalid_arguments');
  });

  it('response_url bodies: a bad one is refused with 400 and its error name', async () => {
    const bad = await fetch(slack.responseUrl('r1'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'x', blocks: [section('')] }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('invalid_blocks');
    const good = await fetch(slack.responseUrl('r2'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'x', blocks: [section('ok')] }) });
    expect(good.status).toBe(200);
    expect(slack.responsesTo('r')).toHaveLength(1);
  });

  it('what the app renders is accepted: a full card, a long list, the new-piece form', async () => {
    const card = cardBlocks({
      header: 'x'.repeat(500),
      fields: Array.from({ length: 14 }, () => ({ label: 'Etiqueta', value: ['v'.repeat(2500)] })),
      body: ['b'.repeat(5000)],
      quote: ['q\n'.repeat(3000)],
      context: Array.from({ length: 14 }, () => ['c']),
      actions: [{ id: 'a', label: 'l'.repeat(100), value: 'v' }],
      fallback: 'f',
    });
    await post(card);
    await post(listBlocks({ title: 'T', sections: [{ heading: 'H', items: Array.from({ length: 3000 }, (_, i) => [`pieza ${i} `.repeat(10)]) }], empty: '' }));
    expect(slack.rejections).toEqual([]);
  });
});

describe('faults on demand', () => {
  it('holds a request until released; the client gives up on its own timeout meanwhile', async () => {
    const hold = slack.holdNext('chat.postMessage');
    const started = Date.now();
    const pending = post([], 'tarde');
    await hold.arrived;
    hold.release();
    expect((await pending).ok).toBe(true);
    slack.holdNext('chat.postMessage'); // never released
    const quick = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, timeout: 200 });
    await expect(quick.chat.postMessage({ channel: 'CKNOWN', text: 'x' })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('resets a connection, answers slowly, and still fails on demand', async () => {
    slack.resetNext('chat.postMessage');
    await expect(post([], 'x')).rejects.toThrow();
    slack.slowNext('chat.postMessage', 300);
    const t0 = Date.now();
    await post([], 'x');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    slack.failNext('chat.postMessage', 1, { status: 429, headers: { 'Retry-After': '7' }, body: { ok: false, error: 'ratelimited' } });
    await expect(post([], 'x')).rejects.toMatchObject({ retryAfter: 7 });
    expect(slack.callsOf('chat.postMessage')).toHaveLength(3);
  });
});
