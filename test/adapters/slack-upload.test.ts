import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderChartPng } from '../../src/adapters/chart/png.js';
import { classifySlackError } from '../../src/adapters/slack/errors.js';
import { SLACK_ALT_TEXT_MAX, truncateAlt, uploadPng } from '../../src/adapters/slack/upload.js';
import type { ChartView } from '../../src/views/chart-model.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { multipartFile } from '../helpers/fake-slack-files.js';

let slack: FakeSlack;
let client: WebClient;
beforeEach(async () => {
  slack = (await new FakeSlack().start()).knowChannels('CKPI').knowUsers('UANA');
  client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 5000 });
});
afterEach(async () => {
  await slack.stop();
});

const view: ChartView = {
  title: 'Ventas diarias · últimos 8 meses',
  alt: 'Gráfica de barras: ventas diarias; la meta es $7,000',
  unit: 'money',
  points: Array.from({ length: 240 }, (_, i) => ({ date: `2026-01-${String((i % 28) + 1).padStart(2, '0')}`, value: i % 9 === 0 ? null : 1000 + i * 37 })),
  target: { value: 7000, label: 'Meta $7,000' },
  formatValue: (n) => `$${n.toLocaleString('es-MX')}`,
  formatDate: (d) => d.slice(5),
};

const rejectionOf = async (p: Promise<unknown>): Promise<unknown> => {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('the upload succeeded');
};

describe('uploadPng against the fake Slack', () => {
  it('shares the exact bytes, with title, filename, alt text and comment, in the channel', async () => {
    const png = await renderChartPng(view);
    await uploadPng(client, { channel: 'CKPI', png, filename: 'ventas.png', title: view.title, alt: view.alt, comment: 'Ventas de los últimos 8 meses' });
    expect(slack.files).toHaveLength(1);
    const f = slack.files[0]!;
    expect(f).toMatchObject({ channel: 'CKPI', title: view.title, filename: 'ventas.png', alt: view.alt, comment: 'Ventas de los últimos 8 meses' });
    expect(f.id).toMatch(/^F/);
    expect(f.bytes.equals(png)).toBe(true);
    // alt_txt is the argument Slack documents (uploadV2 of @slack/web-api 8.2.0 sends alt_text instead).
    expect(slack.callsOf('files.getUploadURLExternal')[0]!.args).toEqual({ filename: 'ventas.png', length: String(png.length), alt_txt: view.alt });
    expect(slack.callsOf('upload_url')).toHaveLength(1);
    expect(JSON.parse(String(slack.callsOf('files.completeUploadExternal')[0]!.args.files))).toEqual([{ id: f.id, title: view.title }]);
    expect(slack.rejections).toEqual([]);
  });

  it('a user id shares it in the DM with them; alt text is cut to Slack’s 1,000 characters', async () => {
    const png = await renderChartPng({ ...view, points: [] });
    await uploadPng(client, { channel: 'UANA', png, filename: 'vacia.png', title: 'Sin datos', alt: 'á'.repeat(1500) });
    const f = slack.files[0]!;
    expect(f.channel).toBe('DUANA');
    expect([...f.alt!]).toHaveLength(SLACK_ALT_TEXT_MAX);
    expect(f.alt!.endsWith('…')).toBe(true);
    expect(f.comment).toBeUndefined();
    expect(truncateAlt('😀'.repeat(3), 2)).toBe('😀…');
  });

  it('an unknown channel: channel_not_found, permanent; nothing is shared', async () => {
    const png = await renderChartPng(view);
    const e = await rejectionOf(uploadPng(client, { channel: 'CNOPE', png, filename: 'x.png', title: 't', alt: 'a' }));
    expect((e as { data?: { error?: string } }).data?.error).toBe('channel_not_found');
    const d = classifySlackError(e);
    expect(d.failure).toBe('permanent');
    expect(d.code).toBe('channel_not_found');
    expect(slack.files).toEqual([]);
  });

  it('a 429 on getUploadURLExternal is rate_limited with the Retry-After', async () => {
    slack.failNext('files.getUploadURLExternal', 1, { status: 429, headers: { 'Retry-After': '7' }, body: { ok: false, error: 'ratelimited' } });
    const e = await rejectionOf(uploadPng(client, { channel: 'CKPI', png: await renderChartPng(view), filename: 'x.png', title: 't', alt: 'a' }));
    const d = classifySlackError(e);
    expect(d.failure).toBe('rate_limited');
    expect(d.retryAfterMs).toBe(7000);
    expect(slack.callsOf('upload_url')).toEqual([]);
  });

  it('the byte upload: 5xx and a dropped connection are retryable, 429 rate limited, 4xx permanent; ok:false from completeUploadExternal is classified by its error', async () => {
    const png = await renderChartPng(view);
    const up = () => uploadPng(client, { channel: 'CKPI', png, filename: 'x.png', title: 't', alt: 'a' });
    slack.failNext('upload_url', 1, { status: 503, body: {} });
    expect(classifySlackError(await rejectionOf(up()))).toMatchObject({ failure: 'retryable', code: 'http_503' });
    slack.resetNext('upload_url');
    expect(classifySlackError(await rejectionOf(up()))).toMatchObject({ failure: 'retryable', code: 'network_error' });
    slack.failNext('upload_url', 1, { status: 429, headers: { 'Retry-After': '3' }, body: {} });
    expect(classifySlackError(await rejectionOf(up()))).toMatchObject({ failure: 'rate_limited', retryAfterMs: 3000 });
    slack.failNext('upload_url', 1, { status: 403, body: {} });
    expect(classifySlackError(await rejectionOf(up()))).toMatchObject({ failure: 'permanent', code: 'http_403' });
    slack.slowNext('upload_url', 500);
    const timedOut = await rejectionOf(uploadPng(client, { channel: 'CKPI', png, filename: 'x.png', title: 't', alt: 'a', timeoutMs: 100 }));
    expect(classifySlackError(timedOut).failure).toBe('retryable');
    slack.failNext('files.completeUploadExternal', 1, { status: 200, body: { ok: false, error: 'internal_error' } });
    expect(classifySlackError(await rejectionOf(uploadPng(client, { channel: 'CKPI', png, filename: 'x.png', title: 't', alt: 'a' }))).failure).toBe('retryable');
    expect(slack.files).toEqual([]);
  });
});

describe('the fake is as strict as Slack about the upload flow', () => {
  const api = (method: string, body: Record<string, string>) =>
    fetch(`${slack.apiUrl}${method}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) }).then((r) => r.json() as Promise<Record<string, unknown>>);

  it('getUploadURLExternal needs a filename and an integer length > 0', async () => {
    expect(await api('files.getUploadURLExternal', { length: '10' })).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(await api('files.getUploadURLExternal', { filename: 'a.png', length: '1.5' })).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(await api('files.getUploadURLExternal', { filename: 'a.png', length: '0' })).toMatchObject({ ok: false, error: 'missing_argument' });
    expect(await api('files.getUploadURLExternal', { filename: 'a.png', length: '3', alt_txt: 'x'.repeat(1001) })).toMatchObject({ ok: false, error: 'alt_txt_too_large' });
    expect(slack.rejections).toHaveLength(4);
  });

  it('holds exactly what @slack/web-api uploadV2 sends (multipart), alt text included either way it is named', async () => {
    const png = await renderChartPng(view);
    await client.files.uploadV2({ channel_id: 'CKPI', file: png, filename: 'v2.png', title: 'V2', alt_text: 'alt v2', initial_comment: 'hola' });
    expect(slack.files).toMatchObject([{ channel: 'CKPI', title: 'V2', filename: 'v2.png', alt: 'alt v2', comment: 'hola' }]);
    expect(slack.files[0]!.bytes.equals(png)).toBe(true);
  });

  it('refuses bytes that differ from the declared length, and completing a file never uploaded', async () => {
    const r = await api('files.getUploadURLExternal', { filename: 'a.bin', length: '4', alt_txt: 'alt' });
    expect(r).toMatchObject({ ok: true, file_id: expect.stringMatching(/^F/), upload_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/upload\/F/) });
    const short = await fetch(String(r.upload_url), { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    expect(short.status).toBe(400);
    const files = JSON.stringify([{ id: r.file_id, title: 'a' }]);
    expect(await api('files.completeUploadExternal', { files, channel_id: 'CKPI' })).toMatchObject({ ok: false, error: 'file_not_found' });
    expect((await fetch(String(r.upload_url), { method: 'POST', body: new Uint8Array([1, 2, 3, 4]) })).status).toBe(200); // raw bytes work too
    expect(await api('files.completeUploadExternal', { files: '[{"id":"FNOPE"}]', channel_id: 'CKPI' })).toMatchObject({ ok: false, error: 'file_not_found' });
    expect(await api('files.completeUploadExternal', { files, channel_id: 'CNOPE' })).toMatchObject({ ok: false, error: 'channel_not_found' });
    expect(await api('files.completeUploadExternal', { files, channel_id: 'CKPI' })).toMatchObject({ ok: true });
    expect(slack.files).toMatchObject([{ id: r.file_id, channel: 'CKPI', title: 'a', filename: 'a.bin', alt: 'alt', bytes: Buffer.from([1, 2, 3, 4]) }]);
    expect((await fetch(`http://127.0.0.1:${slack.port}/upload/FNOPE`, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('extracts the file part of a multipart body byte for byte (CRLFs and boundary-like bytes inside)', async () => {
    const data = Buffer.concat([Buffer.from('\r\n--x\r\n\r\n'), Buffer.from([0, 255, 13, 10, 45, 45])]);
    const form = new FormData();
    form.append('note', 'hola');
    form.append('body', new Blob([new Uint8Array(data)]), 'blob');
    const req = new Request('http://127.0.0.1/', { method: 'POST', body: form });
    const raw = Buffer.from(await req.arrayBuffer());
    expect(multipartFile(req.headers.get('content-type')!, raw)!.equals(data)).toBe(true);
  });
});
