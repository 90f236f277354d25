import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { CAL_ACTION, CAL_FORM } from '../../src/views/ids.js';
import type { StoredMessage } from '../helpers/fake-slack.js';
import { Harness, SteppingClock, U, buttonsOf, textOf, waitFor } from '../helpers/harness.js';
import type { FieldValue } from '../helpers/slack-client.js';

const TZ = 'America/Mexico_City';
const at = (date: string, time: string, tz = TZ) => localToEpoch(date, time, tz)!;
const FEED_TOKEN = 'feed-token-0123456789abcdef';

let h: Harness;
let clock: SteppingClock;
afterEach(async () => {
  await h?.stop();
});

async function start(startAt: number) {
  clock = new SteppingClock(startAt);
  h = await Harness.start({ clock, env: { CALENDAR_CHANNEL_ID: 'CCAL', CALENDAR_FEED_TOKEN: FEED_TOKEN } });
}

async function stepTo(ms: number) {
  clock.set(ms);
  await h.app.jobs.tick();
  await h.settle();
}

const replyText = async (text: string, user: string = U.author) => textOf((await h.reply((await h.command(user, text, '/calendario')).rid)) as never);

let cardSeq = 0;
/** `/calendario N` as `user`: the card as the person sees it. */
async function card(id: number, user: string = U.author): Promise<StoredMessage> {
  const r = await h.reply((await h.command(user, String(id), '/calendario')).rid);
  return { channel: 'CGENERAL', ts: `9.${++cardSeq}`, text: String(r.text ?? ''), blocks: r.blocks as never };
}

/** Clicks a card's button and returns the modal it opened. */
async function openForm(msg: StoredMessage, action: string, user: string = U.author): Promise<Record<string, unknown>> {
  const n = h.slack.callsOf('views.open').length;
  await h.click(user, msg, action);
  return h.openedView(n);
}

/** What a modal shows before the person touches it, as the values a submission would carry. */
function initialValues(view: Record<string, unknown>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const b of view.blocks as { block_id?: string; element?: Record<string, unknown> }[]) {
    const el = b.element;
    if (!b.block_id || !el) continue;
    const opt = el.initial_option as { value: string } | undefined;
    const opts = el.initial_options as { value: string }[] | undefined;
    out[b.block_id] = (el.initial_value ?? el.initial_date ?? el.initial_time ?? el.initial_user ?? opt?.value ?? opts?.map((o) => o.value) ?? (el.type === 'checkboxes' ? [] : null)) as FieldValue;
  }
  return out;
}

const notesTo = (user: string) => h.slack.callsOf('chat.postEphemeral').filter((c) => c.args.user === user).map((c) => String(c.args.text));
const entryRow = (id: number) => h.app.db.prepare('SELECT title, start_date, deleted_at FROM calendar_entries WHERE id = ?').get(id) as { title: string; start_date: string; deleted_at: number | null };

/** Adds an entry through /calendario agregar → form, as a person does. */
async function addThroughForm(values: Record<string, FieldValue>, user: string = U.author) {
  const n = h.slack.callsOf('views.open').length;
  const before = notesTo(user).length;
  await h.command(user, 'agregar', '/calendario');
  const res = await h.submit(user, await h.openedView(n), values);
  expect(res.text).toBe('');
  await waitFor(() => notesTo(user).length > before);
}

/** Every occurrence in the feed as «title date», through ical.js. */
async function feedOccurrences(until: string): Promise<string[]> {
  const res = await fetch(`${h.baseUrl}/calendario.ics?token=${FEED_TOKEN}`);
  expect(res.status).toBe(200);
  const comp = new ICAL.Component(ICAL.parse(await res.text()));
  const tzComp = comp.getFirstSubcomponent('vtimezone');
  if (tzComp) ICAL.TimezoneService.register(new ICAL.Timezone(tzComp), TZ);
  const events = comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  const out: string[] = [];
  for (const series of events.filter((e) => !e.isRecurrenceException())) {
    for (const ex of events.filter((e) => e.isRecurrenceException() && e.uid === series.uid)) series.relateException(ex);
    const it = series.iterator();
    for (let next = it.next(); next && out.length < 500; next = it.next()) {
      const occ = series.getOccurrenceDetails(next);
      const date = occ.startDate.toString().slice(0, 10);
      if (date > until) break;
      out.push(`${occ.item.summary} ${date}`);
    }
  }
  return out.sort((a, b) => a.slice(-10).localeCompare(b.slice(-10)));
}

describe('editing a repeating entry from its card (fault 5)', () => {
  it('«toda la serie» with only the title changed keeps every date, past and future, in the views and the feed', async () => {
    await start(at('2026-10-01', '08:00'));
    await addThroughForm({ title: 'Reunión de pauta', date: '2026-10-05', time: '10:00', kind: 'meeting', owner: null, recurrence: 'weekly', weekdays: ['1'], until: '2026-12-31', reminders: ['day_before'] });
    // Seven weeks later: the series started in the past; the card is for Monday 23 November.
    clock.set(at('2026-11-22', '08:00'));
    const form = await openForm(await card(1), CAL_ACTION.edit);
    expect(form.callback_id).toBe(CAL_FORM.edit);
    const values = initialValues(form);
    expect(values).toMatchObject({ title: 'Reunión de pauta', date: '2026-11-23', recurrence: 'weekly', scope: 'series' });
    expect((await h.submit(U.author, form, { ...values, title: 'Reunión de pauta editorial' })).text).toBe('');
    await waitFor(() => notesTo(U.author).find((t) => t.includes('fecha #1 actualizada')));

    expect(entryRow(1)).toMatchObject({ title: 'Reunión de pauta editorial', start_date: '2026-10-05' });
    const mondays = ['2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30', '2026-12-07', '2026-12-14', '2026-12-21', '2026-12-28'];
    const months = (await replyText('2026-10')) + (await replyText('2026-11')) + (await replyText('2026-12'));
    expect(months.match(/10:00 · reunión · \*Reunión de pauta editorial\*/g)).toHaveLength(mondays.length);
    expect(await replyText('2026-12')).toMatch(/lunes 7 de diciembre[\s\S]*lunes 14 de diciembre[\s\S]*lunes 21 de diciembre[\s\S]*lunes 28 de diciembre/);
    expect(await feedOccurrences('2027-12-31')).toEqual(mondays.map((d) => `Reunión de pauta editorial ${d}`));
  });

  it('«toda la serie» with the date changed moves every date by the same number of days', async () => {
    await start(at('2026-10-01', '08:00'));
    await addThroughForm({ title: 'Informe mensual', date: '2026-10-15', time: null, kind: 'press_release', owner: null, recurrence: 'monthly', weekdays: [], until: null, reminders: ['day_before'] });
    clock.set(at('2026-11-22', '08:00'));
    const form = await openForm(await card(1), CAL_ACTION.edit);
    expect(initialValues(form).date).toBe('2026-12-15');
    await h.submit(U.author, form, { ...initialValues(form), date: '2026-12-16' });
    await waitFor(() => notesTo(U.author).find((t) => t.includes('fecha #1 actualizada')));
    expect(entryRow(1).start_date).toBe('2026-10-16');
    expect(await replyText('2026-10')).toContain('viernes 16 de octubre');
    expect(await replyText('2027-01')).toContain('sábado 16 de enero');
  });

  it('«solo esta fecha» moves that date only; the series keeps its start and its other dates', async () => {
    await start(at('2026-10-01', '08:00'));
    await addThroughForm({ title: 'Reunión de pauta', date: '2026-10-05', time: '10:00', kind: 'meeting', owner: null, recurrence: 'weekly', weekdays: ['1'], until: '2026-12-31', reminders: [] });
    clock.set(at('2026-11-22', '08:00'));
    const form = await openForm(await card(1), CAL_ACTION.edit);
    await h.submit(U.author, form, { ...initialValues(form), date: '2026-11-24', scope: 'occurrence' });
    await waitFor(() => notesTo(U.author).find((t) => t.includes('fecha #1 actualizada')));
    expect(entryRow(1).start_date).toBe('2026-10-05');
    const nov = await replyText('2026-11');
    expect(nov).not.toContain('lunes 23 de noviembre');
    expect(nov).toContain('martes 24 de noviembre');
    expect(nov).toContain('lunes 2 de noviembre');
  });
});

describe('a date moved far away (fault 7)', () => {
  const dmTexts = () => h.slack.dmsTo(U.author).map(textOf);

  it('shows on its new date and is reminded there, moved 90 and 400 days ahead or 400 days back, across years', async () => {
    await start(at('2026-11-22', '08:00'));
    await addThroughForm({ title: 'Reunión de pauta', date: '2026-11-23', time: '10:00', kind: 'meeting', owner: null, recurrence: 'weekly', weekdays: ['1'], until: null, reminders: ['day_before'] });
    await addThroughForm({ title: 'Aniversario', date: '2028-01-10', time: '10:00', kind: 'commemoration', owner: null, recurrence: 'yearly', weekdays: [], until: null, reminders: ['day_before'] });
    const moveNext = async (id: number, date: string, title: string) => {
      const form = await openForm(await card(id), CAL_ACTION.edit);
      const before = notesTo(U.author).length;
      await h.submit(U.author, form, { ...initialValues(form), date, title, scope: 'occurrence' });
      await waitFor(() => notesTo(U.author).length > before);
      expect(notesTo(U.author).at(-1)).toContain(`fecha #${id} actualizada`);
    };
    await moveNext(1, '2027-02-21', 'Pauta a 90 días'); // Monday 23 November 2026 + 90 days
    await moveNext(1, '2028-01-04', 'Pauta a 400 días'); // Monday 30 November 2026 + 400 days
    await moveNext(2, '2026-12-06', 'Aniversario adelantado'); // 10 January 2028 − 400 days

    expect(await replyText('2027-02')).toMatch(/domingo 21 de febrero\*[\s\S]*10:00 · reunión · \*Pauta a 90 días\*/);
    expect(await replyText('2028-01')).toMatch(/martes 4 de enero\*[\s\S]*10:00 · reunión · \*Pauta a 400 días\*/);
    const dec = await replyText('2026-12');
    expect(dec).toMatch(/domingo 6 de diciembre\*[\s\S]*10:00 · efeméride · \*Aniversario adelantado\*/);
    const nov = await replyText('2026-11');
    expect(nov).not.toContain('lunes 23 de noviembre');
    expect(nov).not.toContain('lunes 30 de noviembre');
    expect(await replyText('2028-01')).not.toContain('efeméride');
    // The card's «Próxima» is the date moved back, now the nearest.
    expect(textOf((await card(2)) as never)).toContain('domingo 6 de diciembre, 10:00');

    // Reminders at 09:00 the day before each new date; the planner looks ahead as days pass.
    await stepTo(at('2026-12-05', '09:00') + 1000);
    await waitFor(() => dmTexts().find((t) => t.includes('Recordatorio: Aniversario adelantado — domingo 6 de diciembre, 10:00')));
    for (const [plan, due, text] of [
      ['2027-02-19', '2027-02-20', 'Recordatorio: Pauta a 90 días — domingo 21 de febrero, 10:00'],
      ['2028-01-02', '2028-01-03', 'Recordatorio: Pauta a 400 días — martes 4 de enero, 10:00'],
    ] as const) {
      await stepTo(at(plan, '08:00'));
      await stepTo(at(due, '09:00') + 1000);
      await waitFor(() => dmTexts().find((t) => t.includes(text)));
    }
    expect(dmTexts().filter((t) => t.includes('Pauta a') || t.includes('Aniversario'))).toHaveLength(3);
    expect(dmTexts().some((t) => t.includes('lunes 23 de noviembre') || t.includes('lunes 30 de noviembre') || t.includes('Aniversario — lunes 10 de enero'))).toBe(false);
  });
});

describe('two people editing the same entry (fault 6)', () => {
  const series = { title: 'Reunión de pauta', date: '2026-11-23', time: '10:00', kind: 'meeting', owner: null, recurrence: 'weekly', weekdays: ['1'], until: '2026-12-31', reminders: ['day_before'] };
  const version = () => (h.app.db.prepare('SELECT version FROM calendar_entries WHERE id = 1').get() as { version: number }).version;
  const stale = `Esta fecha fue modificada por <@${U.approver}> hoy a las 08:30; vuelva a abrir la fecha #1 para ver cómo quedó.`;

  it('the first save stands; the second, from a form opened before it, is refused and says who changed it and when', async () => {
    await start(at('2026-11-22', '08:00'));
    await addThroughForm(series);
    const mine = await openForm(await card(1), CAL_ACTION.edit);
    const theirs = await openForm(await card(1, U.approver), CAL_ACTION.edit, U.approver);
    clock.set(at('2026-11-22', '08:30'));
    await h.submit(U.approver, theirs, { ...initialValues(theirs), title: 'Pauta (sala 2)' });
    await waitFor(() => notesTo(U.approver).find((t) => t.includes('fecha #1 actualizada')));
    clock.set(at('2026-11-22', '08:40'));
    const before = notesTo(U.author).length;
    expect((await h.submit(U.author, mine, { ...initialValues(mine), title: 'Pauta (virtual)', time: '11:00' })).text).toBe('');
    const note = await waitFor(() => notesTo(U.author)[before]);
    expect(note).toBe(`No se guardó su cambio. ${stale}`);
    expect(entryRow(1).title).toBe('Pauta (sala 2)');
    expect(await replyText('semana')).toContain('10:00 · reunión · *Pauta (sala 2)*');
    expect(version()).toBe(2);
  });

  it('a stale delete removes nothing; moving or removing one date counts as a change too', async () => {
    await start(at('2026-11-22', '08:00'));
    await addThroughForm(series);
    const oldCard = await card(1);
    const remove = await openForm(oldCard, CAL_ACTION.remove);
    const edit = await openForm(oldCard, CAL_ACTION.edit);
    clock.set(at('2026-11-22', '08:30'));
    // Someone else removes Monday 23 only.
    const theirs = await openForm(await card(1, U.approver), CAL_ACTION.remove, U.approver);
    await h.submit(U.approver, theirs, { scope: 'occurrence' });
    await waitFor(() => notesTo(U.approver).find((t) => t.includes('Listo')));
    expect(version()).toBe(2);

    await h.submit(U.author, remove, { scope: 'series' });
    expect(await waitFor(() => notesTo(U.author).find((t) => t.includes('No se borró')))).toBe(`No se borró nada. ${stale}`);
    expect(entryRow(1).deleted_at).toBeNull();
    await h.submit(U.author, edit, { ...initialValues(edit), title: 'Otra', scope: 'occurrence' });
    await waitFor(() => notesTo(U.author).filter((t) => t.includes('modificada')).length === 2);
    expect(await replyText('2026-11')).not.toContain('lunes 23 de noviembre');
    // The old card's buttons say so before a form is filled in; a fresh card works.
    const click = await h.click(U.author, oldCard, CAL_ACTION.edit);
    expect(String((await h.reply(click.rid)).text)).toBe(stale);
    const n = h.slack.callsOf('views.open').length;
    await openForm(await card(1), CAL_ACTION.edit);
    expect(h.slack.callsOf('views.open')).toHaveLength(n + 1);
  });

  it('an edit of a series someone deleted says so', async () => {
    await start(at('2026-11-22', '08:00'));
    await addThroughForm(series);
    const edit = await openForm(await card(1), CAL_ACTION.edit);
    clock.set(at('2026-11-22', '08:30'));
    const theirs = await openForm(await card(1, U.approver), CAL_ACTION.remove, U.approver);
    await h.submit(U.approver, theirs, { scope: 'series' });
    await waitFor(() => entryRow(1).deleted_at);
    await h.submit(U.author, edit, { ...initialValues(edit), title: 'Otra' });
    expect(await waitFor(() => notesTo(U.author).find((t) => t.includes('borrada')))).toBe(`No se guardó su cambio. Esta fecha fue borrada del calendario por <@${U.approver}> hoy a las 08:30.`);
  });

  it('a replayed submission of a form that already applied is not refused as stale, and applies once', async () => {
    await start(at('2026-11-22', '08:00'));
    await addThroughForm(series);
    const form = await openForm(await card(1), CAL_ACTION.edit);
    const values = { ...initialValues(form), title: 'Pauta (sala 2)' };
    await h.submit(U.author, form, values, 'VEDIT1');
    await h.submit(U.author, form, values, 'VEDIT1');
    await waitFor(() => notesTo(U.author).filter((t) => t.includes('fecha #1 actualizada')).length === 2);
    expect(notesTo(U.author).some((t) => t.includes('modificada'))).toBe(false);
    expect(version()).toBe(2);
    const remove = await openForm(await card(1), CAL_ACTION.remove);
    await Promise.all([h.submit(U.author, remove, { scope: 'occurrence' }, 'VDEL1'), h.submit(U.author, remove, { scope: 'occurrence' }, 'VDEL1')]);
    await waitFor(() => notesTo(U.author).filter((t) => t.includes('Listo: se quitó')).length === 2);
    expect(notesTo(U.author).some((t) => t.includes('modificada') || t.includes('No existe'))).toBe(false);
    expect(version()).toBe(3);
  });
});
