import { afterEach, describe, expect, it } from 'vitest';
import { buttonsOf, GENERAL, Harness, headerOf, SteppingClock, textOf, U, waitFor } from '../helpers/harness.js';
import { messageShortcutPayload, payloadBody, postSigned } from '../helpers/slack-client.js';
import { at, inquiryEnv, INQ, MIN, ON, pagesTo as pagesToKit, registerInquiry, stopWithoutErrors } from '../helpers/inquiry-kit.js';

/**
 * An inquiry's life after the first page, through the real app: the message shortcut, the morning
 * warnings and the overdue list on business days only, reminders of what was taken, «Soltar» and a
 * person leaving the rotation putting it back into escalation, /guardia, the digest section.
 */
const DIGEST = 'CDIGEST';

let h: Harness;
let clock: SteppingClock;
afterEach(() => stopWithoutErrors(h));

async function start(startAt: number, env: Record<string, string> = {}) {
  clock = new SteppingClock(startAt);
  h = await Harness.start({ clock, captureLogs: true, env: inquiryEnv({ DIGEST_CHANNEL_ID: DIGEST, ...env }) });
}

const register = (body: Record<string, unknown> = {}) => registerInquiry(h, body);
const pagesTo = (user: string) => pagesToKit(h, user);
const warningsTo = (user: string, folio: string) => h.slack.dmsTo(user).filter((m) => headerOf(m).startsWith(`${folio}:`));
const titled = (user: string, title: string) => h.slack.dmsTo(user).filter((m) => textOf(m).includes(title));

/** Sets the clock to a moment and fires what is due, as the running bot would. */
async function goTo(date: string, time: string) {
  clock.set(at(date, time));
  await h.app.jobs.tick();
  await h.settle();
}

describe('registering from any Slack message', () => {
  it('«Registrar consulta» opens the form with the message’s text and a link to it; the card keeps the link', async () => {
    await start(at('2026-11-18', '11:00'));
    h.slack.foreignMessages.add(`${GENERAL}:1763480000.000100`);
    const rid = 'shortcut-1';
    const res = await postSigned(
      h.baseUrl,
      payloadBody(messageShortcutPayload({ user: ON.a, callbackId: 'inq.register_from_message', channel: GENERAL, messageTs: '1763480000.000100', text: 'Me escribieron por Facebook: ¿cuándo abre la convocatoria? &lt;urgente&gt; &amp; gracias', author: U.other, responseUrl: h.slack.responseUrl(rid) })),
    );
    expect(res.status).toBe(200);
    const view = await h.openedView(0);
    const blocks = JSON.stringify(view.blocks);
    expect(blocks).toContain('¿cuándo abre la convocatoria? <urgente> & gracias');
    expect(blocks).toContain(`https://oficina.slack.com/archives/${GENERAL}/p1763480000000100`);
    const sent = await h.submit(ON.a, view, { channel: 'facebook', type: 'consulta', name: null, contact: null, text: 'Me escribieron por Facebook: ¿cuándo abre la convocatoria?', received_date: '2026-11-18', received_time: '10:45', source_link: `https://oficina.slack.com/archives/${GENERAL}/p1763480000000100` });
    expect(sent.status).toBe(200);
    const card = await waitFor(() => h.slack.inChannel(INQ)[0]);
    expect(headerOf(card)).toBe('CONS-2026-0001 · consulta');
    // The detail keeps the link to the message it came from.
    const detail = await h.command(ON.a, 'CONS-2026-0001', '/consulta');
    expect(textOf((await h.reply(detail.rid)) as never)).toContain('p1763480000000100');

    // One message, one inquiry: «Registrar consulta» on it again says which folio it already has.
    const again = await postSigned(h.baseUrl, payloadBody(messageShortcutPayload({ user: ON.b, callbackId: 'inq.register_from_message', channel: GENERAL, messageTs: '1763480000.000100', text: 'x', author: U.other, responseUrl: h.slack.responseUrl('s-again') })));
    expect(again.status).toBe(200);
    expect(textOf((await h.reply('s-again')) as never)).toContain('Ese mensaje ya está registrado como CONS-2026-0001');
    expect(h.slack.callsOf('views.open')).toHaveLength(1);

    // A message the bot cannot see: the form opens without the link rather than not at all.
    const res2 = await postSigned(h.baseUrl, payloadBody(messageShortcutPayload({ user: ON.a, callbackId: 'inq.register_from_message', channel: GENERAL, messageTs: '1763480000.000999', text: 'otro', author: U.other, responseUrl: h.slack.responseUrl('s2') })));
    expect(res2.status).toBe(200);
    const view2 = await h.openedView(1);
    expect(JSON.stringify(view2.blocks)).not.toContain('archives');

    // Two people who opened the form on the same message before either sent it: one inquiry.
    h.slack.foreignMessages.add(`${GENERAL}:1763480000.000200`);
    const open = async (user: string, rid: string) => {
      const n = h.slack.callsOf('views.open').length;
      await postSigned(h.baseUrl, payloadBody(messageShortcutPayload({ user, callbackId: 'inq.register_from_message', channel: GENERAL, messageTs: '1763480000.000200', text: 'Pregunta por WhatsApp', author: U.other, responseUrl: h.slack.responseUrl(rid) })));
      return h.openedView(n);
    };
    const va = await open(ON.a, 's3');
    const vb = await open(ON.b, 's4');
    const values = { channel: 'whatsapp', type: 'general', name: null, contact: null, text: 'Pregunta por WhatsApp', received_date: '2026-11-18', received_time: '10:50' };
    const [ra, rb] = await Promise.all([h.submit(ON.a, va, values), h.submit(ON.b, vb, values)]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    await h.settle();
    expect((h.app.db.prepare('SELECT count(*) AS n FROM inquiries').get() as { n: number }).n).toBe(2);
    const notes = [...h.slack.ephemerals, ...h.slack.dmsTo(ON.a), ...h.slack.dmsTo(ON.b)].map((m) => m.text);
    expect(notes.filter((t) => t.includes('Consulta registrada: CONS-2026-0002'))).toHaveLength(1);
    expect(notes.filter((t) => t.includes('ya está registrado como CONS-2026-0002'))).toHaveLength(1);
  });
});

describe('the /consulta form', () => {
  it('says on the form what is wrong — no text, a date in the future or over a year ago — and stores nothing', async () => {
    await start(at('2026-11-18', '11:00'));
    const n = h.slack.callsOf('views.open').length;
    await h.command(ON.a, '', '/consulta');
    const view = await h.openedView(n);
    const send = async (values: Record<string, string | null>) => JSON.parse((await h.submit(ON.a, view, { channel: 'web', type: 'informacion', name: null, contact: null, text: 'Solicito el padrón.', received_date: '2026-11-18', received_time: '10:00', ...values })).text || '{}') as { response_action?: string; errors?: Record<string, string> };
    expect(await send({ text: '   ' })).toMatchObject({ response_action: 'errors', errors: { text: expect.any(String) } });
    expect(await send({ received_date: '2026-11-19' })).toMatchObject({ response_action: 'errors', errors: { received_date: expect.any(String) } });
    expect(await send({ received_date: '2024-11-18' })).toMatchObject({ response_action: 'errors', errors: { received_date: expect.stringContaining('más de un año') } });
    expect((h.app.db.prepare('SELECT count(*) AS n FROM inquiries').get() as { n: number }).n).toBe(0);
    expect(await send({})).toEqual({});
    await waitFor(() => h.slack.inChannel(INQ).length === 1);
  });
});

describe('when Slack refuses', () => {
  it('an inquiry channel that does not exist: the admins are told which inquiry’s card did not arrive, and the pages still go out', async () => {
    await start(at('2026-11-18', '11:00'));
    h.slack.unknownChannels.add(INQ);
    const r = await register();
    await waitFor(() => pagesTo(ON.a).length === 1);
    const alert = await waitFor(() => h.slack.dmsTo(U.admin).find((m) => m.text.includes(r.folio)));
    expect(alert.text).toContain(`la consulta ${r.folio}`);
    expect(alert.text).toContain('canal de consultas');
    h.logs.splice(0); // the failure itself is logged at error level on purpose
  });
});

describe('the morning warnings, the overdue list and the reminders', () => {
  it('5, 2 and 1 business days before and on the day to the assignee, the admins from T-1; overdue every business day to the admins; nothing on weekends or holidays', async () => {
    // Monday 12 October 10:00 → due Monday 9 November (20 business days).
    await start(at('2026-10-12', '10:00'));
    const r = await register();
    expect(r.due_date).toBe('2026-11-09');
    const card = await waitFor(() => h.slack.inChannel(INQ)[0]);
    await h.click(ON.a, card, 'inq.take');
    await waitFor(() => h.slack.dmsTo(ON.a).some((m) => headerOf(m).startsWith('Tiene a su cargo')));

    const days = ['2026-10-30', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08', '2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-16', '2026-11-17'];
    const seen: Record<string, { a: number; admin: number; overdue: number; reminders: number }> = {};
    for (const day of days) {
      await goTo(day, '09:01');
      seen[day] = { a: warningsTo(ON.a, r.folio).length, admin: warningsTo(U.admin, r.folio).length, overdue: titled(U.admin, 'Consultas vencidas').length, reminders: titled(ON.a, 'Consultas a su cargo sin responder').length };
    }
    const delta = (day: string, prev: string) => ({ a: seen[day]!.a - seen[prev]!.a, admin: seen[day]!.admin - seen[prev]!.admin, overdue: seen[day]!.overdue - seen[prev]!.overdue });
    expect(seen['2026-10-30']).toMatchObject({ a: 0, admin: 0, overdue: 0 });
    expect(delta('2026-11-02', '2026-10-30')).toEqual({ a: 1, admin: 0, overdue: 0 }); // 5 left
    expect(delta('2026-11-03', '2026-11-02')).toEqual({ a: 0, admin: 0, overdue: 0 }); // 4
    expect(delta('2026-11-04', '2026-11-03')).toEqual({ a: 0, admin: 0, overdue: 0 }); // 3
    expect(delta('2026-11-05', '2026-11-04')).toEqual({ a: 1, admin: 0, overdue: 0 }); // 2
    expect(delta('2026-11-06', '2026-11-05')).toEqual({ a: 1, admin: 1, overdue: 0 }); // 1: admins too
    expect(delta('2026-11-08', '2026-11-06')).toEqual({ a: 0, admin: 0, overdue: 0 }); // weekend
    expect(delta('2026-11-09', '2026-11-08')).toEqual({ a: 1, admin: 1, overdue: 0 }); // on the day
    expect(delta('2026-11-10', '2026-11-09')).toEqual({ a: 0, admin: 0, overdue: 1 }); // overdue, every business day
    expect(delta('2026-11-13', '2026-11-10')).toEqual({ a: 0, admin: 0, overdue: 3 });
    expect(delta('2026-11-16', '2026-11-13')).toEqual({ a: 0, admin: 0, overdue: 0 }); // Revolution Day
    expect(delta('2026-11-17', '2026-11-16')).toEqual({ a: 0, admin: 0, overdue: 1 });

    const warn = warningsTo(ON.a, r.folio);
    expect(headerOf(warn[0]!)).toBe(`${r.folio}: quedan 5 días hábiles`);
    expect(textOf(warn.at(-1)!)).toContain('lunes 9 de noviembre');
    expect(headerOf(warn.at(-1)!)).toBe(`${r.folio}: vence hoy`);
    // 10, 11, 12, 13 and 17 November: five business days late (16 was a holiday).
    expect(textOf(titled(U.admin, 'Consultas vencidas').at(-1)!)).toContain('vencida hace 5 días hábiles');
    // The reminder of what she took comes on the business mornings without a warning about it:
    // 3, 4, 10, 11, 12, 13 and 17 November.
    expect(seen['2026-11-17']!.reminders - seen['2026-10-30']!.reminders).toBe(7);
  });
});

describe('back into escalation', () => {
  it('«Soltar» puts it back: the person on call is paged again at once', async () => {
    await start(at('2026-11-18', '11:00'));
    await register();
    const card = await waitFor(() => h.slack.inChannel(INQ)[0]);
    await waitFor(() => pagesTo(ON.a).length === 1);
    await h.click(ON.b, card, 'inq.take');
    await waitFor(() => textOf(h.slack.inChannel(INQ)[0]!).includes(`tomada por <@${ON.b}>`));
    clock.advance(60 * MIN);
    await h.app.jobs.tick();
    await h.settle();
    expect(pagesTo(ON.a)).toHaveLength(1);
    const taken = h.slack.inChannel(INQ)[0]!;
    expect(buttonsOf(taken).map((b) => b.action_id)).toContain('inq.release');
    // Only who has it may release it.
    const other = await h.click(ON.c, taken, 'inq.release');
    expect(textOf((await h.reply(other.rid)) as never)).toContain(`<@${ON.b}>`);
    await h.click(ON.b, taken, 'inq.release');
    await waitFor(() => pagesTo(ON.a).length === 2);
    await waitFor(() => buttonsOf(h.slack.inChannel(INQ)[0]!).some((b) => b.action_id === 'inq.take'));
    // …and escalates again from the first step.
    clock.advance(15 * MIN);
    await h.app.jobs.tick();
    await waitFor(() => pagesTo(ON.b).length === 1);
  });

  it('an admin who answers what someone else took: it is answered once, and the one who had it is told', async () => {
    await start(at('2026-11-18', '11:00'));
    await register();
    const card = await waitFor(() => h.slack.inChannel(INQ)[0]);
    await h.click(ON.b, card, 'inq.take');
    await waitFor(() => textOf(h.slack.inChannel(INQ)[0]!).includes(`tomada por <@${ON.b}>`));
    // Someone else on call may not answer it; an admin may.
    const refused = await h.click(ON.a, h.slack.inChannel(INQ)[0]!, 'inq.respond');
    expect(textOf((await h.reply(refused.rid)) as never)).toContain(`<@${ON.b}>`);
    const n = h.slack.callsOf('views.open').length;
    await h.click(U.admin, h.slack.inChannel(INQ)[0]!, 'inq.respond');
    const form = await h.openedView(n);
    await h.submit(U.admin, form, { summary: 'Respondido por la jefatura.', link: 'https://transparencia.example.gob.mx/r/9' });
    const told = await waitFor(() => h.slack.dmsTo(ON.b).find((m) => m.text.includes('que usted tenía a su cargo')));
    expect(told.text).toBe(`<@${U.admin}> respondió CONS-2026-0001, que usted tenía a su cargo.`);
  });

  it('an assignee who leaves the rotation hands the inquiry back; /guardia shows who is on call, until when and the next hand-offs', async () => {
    await start(at('2026-11-18', '11:00'));
    await register();
    const card = await waitFor(() => h.slack.inChannel(INQ)[0]);
    await h.click(ON.c, card, 'inq.take');
    await waitFor(() => textOf(h.slack.inChannel(INQ)[0]!).includes(`tomada por <@${ON.c}>`));

    const show = await h.command(ON.a, '', '/guardia');
    const shown = textOf((await h.reply(show.rid)) as never);
    expect(shown).toContain(`De guardia ahora: <@${ON.a}>, hasta el lunes 23 de noviembre, 09:00`);
    expect(shown).toContain(`lunes 23 de noviembre, 09:00: <@${ON.b}>`);
    expect(shown).toContain(`lunes 30 de noviembre, 09:00: <@${ON.c}>`);
    expect(shown).toContain(`lunes 7 de diciembre, 09:00: <@${ON.a}>`);
    expect(shown).toContain(`lunes 14 de diciembre, 09:00: <@${ON.b}>`);

    // Not an admin: refused, nothing changes.
    const notAdmin = await h.command(ON.a, `rotacion <@${ON.a}|a> <@${ON.b}|b>`, '/guardia');
    expect(textOf((await h.reply(notAdmin.rid)) as never)).toMatch(/administra/i);
    const byAdmin = await h.command(U.admin, `rotacion <@${ON.a}|a> <@${ON.b}|b>`, '/guardia');
    expect(textOf((await h.reply(byAdmin.rid)) as never)).toContain('Rotación guardada (2 personas)');
    // C left: the inquiry is back with the person on call, and C is told.
    await waitFor(() => h.slack.dmsTo(ON.c).some((m) => headerOf(m).includes('volvió a la guardia')));
    await waitFor(() => pagesTo(ON.a).length === 2);
    await waitFor(() => buttonsOf(h.slack.inChannel(INQ)[0]!).some((b) => b.action_id === 'inq.take'));
  });

  it('/guardia cubrir: by whoever is covered or an admin; the cover shows, takes the pages, and can be cancelled', async () => {
    await start(at('2026-11-18', '11:00'));
    // C covers A's days; asked by B (not covered, not admin): refused.
    const byB = await h.command(ON.b, `cubrir <@${ON.c}|c> 2026-11-19 2026-11-20`, '/guardia');
    expect(textOf((await h.reply(byB.rid)) as never)).not.toContain('Listo');
    // Dates backwards, a cover of more than 92 days, someone named without a mention: told how to write it.
    const told = async (text: string) => textOf((await h.reply((await h.command(U.admin, text, '/guardia')).rid)) as never);
    expect(await told(`cubrir <@${ON.c}|c> 2026-11-26 2026-11-24`)).toContain('Revise las fechas');
    expect(await told(`cubrir <@${ON.c}|c> 2026-11-20 2027-03-20`)).toContain('92 días como máximo');
    expect(await told('cubrir ana 2026-11-24 2026-11-26')).toContain('guardia cubrir @x 2026-12-24 2026-12-26');
    expect(await told('quitar 99')).toContain('No hay una cobertura #99 vigente');
    // A may give only her own days: not B's week (from Monday 23 at 09:00), not days gone by.
    const intoB = await h.command(ON.a, `cubrir <@${ON.c}|c> 2026-11-22 2026-11-24`, '/guardia');
    expect(textOf((await h.reply(intoB.rid)) as never)).toContain('todos esos días');
    const past = await h.command(ON.a, `cubrir <@${ON.c}|c> 2026-11-17 2026-11-19`, '/guardia');
    expect(textOf((await h.reply(past.rid)) as never)).toContain('Revise las fechas');
    const byA = await h.command(ON.a, `cubrir <@${ON.c}|c> 2026-11-19 2026-11-20`, '/guardia');
    expect(textOf((await h.reply(byA.rid)) as never)).toContain(`Listo: <@${ON.c}> está de guardia del jueves 19 de noviembre al viernes 20 de noviembre`);
    const show = await h.command(ON.a, '', '/guardia');
    const shown = textOf((await h.reply(show.rid)) as never);
    expect(shown).toContain(`jueves 19 de noviembre, 00:00: <@${ON.c}>`);
    expect(shown).toMatch(/#1 <@UONCALL3> cubre del jueves 19 de noviembre al viernes 20 de noviembre/);
    // At 00:00 on the 19th C is told; an inquiry that day pages C, not A.
    await goTo('2026-11-19', '00:01');
    await goTo('2026-11-19', '10:00');
    await register();
    await waitFor(() => pagesTo(ON.c).length === 1);
    expect(pagesTo(ON.a)).toHaveLength(0);
    // The hand-off to C was told to C and to the channel.
    expect(h.slack.dmsTo(ON.c).some((m) => m.text.includes('está de guardia'))).toBe(true);
    const cancel = await h.command(U.admin, 'quitar 1', '/guardia');
    expect(textOf((await h.reply(cancel.rid)) as never)).toContain('Cobertura #1 cancelada.');
    const after = await h.command(ON.a, '', '/guardia');
    expect(textOf((await h.reply(after.rid)) as never)).toContain(`De guardia ahora: <@${ON.a}>`);
  });

  it('the shifts are in the iCalendar feed, covers included, named', async () => {
    await start(at('2026-11-18', '11:00'), { CALENDAR_FEED_TOKEN: 'feed-token-0123456789abcdef' });
    await h.command(ON.a, `cubrir <@${ON.c}|carla> 2026-11-19 2026-11-20`, '/guardia');
    await h.command(ON.c, '', '/guardia'); // Carla used the bot once: her name is known
    const ics = await (await fetch(`${h.baseUrl}/calendario.ics?token=feed-token-0123456789abcdef`)).text();
    const events = ics.split('BEGIN:VEVENT').slice(1).filter((e) => e.includes('Guardia de consultas'));
    const line = (e: string, key: string) => e.split(/\r?\n/).find((l) => l.startsWith(key))!;
    const shift = (start: string) => events.find((e) => line(e, 'DTSTART').endsWith(start));
    expect(line(shift('20261116T090000')!, 'SUMMARY')).toBe('SUMMARY:Guardia de consultas: uoncall1'); // her Slack name, seen when she used /guardia
    expect(line(shift('20261116T090000')!, 'DTEND')).toBe('DTEND;TZID=America/Mexico_City:20261119T000000');
    expect(line(shift('20261119T000000')!, 'SUMMARY')).toBe('SUMMARY:Guardia de consultas: uoncall3');
    expect(line(shift('20261121T000000')!, 'DTEND')).toBe('DTEND;TZID=America/Mexico_City:20261123T090000');
    expect(line(shift('20261123T090000')!, 'SUMMARY')).toBe('SUMMARY:Guardia de consultas: UONCALL2'); // never used the bot: the Slack id
  });
});

describe('lists and the digest', () => {
  it('/consulta lista, vencen and the folio; the digest gains a section with due today, overdue and not taken', async () => {
    await start(at('2026-10-12', '10:00'), { DIGEST_TIME: '08:00' });
    const due = await register(); // due 9 November
    await goTo('2026-10-19', '10:00');
    const later = await register({ type: 'prensa' }); // no term, not taken
    await goTo('2026-11-09', '07:00');
    const lista = await h.command(ON.a, 'lista', '/consulta');
    const l = textOf((await h.reply(lista.rid)) as never);
    expect(l.indexOf(due.folio)).toBeLessThan(l.indexOf(later.folio));
    expect(l).toContain('vence hoy');
    const vencen = await h.command(ON.a, 'vencen', '/consulta');
    const v = textOf((await h.reply(vencen.rid)) as never);
    expect(v).toContain(due.folio);
    expect(v).not.toContain(later.folio);
    const one = await h.command(ON.a, String(due.id), '/consulta');
    const detail = textOf((await h.reply(one.rid)) as never);
    expect(detail).toContain(due.folio);
    expect(detail).toContain('Registrada');

    await goTo('2026-11-09', '08:01');
    const digest = await waitFor(() => h.slack.inChannel(DIGEST).at(-1));
    const d = textOf(digest);
    expect(d).toContain('Consultas del público');
    expect(d).toContain('1 consulta vence hoy');
    expect(d).toContain('2 consultas sin tomar');
    await goTo('2026-11-10', '08:01');
    await waitFor(() => textOf(h.slack.inChannel(DIGEST).at(-1)!).includes('1 consulta vencida'));
  });
});
