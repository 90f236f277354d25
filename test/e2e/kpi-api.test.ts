import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { Harness, SteppingClock } from '../helpers/harness.js';

const TZ = 'America/Mexico_City';
const TOKEN = 'example-kpi-token-0001';
const WRONG = 'example-kpi-token-0002';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

/** Today is Saturday 2026-11-14, 15:00 in Mexico City: day 14 of a 30-day campaign. */
async function start(opts: { env?: Record<string, string>; captureLogs?: boolean } = {}) {
  const clock = new SteppingClock(localToEpoch('2026-11-14', '15:00', TZ)!);
  h = await Harness.start({ clock, captureLogs: opts.captureLogs, env: { KPI_API_TOKEN: TOKEN, KPI_CHANNEL_ID: 'CKPI', ...opts.env } });
}

/** JSON as the test reads it: loosely, field by field. */
type Json = any;
interface Answer {
  status: number;
  headers: Headers;
  json: Json;
}

async function api(method: string, path: string, body?: unknown, opts: { token?: string | null; raw?: string; contentType?: string } = {}): Promise<Answer> {
  const token = opts.token === undefined ? TOKEN : opts.token;
  const headers: Record<string, string> = { 'Content-Type': opts.contentType ?? 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${h.baseUrl}${path}`, { method, headers, body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
}

const CAMPAIGN = {
  name: 'Campaña 8M',
  start: '2026-11-01',
  end: '2026-11-30',
  budget: 150000,
  targets: [
    { metric: 'donaciones', value: 600000 },
    { metric: 'alcance', value: 300000 },
  ],
};

const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * One day's figures: donations $15,000.50 (CRM), reach 8,000 (meta) + 2,000 (google),
 * spend $3,000 (meta) + $2,000 (google). Five observations a day from two-plus sources.
 */
const dayFigures = (d: number, donation = 15000.5) => [
  { campaign: '8m', metric: 'donaciones', date: day(d), value: donation, source: 'crm' },
  { campaign: '8m', metric: 'alcance', date: day(d), value: 8000, source: 'meta' },
  { campaign: '8m', metric: 'alcance', date: day(d), value: 2000, source: 'google' },
  { campaign: '8m', metric: 'gasto', date: day(d), value: 3000, source: 'meta' },
  { campaign: '8m', metric: 'gasto', date: day(d), value: 2000, source: 'google' },
];

/** The campaign, and two weeks of figures sent in two batches (one re-sent day, one correction). */
async function seedTwoWeeks() {
  expect((await api('PUT', '/api/v1/campaigns/8m', CAMPAIGN)).status).toBe(201);
  // Days 1–7; day 3's donation is a typo (99,999).
  const first = await api('POST', '/api/v1/metrics', { observations: range(1, 7).flatMap((d) => dayFigures(d, d === 3 ? 99999 : 15000.5)) });
  expect(first).toMatchObject({ status: 200, json: { stored: 35, replaced: 0, unchanged: 0 } });
  // Days 7–14 (day 7 re-sent as it was) and day 3's donation corrected.
  const second = await api('POST', '/api/v1/metrics', { observations: [...range(7, 14).flatMap((d) => dayFigures(d)), dayFigures(3)[0]] });
  // 7 new days × 5 = 35 stored; day 7's 5 figures re-sent unchanged + day 3 corrected = 6 replaced, 5 of them unchanged.
  expect(second).toMatchObject({ status: 200, json: { stored: 35, replaced: 6, unchanged: 5 } });
}

const metricOf = (summary: Json, key: string): Json => summary.metrics.find((x: { metric: string }) => x.metric === key);

describe('KPI API', () => {
  it('two weeks of figures give the summary computed by hand', async () => {
    await start();
    await seedTwoWeeks();
    const res = await api('GET', '/api/v1/campaigns/8m/summary');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const s = res.json;
    // Nov 1–30 is 30 days; Nov 1–14 is 14 (both included); 16 left.
    expect(s).toMatchObject({ campaign: { key: '8m', name: 'Campaña 8M' }, currency: 'MXN', date: '2026-11-14', elapsed_days: 14, total_days: 30, days_left: 16 });
    expect(s.metrics.map((x: { metric: string }) => x.metric)).toEqual(['alcance', 'donaciones', 'gasto']);

    // Donations: 14 × 15,000.50 = 210,007.00 (the typo of day 3 replaced, not added).
    // expected = 600,000 × 14 / 30 = 280,000; projection = 210,007 / 14 × 30 = 450,015;
    // 210,007 / 280,000 = 0.75 < 0.8 → behind; progress 210,007 / 600,000 = 0.350011… → 0.35.
    // Week: days 8–14 = 7 × 15,000.50 = 105,003.50; days 1–7 the same → change 0.
    const don = metricOf(s, 'donaciones');
    expect(don).toMatchObject({ name: 'Donaciones', unit: 'money', aggregation: 'sum', value: 210007, target: 600000, progress: 0.35, expected: 280000, projection: 450015, status: 'behind' });
    expect(don.week).toEqual({ current: 105003.5, previous: 105003.5, change: 0 });
    expect(don.daily).toHaveLength(14);
    expect(don.daily[2]).toEqual({ date: '2026-11-03', value: 15000.5 });

    // Reach: 14 × (8,000 + 2,000) = 140,000; expected 300,000 × 14/30 = 140,000 → on_track;
    // projection 140,000 / 14 × 30 = 300,000; progress 140,000 / 300,000 = 0.4667.
    expect(metricOf(s, 'alcance')).toMatchObject({ name: 'Alcance', unit: 'count', value: 140000, target: 300000, progress: 0.4667, expected: 140000, projection: 300000, status: 'on_track' });

    // Spend: 14 × (3,000 + 2,000) = 70,000, against the budget as its target: expected 150,000 × 14/30 = 70,000,
    // at or below it → on_track; projection 70,000 / 14 × 30 = 150,000 (not over the budget).
    expect(metricOf(s, 'gasto')).toMatchObject({ value: 70000, target: 150000, expected: 70000, projection: 150000, status: 'on_track' });
    expect(s.budget).toEqual({ amount: 150000, spent: 70000, progress: 0.4667, projection: 150000, status: 'on_track' });
  });

  it('the date parameter: a past day, before the start, after the end, and a date that is not one', async () => {
    await start();
    await seedTwoWeeks();
    // Nov 7: 7 days; donations 7 × 15,000.50 = 105,003.50 (day 3 corrected); expected 600,000 × 7/30 = 140,000;
    // 105,003.50 / 140,000 = 0.75 → behind; no 7 days before the first week → previous and change null.
    const past = (await api('GET', '/api/v1/campaigns/8m/summary?date=2026-11-07')).json;
    expect(past).toMatchObject({ date: '2026-11-07', elapsed_days: 7, days_left: 23 });
    expect(metricOf(past, 'donaciones')).toMatchObject({ value: 105003.5, expected: 140000, projection: 450015, status: 'behind', week: { current: 105003.5, previous: null, change: null } });
    // Spend 7 × 5,000 = 35,000; projection 35,000 / 7 × 30 = 150,000.
    expect(past.budget).toMatchObject({ spent: 35000, projection: 150000, status: 'on_track' });

    // Before the start nothing has elapsed: no values, nothing expected yet.
    const before = (await api('GET', '/api/v1/campaigns/8m/summary?date=2026-10-20')).json;
    expect(before).toMatchObject({ elapsed_days: 0, days_left: 30 });
    expect(metricOf(before, 'donaciones')).toMatchObject({ value: null, expected: 0, projection: null });
    expect(before.budget).toMatchObject({ spent: 0, projection: null });

    // After the end: all 30 days elapsed; the projection is what there is (210,007), 35 % of the target.
    const after = (await api('GET', '/api/v1/campaigns/8m/summary?date=2026-12-10')).json;
    expect(after).toMatchObject({ date: '2026-12-10', elapsed_days: 30, days_left: 0 });
    expect(metricOf(after, 'donaciones')).toMatchObject({ value: 210007, expected: 600000, projection: 210007, status: 'behind' });
    expect(after.budget).toEqual({ amount: 150000, spent: 70000, progress: 0.4667, projection: 70000, status: 'on_track' });

    const bad = await api('GET', '/api/v1/campaigns/8m/summary?date=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual([{ index: null, field: 'date', message: expect.stringContaining('AAAA-MM-DD') }]);
    const unknown = await api('GET', '/api/v1/campaigns/9m/summary');
    expect(unknown.status).toBe(404);
    expect(unknown.json.errors).toEqual([{ index: null, field: 'campaign', message: 'No existe esa campaña. Campañas: 8m.' }]);
  });

  it('a bad batch stores nothing and names each item, field and problem', async () => {
    await start();
    await seedTwoWeeks();
    const before = (await api('GET', '/api/v1/campaigns/8m/summary')).json;
    const ok = { campaign: '8m', metric: 'alcance', date: day(14), value: 5, source: 'meta' };
    const res = await api('POST', '/api/v1/metrics', {
      observations: [
        { ...ok, value: 999999 },
        { ...ok, campaign: 'nada' },
        { ...ok, metric: 'likes' },
        { ...ok, date: '2026-12-02' },
        { ...ok, metric: 'llamadas', value: -3 },
        { ...ok, value: '12' },
        { ...ok, metric: 'retencion', value: 101 },
        { ...ok, date: '2026-11-31' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([
      { index: 1, field: 'campaign', message: 'No existe esa campaña. Campañas: 8m.' },
      { index: 2, field: 'metric', message: expect.stringMatching(/^No existe esa métrica\. Métricas: alcance, .*gasto\.$/) },
      { index: 3, field: 'date', message: 'La fecha está fuera de la campaña (del 2026-11-01 al 2026-11-30).' },
      { index: 4, field: 'value', message: 'No puede ser negativo.' },
      { index: 5, field: 'value', message: 'Debe ser un número, por ejemplo 12500 o 12500.50.' },
      { index: 6, field: 'value', message: 'Un porcentaje no puede pasar de 100.' },
      { index: 7, field: 'date', message: expect.stringContaining('No es una fecha válida') },
    ]);
    // Item 0 was valid, and it was not stored either.
    expect((await api('GET', '/api/v1/campaigns/8m/summary')).json).toEqual(before);

    const malformed = await api('POST', '/api/v1/metrics', undefined, { raw: '{"observations": [' });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toEqual({ errors: [{ index: null, field: 'body', message: 'El cuerpo no es JSON válido. Revise comillas, comas y llaves.' }] });
    const notList = await api('POST', '/api/v1/metrics', { observations: { campaign: '8m' } });
    expect(notList).toMatchObject({ status: 400, json: { errors: [{ index: null, field: 'observations' }] } });
    const form = await api('POST', '/api/v1/metrics', undefined, { raw: 'a=1', contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.json.errors[0].message).toContain('Content-Type: application/json');
    expect((await api('POST', '/api/v1/metrics', { observations: [ok] }, { contentType: 'application/json; charset=UTF-8' })).status).toBe(200);
  });

  it('a body over 1 MB is refused with 413, declared or streamed, and nothing is stored', async () => {
    await start();
    expect((await api('PUT', '/api/v1/campaigns/8m', CAMPAIGN)).status).toBe(201);
    const item = { campaign: '8m', metric: 'alcance', date: day(2), value: 1, source: 'x'.repeat(40) };
    const big = JSON.stringify({ observations: Array.from({ length: 12_000 }, () => item) });
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const res = await api('POST', '/api/v1/metrics', undefined, { raw: big });
    expect(res.status).toBe(413);
    expect(res.json.errors[0]).toMatchObject({ index: null, field: 'body', message: expect.stringContaining('1 MB') });

    // Chunked, with no Content-Length: the server stops buffering once past the cap.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${h.baseUrl}/api/v1/metrics`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = big.slice(0, 64 * 1024);
      for (let i = 0; i < 20; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
    expect(metricOf((await api('GET', '/api/v1/campaigns/8m/summary')).json, 'alcance').value).toBeNull();
  });

  it('a missing or wrong token gets 401 and nothing else; nothing is stored; the token never reaches the logs', async () => {
    await start({ captureLogs: true });
    for (const token of [null, WRONG, '', 'x']) {
      const res = await api('PUT', '/api/v1/campaigns/8m', CAMPAIGN, { token });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: 'unauthorized' });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    // Unknown paths too: nothing about the API before the token is right.
    expect((await api('GET', '/api/v1/nada', undefined, { token: WRONG })).status).toBe(401);
    const basic = await fetch(`${h.baseUrl}/api/v1/campaigns/8m/summary`, { headers: { Authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
    expect((await api('GET', '/api/v1/campaigns/8m/summary')).status).toBe(404);

    await seedTwoWeeks();
    expect((await api('POST', '/api/v1/metrics', { observations: dayFigures(14, 1) }, { token: WRONG })).status).toBe(401);
    expect(metricOf((await api('GET', '/api/v1/campaigns/8m/summary')).json, 'donaciones').value).toBe(210007);

    const logs = h.logs.join('');
    expect(logs).toContain('kpi api request');
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain(WRONG);
    expect(logs).not.toContain('example-kpi-token');
  });

  it('wrong methods get 405 with Allow; unknown paths 404', async () => {
    await start();
    const res = await api('DELETE', '/api/v1/campaigns/8m');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('PUT');
    expect(res.json.errors[0]).toMatchObject({ field: 'method', message: 'Método no permitido aquí. Use PUT.' });
    expect((await api('GET', '/api/v1/metrics')).headers.get('allow')).toBe('POST');
    expect((await api('GET', '/api/v1/otra-cosa')).status).toBe(404);
  });

  it('without KPI_API_TOKEN the API is off: 404', async () => {
    await start({ env: { KPI_API_TOKEN: '' } });
    expect((await api('PUT', '/api/v1/campaigns/8m', CAMPAIGN)).status).toBe(404);
    expect((await api('GET', '/api/v1/campaigns/8m/summary')).status).toBe(404);
    expect(h.app.core.kpis.campaign('8m')).toBeNull();
  });

  it('PUT creates (201) then replaces (200); the summary follows the new targets; field paths name the item', async () => {
    await start();
    await seedTwoWeeks();
    const replaced = await api('PUT', '/api/v1/campaigns/8m', { ...CAMPAIGN, targets: [{ metric: 'alcance', value: 420000 }] });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ key: '8m', budget: 150000, targets: [{ metric: 'alcance', value: 420000 }], version: 2 });
    const s = (await api('GET', '/api/v1/campaigns/8m/summary')).json;
    // 420,000 × 14/30 = 196,000 expected; 140,000 / 196,000 = 0.714 → behind.
    expect(metricOf(s, 'alcance')).toMatchObject({ target: 420000, expected: 196000, status: 'behind' });
    // Donations lost their target: shown for their figures, with no target.
    expect(metricOf(s, 'donaciones')).toMatchObject({ value: 210007, target: null, status: 'no_target' });

    const bad = await api('PUT', '/api/v1/campaigns/8m', { name: '', start: '2026-11-01', end: '2026-10-01', budget: -1, targets: [{ metric: 'alcance', value: 1 }, { metric: 'nada', value: 1 }, { metric: 'llamadas', value: 1.5 }] });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { field: string; index: number | null }) => [e.field, e.index])).toEqual([
      ['name', null],
      ['end', null],
      ['budget', null],
      ['targets[1].metric', 1],
      ['targets[2].value', 2],
    ]);
    expect((await api('GET', '/api/v1/campaigns/8m/summary')).json).toEqual(s);
  });

  it('a campaign name with markup is returned as data, untouched, as JSON', async () => {
    await start();
    const name = '<script>alert("8M")</script> & «Campaña»';
    const res = await api('PUT', '/api/v1/campaigns/xss', { ...CAMPAIGN, name });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/api/v1/campaigns/xss');
    expect(res.json.name).toBe(name);
    const s = await api('GET', '/api/v1/campaigns/xss/summary');
    expect(s.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(s.headers.get('x-content-type-options')).toBe('nosniff');
    expect(s.json.campaign.name).toBe(name);
  });

  it('spend crossing 90 % of the budget writes one alert, once', async () => {
    await start();
    await seedTwoWeeks();
    const budgetAlertRows = () =>
      (h.app.db.prepare(`SELECT payload FROM outbox WHERE kind = 'kpi_alert'`).all() as { payload: string }[]).map((r) => JSON.parse(r.payload) as { alert: string }).filter((p) => p.alert === 'budget_90').length;
    expect(budgetAlertRows()).toBe(0);
    // 70,000 spent; 66,000 more on TV → 136,000 ≥ 90 % of 150,000 (135,000).
    const tv = { observations: [{ campaign: '8m', metric: 'gasto', date: day(14), value: 66000, source: 'tv' }] };
    expect((await api('POST', '/api/v1/metrics', tv)).status).toBe(200);
    expect(budgetAlertRows()).toBe(1);
    expect((await api('POST', '/api/v1/metrics', tv)).json).toEqual({ stored: 0, replaced: 1, unchanged: 1 });
    expect(budgetAlertRows()).toBe(1);
  });
});
