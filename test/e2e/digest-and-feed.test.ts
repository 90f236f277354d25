import ICAL from 'ical.js';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { importCalendarCsv } from '../../src/adapters/csv/calendar-csv.js';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { es } from '../../src/i18n/es.js';
import { SqlitePieceRepository } from '../../src/store/piece-repo.js';
import { SqliteCalendarRepository } from '../../src/store/calendar-repo.js';
import { Harness, SteppingClock, U, textOf, waitFor } from '../helpers/harness.js';

const TZ = 'America/Mexico_City';
const at = (date: string, time: string, tz = TZ) => localToEpoch(date, time, tz)!;
const FEED_TOKEN = 'feed-token-0123456789abcdef';

let h: Harness;
let clock: SteppingClock;
afterEach(async () => {
  await h?.stop();
});

async function start(env: Record<string, string> = {}, startAt = at('2026-11-22', '08:00')) {
  clock = new SteppingClock(startAt);
  h = await Harness.start({ clock, env: { DIGEST_CHANNEL_ID: 'CDIGEST', CALENDAR_FEED_TOKEN: FEED_TOKEN, ...env } });
}

async function stepTo(ms: number) {
  clock.set(ms);
  await h.app.jobs.tick();
  await h.settle();
}

const replyText = async (text: string, user: string = U.author) => textOf((await h.reply((await h.command(user, text, '/calendario')).rid)) as never);

function seedPieces(n: number, stage: string, updatedAt: number) {
  const repo = new SqlitePieceRepository(h.app.db);
  repo.transaction(() => {
    for (let i = 0; i < n; i++) {
      const { piece } = repo.insert(
        { title: `Pieza en espera número ${i} con un título largo para llenar el mensaje`, body: 'x', kind: 'post', networks: ['facebook'], plannedAt: at('2026-12-20', '10:00'), plannedHasTime: true, materialsUrl: null, needsDesign: false, authorId: h.personOf(U.author), platform: 'slack', stage: stage as never, originKey: null },
        updatedAt + i * 60_000,
      );
      expect(piece.id).toBeGreaterThan(0);
    }
  });
}

describe('the daily digest', () => {
  it('posts at DIGEST_TIME on working days only: today’s calendar, waiting pieces oldest first, due soon, published yesterday', async () => {
    await start();
    await replyText('agregar 2026-11-23 11:00 Conferencia de prensa');
    const a = await h.createPiece(U.author, { title: 'Sale mañana', date: '2026-11-24', time: '10:00' });
    const b = await h.createPiece(U.author, { title: 'Publicada el domingo', kind: 'press_release', networks: ['press'] });
    await h.click(U.approver, b.card, 'piece.approve');
    await h.settle();
    const pub = await waitFor(() => h.slack.dmsTo(U.author).find((m) => textOf(m).includes('lista para publicar')));
    const n = h.slack.callsOf('views.open').length;
    await h.click(U.author, pub, 'piece.publish');
    await h.submit(U.author, await h.openedView(n), { link: 'https://facebook.com/oficina/posts/1' });
    await h.settle();

    // Sunday: no digest (DIGEST_DAYS defaults to 1-5).
    await stepTo(at('2026-11-22', '09:00') + 1000);
    expect(h.slack.inChannel('CDIGEST')).toHaveLength(0);

    await stepTo(at('2026-11-23', '09:00') + 1000);
    const digest = await waitFor(() => h.slack.inChannel('CDIGEST')[0]);
    const text = textOf(digest);
    expect(text).toContain('Resumen del lunes 23 de noviembre');
    expect(text).toMatch(/Hoy en el calendario[\s\S]*11:00 · conferencia de prensa · \*Conferencia de prensa\*/);
    expect(text).toMatch(/Se publican hoy o mañana y no están aprobadas[\s\S]*#1\* Sale mañana/);
    expect(text).toMatch(/Piezas en espera[\s\S]*revisión de contenido · \*#1\* Sale mañana · espera desde hace 1 día/);
    expect(text).toMatch(/Publicado ayer[\s\S]*#2\* Publicada el domingo/);
    expect(a.id).toBe(1);
    // Once.
    await stepTo(at('2026-11-23', '10:00'));
    expect(h.slack.inChannel('CDIGEST')).toHaveLength(1);
  });

  it('a day with nothing says so in one line', async () => {
    await start({ DIGEST_DAYS: '1-7' });
    await stepTo(at('2026-11-22', '09:00') + 1000);
    const digest = await waitFor(() => h.slack.inChannel('CDIGEST')[0]);
    expect(textOf(digest)).toContain('Nada en el calendario ni piezas pendientes hoy.');
    expect(digest.blocks).toHaveLength(2);
  });

  it('with 500 pieces pending it stays a valid Slack message and points to /pieza pendientes', async () => {
    await start();
    seedPieces(500, 'content_review', at('2026-10-01', '09:00'));
    await stepTo(at('2026-11-23', '09:00') + 1000);
    const digest = await waitFor(() => h.slack.inChannel('CDIGEST')[0]);
    expect(digest.blocks.length).toBeLessThanOrEqual(50);
    let total = 0;
    for (const b of digest.blocks) {
      const t = (b.text as { text?: string } | undefined)?.text ?? '';
      expect(t.length).toBeLessThanOrEqual(3000);
      total += JSON.stringify(b).length;
    }
    expect(total).toBeLessThan(12_000);
    expect(textOf(digest)).toContain('y 480 más — /pieza pendientes');
    // The oldest come first.
    expect(textOf(digest)).toMatch(/#1\* Pieza en espera número 0/);
  });

  it('/calendario resumen sends it by DM now; «resumen diario» subscribes, «resumen no» stops it', async () => {
    await start({ DIGEST_CHANNEL_ID: '' });
    expect(await replyText('resumen', U.approver)).toContain('Le envié el resumen');
    await waitFor(() => h.slack.dmsTo(U.approver).find((m) => textOf(m).includes('Resumen del domingo 22 de noviembre')));
    expect(await replyText('resumen diario', U.approver)).toContain('recibirá el resumen');
    await stepTo(at('2026-11-23', '09:00') + 1000);
    await waitFor(() => h.slack.dmsTo(U.approver).find((m) => textOf(m).includes('Resumen del lunes 23')));
    expect(await replyText('resumen no', U.approver)).toContain('ya no recibirá');
    await stepTo(at('2026-11-24', '09:00') + 1000);
    expect(h.slack.dmsTo(U.approver).filter((m) => textOf(m).includes('Resumen del martes'))).toHaveLength(0);
  });
});

describe('GET /calendario.ics', () => {
  it('a wrong or missing token gets 404 and nothing else', async () => {
    await start();
    for (const q of ['', '?token=', '?token=wrong-token-0123456789abcd']) {
      const res = await fetch(`${h.baseUrl}/calendario.ics${q}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('');
    }
  });

  it('parses with a real iCalendar parser and round-trips repetitions, removed and moved dates, in a DST zone', async () => {
    const tz = 'America/Santiago';
    await start({ TIMEZONE: tz }, at('2026-08-20', '08:00', tz));
    const repo = new SqliteCalendarRepository(h.app.db);
    const { entry } = repo.insert({ title: 'Pauta semanal', kind: 'meeting', startDate: '2026-08-31', time: '10:00', ownerId: null, recurrence: { freq: 'weekly', weekdays: [1] }, untilDate: '2026-09-28', reminders: [], notes: null }, h.personOf(U.author), clock.now());
    repo.setException({ entryId: entry.id, occurrenceDate: '2026-09-14', action: 'skip', newDate: null, newTime: null, newTitle: null });
    repo.setException({ entryId: entry.id, occurrenceDate: '2026-09-21', action: 'move', newDate: '2026-09-22', newTime: '12:00', newTitle: 'Pauta semanal (martes)' });
    repo.insert({ title: 'Día Mundial del Medio Ambiente', kind: 'commemoration', startDate: '2027-06-05', time: null, ownerId: null, recurrence: { freq: 'yearly' }, untilDate: null, reminders: [], notes: null }, h.personOf(U.author), clock.now());
    await h.createPiece(U.author, { title: 'Comunicado de cierre', date: '2026-09-10', time: '18:30' });

    const res = await fetch(`${h.baseUrl}/calendario.ics?token=${FEED_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/calendar');
    const text = await res.text();
    const comp = new ICAL.Component(ICAL.parse(text));
    const tzComp = comp.getFirstSubcomponent('vtimezone')!;
    const zone = new ICAL.Timezone(tzComp);
    ICAL.TimezoneService.register(zone, tz);
    const events = comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));

    const series = events.find((e) => e.summary === 'Pauta semanal' && !e.isRecurrenceException())!;
    for (const ex of events.filter((e) => e.isRecurrenceException())) series.relateException(ex);
    const it = series.iterator();
    const starts: string[] = [];
    for (let next = it.next(); next && starts.length < 10; next = it.next()) {
      const occ = series.getOccurrenceDetails(next);
      starts.push(`${occ.item.summary} ${occ.startDate.toJSDate().toISOString()}`);
    }
    expect(starts).toEqual([
      'Pauta semanal 2026-08-31T14:00:00.000Z', // 10:00 at UTC-4
      'Pauta semanal 2026-09-07T13:00:00.000Z', // 10:00 at UTC-3, after the change on 6 September
      'Pauta semanal (martes) 2026-09-22T15:00:00.000Z', // 21 moved to 22 at 12:00
      'Pauta semanal 2026-09-28T13:00:00.000Z',
    ]);

    const yearly = events.find((e) => e.summary === 'Día Mundial del Medio Ambiente')!;
    expect(yearly.startDate.isDate).toBe(true);
    expect(yearly.component.getFirstPropertyValue('rrule')!.toString()).toBe('FREQ=YEARLY');
    const piece = events.find((e) => e.summary.startsWith('Pieza #1'))!;
    expect(piece.startDate.toJSDate().toISOString()).toBe('2026-09-10T21:30:00.000Z');
  });
});

describe('CSV import of a yearly programme', () => {
  it('imports the example programme, reports bad lines by number, and does not duplicate on a second import', async () => {
    await start();
    const db = h.app.db;
    const calendar = h.app.core.calendar;
    const example = readFileSync(new URL('../../examples/programa-anual-2027.csv', import.meta.url), 'utf8');
    const first = importCalendarCsv(example, calendar, es);
    expect(first).toEqual({ imported: 14, updated: 0, existing: 0, errors: [], warnings: [], fileError: null });
    expect(importCalendarCsv(example, calendar, es)).toEqual({ imported: 0, updated: 0, existing: 14, errors: [], warnings: [], fileError: null });

    const bad = ['fecha,hora,tipo,titulo,repeticion,dias', '2027-02-30,10:00,comunicado,Imposible,,', '2027-03-01,,bailable,Tipo raro,,', '2027-03-02,,comunicado,Semanal sin días,semanal,', '2027-03-03,,comunicado,Buena,,'].join('\n');
    const r = importCalendarCsv(bad, calendar, es);
    expect(r.imported).toBe(1);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(r.errors[0]!.message).toContain('fecha: Esa fecha no existe');
    expect(r.errors[2]!.message).toContain('dias: Elija al menos un día');

    const month = await replyText('2027-02');
    expect(month).toContain('Conferencia de prensa');
    expect(month).toContain('Elaboración y difusión de comunicado mensual');
  });
});
