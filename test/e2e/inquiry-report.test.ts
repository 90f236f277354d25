import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness, headerOf, SteppingClock, textOf, U, waitFor } from '../helpers/harness.js';
import { at, INQ, ON, registerInquiry, stopWithoutErrors, TOKEN, TZ } from '../helpers/inquiry-kit.js';

/**
 * The report of a seeded month, through the real app: inquiries registered through the API with
 * their real received times, taken, answered, extended and transferred through Slack on the days
 * they were, then `/consulta informe 2026-10`; and the CSV export of the same inquiries.
 */
let h: Harness;
let clock: SteppingClock;
afterEach(() => stopWithoutErrors(h));

const register = (body: Record<string, unknown>) => registerInquiry(h, { channel: 'facebook', text: 'Solicito información.', ...body });

const cardOf = (folio: string) => h.slack.inChannel(INQ).find((c) => headerOf(c).startsWith(folio))!;

/** Clicks a card's button on `date` at 12:00; submits the form it opens when values are given. */
async function act(folio: string, date: string, action: string, values?: Record<string, string>) {
  clock.set(at(date, '12:00'));
  await h.settle();
  const opened = h.slack.callsOf('views.open').length;
  const click = await h.click(ON.a, cardOf(folio), action);
  expect(click.status).toBe(200);
  if (values) {
    const form = await h.openedView(opened);
    expect((await h.submit(ON.a, form, values)).status).toBe(200);
  }
  await h.settle();
}

async function seedOctober() {
  clock = new SteppingClock(at('2026-09-30', '10:05'));
  h = await Harness.start({ clock, captureLogs: true, env: { INQUIRY_CHANNEL_ID: INQ, ONCALL_IDS: `${ON.a},${ON.b}`, INQUIRY_API_TOKEN: TOKEN } });
  const reg = async (when: [string, string], body: Record<string, unknown>) => {
    clock.set(at(when[0], when[1]) + 5 * 60_000);
    return register({ received_at: `${when[0]}T${when[1]}:00-06:00`, ...body });
  };
  const outside = await reg(['2026-09-30', '10:00'], { text: 'Septiembre: fuera del informe.' });
  // A: answered after 5 business days (on time).
  const a = await reg(['2026-10-01', '10:00'], { channel: 'facebook', requester: { name: 'Ana Pérez', contact: 'ana@example.org' }, text: 'Contratos 2026; mi teléfono 55 1234 5678' });
  // B: Friday after hours → counts from Monday 5 October; due 2 November; answered 4 November (late).
  const b = await reg(['2026-10-02', '19:00'], { channel: 'correo', text: '=HYPERLINK("http://evil.example","clic")' });
  // C: extended, answered within the extension.
  const c = await reg(['2026-10-05', '10:00'], { channel: 'web' });
  // D: press, no legal term, answered the same day.
  const d = await reg(['2026-10-06', '10:00'], { channel: 'x', type: 'prensa' });
  // E: transferred to another entity.
  const e = await reg(['2026-10-07', '10:00'], { channel: 'facebook' });
  // F: taken, never answered: overdue by the report's day.
  const f = await reg(['2026-10-09', '10:00'], { channel: 'facebook' });
  const after = await reg(['2026-11-01', '10:00'], { text: 'Noviembre: fuera del informe.' });
  await waitFor(() => h.slack.inChannel(INQ).length === 8);
  expect([a.due_date, b.due_date, c.due_date, f.due_date]).toEqual(['2026-10-29', '2026-11-02', '2026-11-02', '2026-11-06']);

  const answer = { summary: 'Se entregó la información solicitada.', link: 'https://transparencia.example.gob.mx/respuestas/1' };
  await act(a.folio, '2026-10-08', 'inq.respond', answer);
  await act(d.folio, '2026-10-06', 'inq.respond', answer);
  await act(e.folio, '2026-10-08', 'inq.transfer', { entity: 'Secretaría de Salud' });
  await act(f.folio, '2026-10-09', 'inq.take');
  await act(c.folio, '2026-10-20', 'inq.extend', { reason: 'Se consulta a tres áreas.' });
  await act(b.folio, '2026-11-04', 'inq.respond', answer);
  await act(c.folio, '2026-11-10', 'inq.respond', answer);
  return { outside, a, b, c, d, e, f, after };
}

describe('the inquiry report of a seeded month', () => {
  it('/consulta informe 2026-10: received, answered, on time, median business days, extended, transferred, overdue — total, by type, by channel', async () => {
    const s = await seedOctober();
    expect(h.app.db.prepare('SELECT extended_due_date FROM inquiries WHERE id = ?').get(s.c.id)).toEqual({ extended_due_date: '2026-11-17' });
    // The transfer is judged against its own legal term (MX: 3 business days from receipt).
    const transfer = h.app.db.prepare(`SELECT data FROM inquiry_events WHERE inquiry_id = ? AND event = 'transferred'`).get(s.e.id) as { data: string };
    expect(JSON.parse(transfer.data)).toMatchObject({ entity: 'Secretaría de Salud', transferDays: 3, transferDue: '2026-10-12', onTime: true });
    clock.set(at('2026-11-20', '12:00'));
    const r = await h.command(U.admin, 'informe 2026-10', '/consulta');
    const text = textOf((await h.reply(r.rid)) as never);
    expect(text).toContain('Informe de consultas · octubre de 2026');
    // Answered A (5 days), B (22), C (26), D (0): median 13.5; on time A and C of the three with a term.
    expect(text).toContain('Total: 6 recibidas · 4 respondidas · 2 (66.7 %) a tiempo · mediana 13.5 días hábiles · 1 con prórroga · 1 trasladadas · 1 vencidas');
    expect(text).toContain('solicitud de información: 5 recibidas · 3 respondidas · 2 (66.7 %) a tiempo · mediana 22 días hábiles · 1 con prórroga · 1 trasladadas · 1 vencidas');
    expect(text).toContain('prensa: 1 recibidas · 1 respondidas · sin datos a tiempo · mediana 0 días hábiles');
    expect(text).toContain('Facebook: 3 recibidas · 1 respondidas · 1 (100 %) a tiempo · mediana 5 días hábiles · 0 con prórroga · 1 trasladadas · 1 vencidas');
    expect(text).toContain('correo: 1 recibidas · 1 respondidas · 0 (0 %) a tiempo · mediana 22 días hábiles');

    // A quarter reads the same month plus the September one; an unreadable period is told how to write it.
    const q = await h.command(U.admin, 'informe 2026-T4', '/consulta');
    expect(textOf((await h.reply(q.rid)) as never)).toContain('Total: 7 recibidas');
    const bad = await h.command(U.admin, 'informe octubre', '/consulta');
    expect(textOf((await h.reply(bad.rid)) as never)).toContain('Indique un mes (2026-10) o un trimestre (2026-T3).');
    const none = await h.command(U.admin, 'informe 2025-10', '/consulta');
    expect(textOf((await h.reply(none.rid)) as never)).toContain('No se recibieron consultas en ese periodo.');
  });

  it('npm run consultas:exportar writes one row per event, with a BOM; --anonimizar removes the personal data; bad options exit 2', async () => {
    const s = await seedOctober();
    await h.stop();
    const dir = dirname(h.dbPath);
    const tsx = join(dirname(new URL(import.meta.url).pathname), '../../node_modules/.bin/tsx');
    const cli = new URL('../../src/cli/export-inquiries.ts', import.meta.url).pathname;
    const run = async (...args: string[]) => {
      try {
        const { stdout, stderr } = await promisify(execFile)(tsx, [cli, ...args], { env: { ...process.env, DATABASE_PATH: h.dbPath, TIMEZONE: TZ, LOCALE: 'es' } });
        return { code: 0, out: stdout + stderr };
      } catch (e) {
        const x = e as { code: number; stdout: string; stderr: string };
        return { code: x.code, out: x.stdout + x.stderr };
      }
    };
    const full = join(dir, 'octubre.csv');
    const ok = await run('--desde', '2026-10-01', '--hasta', '2026-10-31', '--salida', full);
    expect(ok).toEqual({ code: 0, out: `${full}: 6 consultas, 13 eventos.\n` });
    const bytes = readFileSync(full);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    // registered ×6, answered ×4, transferred, taken, extended: one row each, by inquiry then time
    expect(rows.map((r) => `${r.folio} ${r.evento}`)).toEqual([
      `${s.a.folio} registered`, `${s.a.folio} answered`,
      `${s.b.folio} registered`, `${s.b.folio} answered`,
      `${s.c.folio} registered`, `${s.c.folio} extended`, `${s.c.folio} answered`,
      `${s.d.folio} registered`, `${s.d.folio} answered`,
      `${s.e.folio} registered`, `${s.e.folio} transferred`,
      `${s.f.folio} registered`, `${s.f.folio} taken`,
    ]);
    expect(rows.find((r) => r.folio === s.e.folio && r.evento === 'transferred')!.evento_detalle).toContain('Secretaría de Salud');
    const a = rows.find((r) => r.folio === s.a.folio)!;
    expect(a).toMatchObject({ canal: 'facebook', tipo: 'informacion', recibida: '2026-10-01 10:00', fecha_de_recepcion: '2026-10-01', vence: '2026-10-29', plazo_dias_habiles: '20', solicitante_nombre: 'Ana Pérez', solicitante_contacto: 'ana@example.org' });
    expect(a.fundamento).toContain('art. 132');
    // A formula from the public is shown, never run by a spreadsheet.
    expect(rows.find((r) => r.folio === s.b.folio)!.texto).toBe(`'=HYPERLINK("http://evil.example","clic")`);

    const anon = join(dir, 'anon.csv');
    expect((await run('--desde', '2026-10-01', '--hasta', '2026-10-31', '--anonimizar', '--salida', anon)).code).toBe(0);
    const anonText = readFileSync(anon, 'utf8');
    expect(anonText).not.toContain('Ana Pérez');
    expect(anonText).not.toContain('ana@example.org');
    expect(anonText).not.toContain('1234 5678');
    expect(anonText).toContain('mi teléfono [número]');
    // Dates stay: the extension's dates are what the report is about.
    const anonRows = parse(readFileSync(anon), { bom: true, columns: true }) as Record<string, string>[];
    expect(anonRows.find((r) => r.evento === 'extended')!.evento_detalle).toContain('"from":"2026-11-02","to":"2026-11-17"');

    expect((await run('--desde', '2026-10-01')).code).toBe(2);
    expect(await run('--desde', '2026-10-32', '--hasta', '2026-10-31')).toEqual({ code: 2, out: expect.stringContaining('--desde «2026-10-32» no es una fecha') });
    expect((await run('--desde', '2026-11-01', '--hasta', '2026-10-31')).code).toBe(2);
    expect(await run('--desde', '2026-10-01', '--hasta', '2026-10-31', '--todo')).toEqual({ code: 2, out: expect.stringContaining('No se conoce la opción --todo') });
    // A mistyped DATABASE_PATH is said, never exported as «0 consultas» (nor created).
    const typo = join(dir, 'vistobuen.db');
    const missing = await promisify(execFile)(tsx, [cli, '--desde', '2026-10-01', '--hasta', '2026-10-31', '--salida', join(dir, 'x.csv')], { env: { ...process.env, DATABASE_PATH: typo, TIMEZONE: TZ, LOCALE: 'es' } }).then(
      () => ({ code: 0, out: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, out: e.stderr }),
    );
    expect(missing).toEqual({ code: 2, out: expect.stringContaining(`No existe la base de datos ${typo}`) });
    expect(existsSync(typo)).toBe(false);
  }, 60_000);

  it('an answer sent on the due date and recorded days later is on time; a paper answer is proved by its «oficio» number; a future date is refused', async () => {
    clock = new SteppingClock(at('2026-10-01', '10:05'));
    h = await Harness.start({ clock, captureLogs: true, env: { INQUIRY_CHANNEL_ID: INQ, ONCALL_IDS: `${ON.a},${ON.b}`, INQUIRY_API_TOKEN: TOKEN } });
    const r = await register({ received_at: '2026-10-01T10:00:00-06:00' });
    expect(r.due_date).toBe('2026-10-29');
    await waitFor(() => h.slack.inChannel(INQ).length === 1);
    clock.set(at('2026-11-03', '12:00'));
    const opened = h.slack.callsOf('views.open').length;
    await h.click(ON.a, cardOf(r.folio), 'inq.respond');
    const form = await h.openedView(opened);
    // A made-up link is refused; a date in the future too.
    const bad = await h.submit(ON.a, form, { summary: 'Se envió por oficio.', link: 'http://', answered_date: '2026-11-04' });
    expect(JSON.parse(bad.text)).toMatchObject({ response_action: 'errors', errors: { link: expect.any(String), answered_date: expect.stringContaining('no puede ser futura') } });
    const early = await h.submit(ON.a, form, { summary: 'Se envió por oficio.', link: 'Oficio UT/1234/2026', answered_date: '2026-09-30' });
    expect(JSON.parse(early.text)).toMatchObject({ response_action: 'errors', errors: { answered_date: expect.stringContaining('anterior a la recepción (jueves 1 de octubre)') } });
    const noDigits = await h.submit(ON.a, form, { summary: 'Se envió por oficio.', link: 'n/a', answered_date: '2026-10-29' });
    expect(JSON.parse(noDigits.text)).toMatchObject({ response_action: 'errors', errors: { link: expect.any(String) } });
    const ok = await h.submit(ON.a, form, { summary: 'Se envió por oficio.', link: 'Oficio UT/1234/2026', answered_date: '2026-10-29' });
    expect(ok.status).toBe(200);
    await h.settle();
    const got = (await (await fetch(`${h.baseUrl}/api/v1/inquiries/${r.folio}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as { state: string; events: { event: string; data: Record<string, unknown> }[] };
    expect(got.state).toBe('answered');
    expect(got.events.find((e) => e.event === 'answered')!.data).toMatchObject({ link: 'Oficio UT/1234/2026', answeredDate: '2026-10-29', onTime: true });
    const rep = await h.command(U.admin, 'informe 2026-10', '/consulta');
    expect(textOf((await h.reply(rep.rid)) as never)).toContain('Total: 1 recibidas · 1 respondidas · 1 (100 %) a tiempo');
  });
});
