import { afterEach, describe, expect, it } from 'vitest';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { CAL_ACTION, CAL_FORM } from '../../src/views/ids.js';
import { Harness, SteppingClock, U, buttonsOf, textOf, waitFor } from '../helpers/harness.js';

const TZ = 'America/Mexico_City';
const at = (date: string, time: string, tz = TZ) => localToEpoch(date, time, tz)!;
// Sunday 22 November 2026, 08:00 in Mexico City.
const START = at('2026-11-22', '08:00');

let h: Harness;
let clock: SteppingClock;
afterEach(async () => {
  await h?.stop();
});

async function start(env: Record<string, string> = {}, startAt = START) {
  clock = new SteppingClock(startAt);
  h = await Harness.start({ clock, env: { CALENDAR_CHANNEL_ID: 'CCAL', DIGEST_CHANNEL_ID: 'CDIGEST', ...env } });
}

/** Moves the clock, ticks the scheduler as the timer would, waits for the messages to go out. */
async function stepTo(ms: number) {
  clock.set(ms);
  await h.app.jobs.tick();
  await h.settle();
}

const replyText = async (text: string, user: string = U.author) => textOf((await h.reply((await h.command(user, text, '/calendario')).rid)) as never);
const reminderRows = () => h.app.db.prepare(`SELECT key, state AS status, late, due_at FROM jobs WHERE kind = 'calendar.reminder' ORDER BY due_at`).all() as { key: string; status: string; late: number; due_at: number }[];

describe('/calendario', () => {
  it('quick add, then the month view shows the day as a heading with the entry and planned pieces with their stage', async () => {
    await start();
    expect(await replyText('agregar 2026-12-07 10:00 Conferencia de prensa')).toContain('Listo: fecha #1 agregada: «Conferencia de prensa», lunes 7 de diciembre, 10:00.');
    await h.createPiece(U.author, { title: 'Boletín de obras', date: '2026-12-07', time: '08:30' });
    const month = await replyText('2026-12');
    expect(month).toContain('Calendario de diciembre de 2026');
    expect(month).toContain('*lunes 7 de diciembre*');
    expect(month).toMatch(/08:30 · Pieza #1 \*Boletín de obras\* · revisión de contenido[\s\S]*10:00 · conferencia de prensa · \*Conferencia de prensa\*/);
    expect(await replyText('semana')).toContain('No hay nada en el calendario para estas fechas.');
  });

  it('an impossible date, a past date or unreadable text gets a clear message and stores nothing', async () => {
    await start();
    expect(await replyText('agregar 2026-02-30 10:00 Rueda de prensa')).toContain('Esa fecha no existe');
    expect(await replyText('agregar 2026-11-01 Informe')).toContain('Esa fecha ya pasó');
    expect(await replyText('agregar el martes que viene')).toContain('No entendí la fecha');
    expect(h.app.db.prepare('SELECT count(*) AS n FROM calendar_entries').get()).toEqual({ n: 0 });
  });

  it('«publicar» inside a title is part of the title, not the flag', async () => {
    await start();
    const r = await h.reply((await h.command(U.author, 'agregar 2026-12-07 Publicar informe anual', '/calendario')).rid);
    expect(r.response_type).toBe('ephemeral');
    expect(await replyText('1')).toContain('#1 Publicar informe anual');
  });

  it('speaks English with LOCALE=en, month names included', async () => {
    await start({ LOCALE: 'en' });
    await replyText('agregar 2026-12-07 10:00 Press conference');
    const month = await replyText('2026-12');
    expect(month).toContain('Calendar for December 2026');
    expect(month).toContain('*Monday, December 7*');
  });

  it('a replayed form submission adds one entry', async () => {
    await start();
    const n = h.slack.callsOf('views.open').length;
    await h.command(U.author, 'agregar', '/calendario');
    const form = await h.openedView(n);
    const values = { title: 'Cobertura del foro', date: '2026-12-03', time: null, kind: 'coverage', owner: null, recurrence: 'none', weekdays: [], until: null, reminders: ['day_before'] };
    await Promise.all([h.submit(U.author, form, values, 'VSAMECAL'), h.submit(U.author, form, values, 'VSAMECAL')]);
    expect(h.app.db.prepare('SELECT count(*) AS n FROM calendar_entries').get()).toEqual({ n: 1 });
    expect(h.app.db.prepare("SELECT count(*) AS n FROM jobs WHERE kind = 'calendar.reminder' AND state = 'pending'").get()).toEqual({ n: 1 });
  });

  it('only the person who asked sees the answer, unless they add «publicar»', async () => {
    await start();
    const quiet = await h.reply((await h.command(U.author, 'hoy', '/calendario')).rid);
    const loud = await h.reply((await h.command(U.author, 'hoy publicar', '/calendario')).rid);
    expect(quiet.response_type).toBe('ephemeral');
    expect(loud.response_type).toBe('in_channel');
  });
});

describe('reminders', () => {
  it('fire once at 09:00 the day before and one hour before, to the owner and the calendar channel, across a day boundary', async () => {
    await start();
    await replyText('agregar 2026-11-24 10:00 Conferencia de prensa');
    const rows = reminderRows();
    expect(rows.map((r) => r.due_at)).toEqual([at('2026-11-23', '09:00'), at('2026-11-24', '09:00')]);

    await stepTo(at('2026-11-23', '08:59'));
    expect(h.slack.dmsTo(U.author)).toHaveLength(0);
    await stepTo(at('2026-11-23', '09:00') + 2000);
    const dm = await waitFor(() => h.slack.dmsTo(U.author)[0]);
    expect(textOf(dm)).toContain('Recordatorio: Conferencia de prensa — martes 24 de noviembre, 10:00.');
    expect(h.slack.inChannel('CCAL')).toHaveLength(1);
    // Ticking again sends nothing twice.
    await stepTo(at('2026-11-23', '09:00') + 5000);
    expect(h.slack.dmsTo(U.author)).toHaveLength(1);

    await stepTo(at('2026-11-24', '09:00') + 1000);
    expect(h.slack.dmsTo(U.author)).toHaveLength(2);
    expect(reminderRows().map((r) => r.status)).toEqual(['done', 'done']);
  });

  it('after a restart: what was missed in the last hours is sent marked late, older ones are recorded as skipped, nothing twice', async () => {
    await start();
    await replyText('agregar 2026-11-23 08:00 Reunión temprana'); // reminder: 22 Nov 09:00 (day before)
    await replyText('agregar 2026-11-24 15:00 Conferencia'); // reminders: 23 Nov 09:00 and 24 Nov 14:00
    await h.stopApp();
    // The bot is down from Sunday 08:00 to Monday 11:00.
    clock.set(at('2026-11-23', '11:00'));
    h = await Harness.start({ clock, slack: h.slack, dbPath: h.dbPath, env: { CALENDAR_CHANNEL_ID: 'CCAL', REMINDER_GRACE_HOURS: '6' } });
    await h.app.jobs.tick();
    await h.settle();
    const rows = reminderRows();
    const byKey = (part: string) => rows.find((r) => r.key.includes(part))!;
    expect(byKey(':2026-11-23:day_before')).toMatchObject({ status: 'skipped', late: 1 }); // 26 hours late
    expect(byKey(':2026-11-23:hour_before')).toMatchObject({ status: 'done', late: 1 }); // 4 hours late
    expect(byKey(':2026-11-24:day_before')).toMatchObject({ status: 'done', late: 1 }); // 2 hours late
    expect(byKey(':2026-11-24:hour_before')).toMatchObject({ status: 'pending' });
    const late = h.slack.dmsTo(U.author);
    expect(late).toHaveLength(2);
    for (const m of late) expect(textOf(m)).toContain('Con retraso');
    await h.app.jobs.tick();
    await h.settle();
    expect(h.slack.dmsTo(U.author)).toHaveLength(2);
  });

  it('a moved entry reminds at the new time only; a deleted one never', async () => {
    await start();
    await replyText('agregar 2026-11-25 10:00 Conferencia');
    await replyText('agregar 2026-11-25 12:00 Cobertura');
    // Move entry 1 to the 26th at 17:00 through Editar.
    const card = await h.reply((await h.command(U.author, '1', '/calendario')).rid);
    const opened = h.slack.callsOf('views.open').length;
    await h.clickValue(U.author, { channel: 'CGENERAL', ts: '1.1', text: '', blocks: card.blocks as never }, CAL_ACTION.edit, buttonsOf({ channel: '', ts: '', text: '', blocks: card.blocks as never }).find((b) => b.action_id === CAL_ACTION.edit)!.value);
    const view = await h.openedView(opened);
    expect(view.callback_id).toBe(CAL_FORM.edit);
    const res = await h.submit(U.author, view, { title: 'Conferencia', date: '2026-11-26', time: '17:00', kind: 'press_conference', owner: null, recurrence: 'none', weekdays: [], until: null, reminders: ['day_before', 'hour_before'] });
    expect(res.text).toBe('');
    // Delete entry 2 through Borrar.
    const card2 = await h.reply((await h.command(U.author, '2', '/calendario')).rid);
    const opened2 = h.slack.callsOf('views.open').length;
    const msg2 = { channel: 'CGENERAL', ts: '1.2', text: '', blocks: card2.blocks as never };
    await h.click(U.author, msg2, CAL_ACTION.remove);
    await h.submit(U.author, await h.openedView(opened2), {});
    await waitFor(() => (h.app.db.prepare('SELECT deleted_at FROM calendar_entries WHERE id = 2').get() as { deleted_at: number | null }).deleted_at);

    for (const t of [at('2026-11-24', '09:00'), at('2026-11-25', '09:00'), at('2026-11-25', '11:00'), at('2026-11-25', '16:00'), at('2026-11-26', '16:00')]) await stepTo(t + 1000);
    const texts = h.slack.dmsTo(U.author).map(textOf);
    expect(texts.filter((t) => t.includes('Recordatorio'))).toHaveLength(2);
    expect(texts.every((t) => !t.includes('Cobertura'))).toBe(true);
    expect(texts.filter((t) => t.includes('jueves 26 de noviembre, 17:00'))).toHaveLength(2);
  });

  it('follow the office clock through a daylight-saving change (America/Santiago)', async () => {
    const tz = 'America/Santiago';
    await start({ TIMEZONE: tz }, at('2026-08-30', '08:00', tz));
    await replyText('agregar 2026-08-31 10:00 Reunión de pauta semanal');
    // Make it weekly on Mondays through the change on Sunday 6 September.
    const card = await h.reply((await h.command(U.author, '1', '/calendario')).rid);
    const msg = { channel: 'CGENERAL', ts: '1.1', text: '', blocks: card.blocks as never };
    const opened = h.slack.callsOf('views.open').length;
    await h.click(U.author, msg, CAL_ACTION.edit);
    await h.submit(U.author, await h.openedView(opened), { title: 'Reunión de pauta semanal', date: '2026-08-31', time: '10:00', kind: 'meeting', owner: null, recurrence: 'weekly', weekdays: ['1'], until: '2026-09-14', reminders: ['hour_before'] });
    await waitFor(() => reminderRows().filter((r) => r.status === 'pending').length === 3);
    const due = reminderRows().filter((r) => r.status === 'pending').map((r) => new Date(r.due_at).toISOString());
    // 09:00 local: UTC-4 before the change, UTC-3 after.
    expect(due).toEqual(['2026-08-31T13:00:00.000Z', '2026-09-07T12:00:00.000Z', '2026-09-14T12:00:00.000Z']);
    await stepTo(Date.parse('2026-09-07T12:00:01Z'));
    expect(h.slack.dmsTo(U.author).map(textOf).join()).toContain('lunes 7 de septiembre, 10:00');
  });
});

describe('repeating entries from Slack', () => {
  it('Borrar «solo esta fecha» removes one occurrence; Editar «solo esta fecha» moves one; the series stays', async () => {
    await start();
    const opened = h.slack.callsOf('views.open').length;
    await h.command(U.author, 'agregar', '/calendario');
    const form = await h.openedView(opened);
    expect(form.callback_id).toBe(CAL_FORM.add);
    // Weekly on Monday and Wednesday without days is refused in the modal.
    const bad = await h.submit(U.author, form, { title: 'Pauta en redes', date: '2026-11-23', time: '09:30', kind: 'paid_promotion', owner: U.designer, recurrence: 'weekly', weekdays: [], until: '2026-12-09', reminders: [] }, 'VCAL1');
    expect(JSON.parse(bad.text).errors.weekdays).toBe('Elija al menos un día de la semana.');
    await h.submit(U.author, form, { title: 'Pauta en redes', date: '2026-11-23', time: '09:30', kind: 'paid_promotion', owner: U.designer, recurrence: 'weekly', weekdays: ['1', '3'], until: '2026-12-09', reminders: [] }, 'VCAL1');
    await waitFor(() => h.slack.callsOf('chat.postEphemeral').find((c) => String(c.args.text).includes('fecha #1 agregada')));

    const card = await h.reply((await h.command(U.author, '1', '/calendario')).rid);
    expect(textOf(card as never)).toContain('Cada semana: lunes, miércoles, hasta el miércoles 9 de diciembre');
    expect(textOf(card as never)).toContain(`<@${U.designer}>`); // the Responsable picked in the form
    const msg = { channel: 'CGENERAL', ts: '1.1', text: '', blocks: card.blocks as never };
    // The card is for the next occurrence, Monday 23.
    let n = h.slack.callsOf('views.open').length;
    await h.click(U.author, msg, CAL_ACTION.remove);
    await h.submit(U.author, await h.openedView(n), { scope: 'occurrence' });
    // The card changed: its buttons are for the version before; a fresh card is for Wednesday 25.
    expect(String((await h.reply((await h.click(U.author, msg, CAL_ACTION.edit)).rid)).text)).toContain('vuelva a abrir la fecha #1');
    const fresh = { ...msg, blocks: (await h.reply((await h.command(U.author, '1', '/calendario')).rid)).blocks as never };
    n = h.slack.callsOf('views.open').length;
    await h.click(U.author, fresh, CAL_ACTION.edit);
    const edit = await h.openedView(n);
    await h.submit(U.author, edit, { title: 'Pauta en redes (especial)', date: '2026-11-26', time: '11:00', kind: 'paid_promotion', owner: U.designer, recurrence: 'weekly', weekdays: ['1', '3'], until: '2026-12-09', reminders: [], scope: 'occurrence' });
    await waitFor(() => h.slack.callsOf('chat.postEphemeral').find((c) => String(c.args.text).includes('fecha #1 actualizada')));

    const week = await replyText('semana');
    expect(week).not.toContain('*lunes 23 de noviembre*');
    expect(week).not.toContain('*miércoles 25 de noviembre*');
    expect(week).toMatch(/\*jueves 26 de noviembre\*[\s\S]*11:00 · pauta · \*Pauta en redes \(especial\)\*/);
    expect(await replyText('2026-11')).toMatch(/\*lunes 30 de noviembre\*[\s\S]*09:30 · pauta · \*Pauta en redes\*/);
    // Someone who is not the creator, the owner, an approver or an admin cannot change it.
    const current = { ...msg, blocks: (await h.reply((await h.command(U.other, '1', '/calendario')).rid)).blocks as never };
    expect(buttonsOf(current)).toEqual([]);
    const other = await h.click(U.other, fresh, CAL_ACTION.edit);
    expect(String((await h.reply(other.rid)).text)).toContain('Solo quien la creó');
  });
});

describe('pieces planned for tomorrow that are not approved', () => {
  it('alert the author and the approvers at 09:00, once; an approved piece does not', async () => {
    await start();
    const late = await h.createPiece(U.author, { title: 'Campaña de invierno', kind: 'graphic', date: '2026-11-23', time: '12:00' });
    const ready = await h.createPiece(U.author2, { title: 'Aviso de cortes', date: '2026-11-23', time: '12:00' });
    await h.click(U.approver, ready.card, 'piece.approve');
    await h.settle();
    await stepTo(at('2026-11-22', '09:00') + 1000);
    const alert = await waitFor(() => h.slack.dmsTo(U.approver2).find((m) => textOf(m).includes('Se publica mañana')));
    expect(textOf(alert)).toContain(`Se publica mañana y sigue en revisión de contenido: pieza #${late.id} «Campaña de invierno».`);
    expect(h.slack.dmsTo(U.author).filter((m) => textOf(m).includes('Se publica mañana'))).toHaveLength(1);
    expect(h.slack.dmsTo(U.author2).filter((m) => textOf(m).includes('Se publica mañana'))).toHaveLength(0);
    await stepTo(at('2026-11-22', '15:00'));
    expect(h.slack.dmsTo(U.author).filter((m) => textOf(m).includes('Se publica mañana'))).toHaveLength(1);
  });
});
