import { afterEach, describe, expect, it } from 'vitest';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { Harness, SteppingClock, U, tempDbPath, textOf, waitFor } from '../helpers/harness.js';
import { FakeSlack } from '../helpers/fake-slack.js';

const TZ = 'America/Mexico_City';
const at = (date: string, time: string) => localToEpoch(date, time, TZ)!;
const KPI = 'CKPI';
const EDITOR = 'UKPIEDITOR';

let h: Harness;
let clock: SteppingClock;
afterEach(async () => {
  await h?.stop();
});

async function start(env: Record<string, string> = {}, startAt = at('2026-11-14', '20:00'), o: { slack?: FakeSlack; dbPath?: string } = {}) {
  clock = new SteppingClock(startAt);
  h = await Harness.start({ clock, ...o, env: { KPI_CHANNEL_ID: KPI, KPI_EDITOR_IDS: EDITOR, ...env } });
}

const kpi = async (text: string, user: string = U.author) => textOf((await h.reply((await h.command(user, text, '/kpi')).rid)) as never);
const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `2026-11-${String(from + i).padStart(2, '0')}`);

/** Campaña 8M, November (30 days): budget $150,000; donations $600,000; reach 300,000; calls 1,000. */
function define8m(name = 'Campaña 8M') {
  const r = h.app.core.kpis.define(
    '8m',
    { name, start: '2026-11-01', end: '2026-11-30', budget: 150000, targets: [{ metric: 'donaciones', value: 600000 }, { metric: 'alcance', value: 300000 }, { metric: 'llamadas', value: 1000 }] },
    h.personOf(U.admin),
  );
  expect(r.ok).toBe(true);
}

/** Two weeks of figures: donations $15,000.50 a day (CRM), spend $5,000 a day from two sources. */
function twoWeeks() {
  const r = h.app.core.kpis.record(
    days(1, 14).flatMap((date) => [
      { campaign: '8m', metric: 'donaciones', date, value: 15000.5, source: 'crm' },
      { campaign: '8m', metric: 'gasto', date, value: 3000, source: 'meta' },
      { campaign: '8m', metric: 'gasto', date, value: 2000, source: 'google' },
    ]),
    h.personOf(U.admin),
  );
  expect(r).toMatchObject({ ok: true, stored: 42 });
}

describe('/kpi', () => {
  it('shows every running campaign against its targets, expected by today, status, trend and budget, in es-MX', async () => {
    await start();
    define8m();
    twoWeeks();
    // Calls typed in the chat by the métricas role: 30 on Nov 1…7, then 20 a day (one first sent as 200, corrected).
    for (const d of days(1, 7)) expect(await kpi(`registrar 8m llamadas 30 ${d}`, EDITOR)).toContain('Registrado: Llamadas de Campaña 8M (8m), 30');
    for (const d of days(8, 14)) await kpi(`registrar 8m llamadas ${d === '2026-11-10' ? 200 : 20} ${d}`, EDITOR);
    expect(await kpi('registrar 8m llamadas 20 2026-11-10', EDITOR)).toContain('Corregido: Llamadas de Campaña 8M (8m) del 10 de noviembre ahora es 20');

    const text = await kpi('');
    expect(text).toContain('Campaña 8M (8m) · día 14 de 30');
    // 14 × 15,000.50 = 210,007; 600,000 × 14/30 = 280,000 expected; 210,007 / 280,000 = 75 % → behind
    expect(text).toContain('🔴 Donaciones: $210,007 de $600,000 (35%) · con retraso · esperado a la fecha $280,000 · semana sin cambio');
    // 7 × 30 + 7 × 20 = 350 of 1,000; expected 467 (466.67); 350 / 466.67 = 75 % → behind; week 140 vs 210 → ▼ 33 %
    expect(text).toContain('🔴 Llamadas: 350 de 1,000 (35%) · con retraso · esperado a la fecha 467 · semana ▼ 33%');
    expect(text).toContain('Alcance: sin cifras aún (meta 300,000)');
    // Spend 14 × 5,000 = 70,000 (47 %); at this pace 150,000 at the end: within the budget.
    expect(text).toContain('🟢 Presupuesto: $70,000 gastado de $150,000 (47%) · dentro del presupuesto · proyección al cierre $150,000');
  });

  it('one campaign in detail: projection, a text sparkline with its numbers in words, the days left', async () => {
    await start();
    define8m();
    twoWeeks();
    const text = await kpi('8m');
    expect(text).toContain('Del 1 de noviembre al 30 de noviembre · día 14 de 30 · quedan 16 días');
    expect(text).toContain('proyección al cierre $450,015');
    expect(text).toContain('Últimos 14 días: ▄▄▄▄▄▄▄▄▄▄▄▄▄▄ (mínimo $15,000.50, máximo $15,000.50, último $15,000.50)');
    expect(await kpi('metas')).toContain('Donaciones: $600,000');
  });

  it('«grafica» sends the chart as a PNG by DM, with alt text that says what it shows', async () => {
    await start();
    define8m();
    twoWeeks();
    const { rid } = await h.command(U.approver, '8m grafica', '/kpi');
    // First the detail, then where the chart goes.
    expect(textOf((await waitFor(() => h.slack.responsesTo(rid)[1])) as never)).toContain('Le envío la gráfica por mensaje directo.');
    await h.settle();
    const file = await waitFor(() => h.slack.files[0]);
    expect(file.channel).toBe(`D${U.approver}`);
    expect(file.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(file.title).toBe('Campaña 8M (8m) · Donaciones por día');
    // Daily target: 600,000 / 30 = 20,000 a day.
    expect(file.alt).toBe(
      'Gráfica de barras de Donaciones por día en la campaña Campaña 8M (8m), del 1 de noviembre al 14 de noviembre. Último valor: $15,000.50. Meta diaria: $20,000. Estado: con retraso.',
    );
    const other = await h.command(U.approver, '8m grafica likes', '/kpi');
    expect(textOf((await waitFor(() => h.slack.responsesTo(other.rid)[1])) as never)).toContain('No existe la métrica «likes»');
  });

  it('shows a campaign’s own metric by its name, and levels (followers across networks, retention) by their last values', async () => {
    await start();
    const core = h.app.core;
    const def = { name: 'Firmas <b>', start: '2026-11-01', end: '2026-11-30', metrics: [{ key: 'firmas', name: 'Firmas & adhesiones', unit: 'count', aggregation: 'sum' }], targets: [{ metric: 'firmas', value: 3000 }, { metric: 'seguidores', value: 50000 }, { metric: 'retencion', value: 80 }] };
    expect(core.kpis.define('peticion', def, h.personOf(U.admin)).ok).toBe(true);
    core.kpis.record(
      [
        ...days(1, 14).map((date) => ({ campaign: 'peticion', metric: 'firmas', date, value: 100 })),
        { campaign: 'peticion', metric: 'seguidores', date: '2026-11-01', value: 30000, source: 'facebook' },
        { campaign: 'peticion', metric: 'seguidores', date: '2026-11-01', value: 10000, source: 'x' },
        { campaign: 'peticion', metric: 'seguidores', date: '2026-11-10', value: 33000, source: 'facebook' },
        { campaign: 'peticion', metric: 'retencion', date: '2026-11-14', value: 82.5, source: 'crm' },
      ],
      h.personOf(U.admin),
    );
    const text = await kpi('');
    // 1,400 of 3,000; expected 3,000 × 14/30 = 1,400: on track.
    expect(text).toContain('🟢 Firmas &amp; adhesiones: 1,400 de 3,000 (47%) · al día · esperado a la fecha 1,400');
    // 33,000 (facebook, latest) + 10,000 (x): the trend to the end (49,667) is 99 % of 50,000.
    expect(text).toContain('🟡 Seguidores: 43,000 de 50,000 (86%) · en riesgo');
    expect(text).toContain('🟢 Retención: 82.5% de 80% (103%) · al día');
    expect(text).toContain('Firmas &lt;b&gt; (peticion)');
  });

  it('writes money the office’s way: es-CO «$210.007»', async () => {
    await start({ NUMBER_LOCALE: 'es-CO', CURRENCY: 'COP' });
    define8m();
    twoWeeks();
    const text = await kpi('');
    expect(text).toContain('Donaciones: $210.007 de $600.000 (35%)');
    expect(text).toContain('Presupuesto: $70.000 gastado de $150.000 (47%)');
  });

  it('refuses figures from someone without the role (nothing stored), and helps with unknown campaigns and metrics', async () => {
    await start();
    define8m();
    expect(await kpi('registrar 8m llamadas 30', U.author)).toContain('Solo quienes tienen el rol de métricas o administración pueden registrar cifras');
    expect(h.app.core.kpis.summary(h.app.core.kpis.campaign('8m')!).metrics.find((m) => m.metric.key === 'llamadas')!.value).toBeNull();
    expect(await kpi('9x')).toContain('No existe la campaña «9x». Campañas: 8m.');
    expect(await kpi('registrar 8m likes 30', EDITOR)).toContain('No existe la métrica «likes». Métricas: alcance, impresiones');
    expect(await kpi('registrar 8m llamadas -3', EDITOR)).toContain('valor: No puede ser negativo.');
    expect(await kpi('registrar 8m llamadas 30 2026-12-05', EDITOR)).toContain('fecha: La fecha está fuera de la campaña');
    // An admin may record too, and give the role like the others.
    expect(await kpi('registrar 8m llamadas 30', U.admin)).toContain('Registrado');
    const granted = await h.reply((await h.command(U.admin, `roles dar <@${U.other}> métricas`)).rid);
    expect(textOf(granted as never)).toContain('métricas');
    expect(await kpi('registrar 8m llamadas 5 2026-11-13', U.other)).toContain('Registrado: Llamadas de Campaña 8M (8m), 5 el 13 de noviembre.');
  });

  it('escapes campaign names like every other text', async () => {
    await start();
    define8m('<script>alert(1)</script> & co');
    twoWeeks();
    const reply = (await h.reply((await h.command(U.author, '', '/kpi')).rid)) as { blocks: unknown[] };
    const raw = JSON.stringify(reply.blocks);
    expect(raw).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(raw).not.toContain('<script>');
  });

  it('tells the KPI channel once when spend crosses 90 % of the budget, and renders reports, closings and the digest section', async () => {
    await start({ DIGEST_CHANNEL_ID: 'CDIGEST' });
    define8m();
    twoWeeks();
    // 70,000 + 66,000 = 136,000: 91 % of 150,000.
    await kpi('registrar 8m gasto 66000 2026-11-14', U.admin);
    await h.settle();
    const alerts = () => h.slack.inChannel(KPI).filter((m) => textOf(m).includes('del presupuesto ('));
    expect(alerts()).toHaveLength(1);
    expect(textOf(alerts()[0]!)).toContain('Campaña 8M (8m): el gasto llegó al 91% del presupuesto ($136,000 de $150,000).');
    await kpi('registrar 8m gasto 1000 2026-11-13', U.admin);
    await h.settle();
    expect(alerts()).toHaveLength(1);

    const core = h.app.core;
    core.enqueue({ type: 'kpi_report', to: { place: 'kpi' }, date: '2026-11-14', late: false }, clock.now());
    core.enqueue({ type: 'kpi_closing', to: { place: 'kpi' }, campaignId: 1 }, clock.now());
    core.enqueue({ type: 'digest', to: { place: 'digest' }, date: '2026-11-14', personal: false, late: false }, clock.now());
    core.kickOutbox();
    await h.settle();
    const report = await waitFor(() => h.slack.inChannel(KPI).find((m) => textOf(m).includes('Reporte de campañas · 14 de noviembre')));
    expect(textOf(report)).toContain('Donaciones: $210,007 de $600,000 (35%)');
    const closing = await waitFor(() => h.slack.inChannel(KPI).find((m) => textOf(m).includes('Cierre de campaña · Campaña 8M')));
    expect(textOf(closing)).toContain('Resultado final contra la meta');
    const digest = await waitFor(() => h.slack.inChannel('CDIGEST')[0]);
    expect(textOf(digest)).toContain('Campañas en riesgo o atrasadas');
    expect(textOf(digest)).toContain('Campaña 8M (8m): Alcance con retraso, Donaciones con retraso, Llamadas con retraso, se proyecta por encima del presupuesto · /kpi 8m');
  });

  it('twenty campaigns × eleven metrics fit one message; the rest are counted with the command to see them', async () => {
    await start();
    const metrics = ['alcance', 'impresiones', 'interacciones', 'seguidores', 'seguidores_nuevos', 'visitas_web', 'donaciones', 'donantes_nuevos', 'retencion', 'llamadas', 'gasto'];
    for (let i = 0; i < 20; i++) {
      h.app.core.kpis.define(`c${i}`, { name: `Campaña número ${i} con un nombre largo de verdad`, start: '2026-11-01', end: '2026-11-30', budget: 1000000, targets: metrics.map((m) => ({ metric: m, value: m === 'retencion' ? 80 : 100000 })) }, h.personOf(U.admin));
      h.app.core.kpis.record(days(1, 14).flatMap((date) => metrics.map((metric) => ({ campaign: `c${i}`, metric, date, value: metric === 'retencion' ? 75 : 1234 }))), h.personOf(U.admin));
    }
    const text = await kpi('');
    expect(text).toContain('Campaña número 0');
    expect(text).toMatch(/y \d+ campañas más — \/kpi &lt;clave&gt;/);
    // The harness fails the test if the fake Slack refused the message (blocks, sizes).
  });
});

describe('the KPI report by cron', () => {
  it('fires at KPI_REPORT_CRON in the office’s zone, once, across a restart', async () => {
    const slack = await new FakeSlack().start();
    const dbPath = tempDbPath();
    // Sunday Nov 15, 08:00; the cron says Mondays at 09:00.
    await start({ KPI_REPORT_CRON: '0 9 * * 1' }, at('2026-11-15', '08:00'), { slack, dbPath });
    define8m();
    await h.app.jobs.tick();
    const reports = () => slack.inChannel(KPI).filter((m) => textOf(m).includes('Reporte de campañas'));
    clock.set(at('2026-11-16', '09:00') + 1000);
    await h.app.jobs.tick();
    await h.settle();
    expect(reports()).toHaveLength(1);
    expect(textOf(reports()[0]!)).toContain('Reporte de campañas · 16 de noviembre');

    await h.stopApp();
    await start({ KPI_REPORT_CRON: '0 9 * * 1' }, at('2026-11-16', '09:30'), { slack, dbPath });
    await h.app.jobs.tick();
    await h.settle();
    expect(reports()).toHaveLength(1);
    clock.set(at('2026-11-23', '09:00') + 1000);
    await h.app.jobs.tick();
    await h.settle();
    expect(reports()).toHaveLength(2);
  });
});
