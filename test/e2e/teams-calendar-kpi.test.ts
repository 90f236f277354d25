import { afterEach, describe, expect, it } from 'vitest';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { cardProblems } from '../helpers/adaptive-cards.js';
import { FakeConnector, type FakeMember } from '../helpers/fake-connector.js';
import { Harness, SteppingClock, waitFor } from '../helpers/harness.js';
import { TeamsClient, actionsOf, cardText, firstCard, fakeMember } from '../helpers/teams-client.js';

/**
 * `calendario` and `kpi` typed to the bot in Teams, through the real app (Slack off): the entry card's
 * Editar / Borrar and the entry forms as Action.Execute invokes, answered with the card to show. Every
 * card the bot posts is parsed by the fake connector with Microsoft's adaptivecards library; every
 * invoke's answer is checked here with the same library.
 */
const TZ = 'America/Mexico_City';
const at = (date: string, time: string) => localToEpoch(date, time, TZ)!;
const REVIEW_T = '19:review0123456789@thread.tacv2';
const CHANNEL_T = '19:general0123456789@thread.tacv2';
const member = fakeMember;
const ana = member('ana', 'Ana Pérez', '1', 'ana@oficina.gob.mx');
const beto = member('beto', 'Beto Ruiz', '2', 'beto@oficina.gob.mx');
const carla = member('carla', 'Carla Díaz', '3');
const eva = member('eva', 'Eva Soto', '5');

let h: Harness;
let connector: FakeConnector;
let teams: TeamsClient;
let clock: SteppingClock;

afterEach(async () => {
  const errors = h?.logs.filter((l) => /"level":(50|60)/.test(l)) ?? [];
  await h?.stop();
  await connector?.stop();
  expect(errors).toEqual([]);
});

/** Saturday 14 November 2026, 20:00 in Mexico City. */
async function start(startAt = at('2026-11-14', '20:00')) {
  clock = new SteppingClock(startAt);
  connector = await new FakeConnector().start();
  connector.knowConversations(REVIEW_T, CHANNEL_T);
  for (const m of [ana, beto, carla, eva]) connector.addMember(m);
  h = await Harness.start({
    clock,
    captureLogs: true,
    env: {
      SLACK_BOT_TOKEN: '',
      TEAMS: 'on',
      TEAMS_SERVICE_URL: connector.serviceUrl,
      TEAMS_REVIEW_CHANNEL_ID: REVIEW_T,
      // Beto records figures (named by his Azure AD object id); Eva is an admin.
      KPI_EDITOR_IDS: beto.aadObjectId,
      ADMIN_IDS: eva.aadObjectId,
    },
  });
  teams = new TeamsClient(h.baseUrl, connector);
}

/** A command typed in the person's 1:1 chat: the card the bot answers with there. */
async function ask(from: FakeMember, text: string): Promise<Record<string, unknown>> {
  const chat = teams.chatOf(from);
  const before = connector.postedTo(chat).length;
  expect((await teams.say(from, text)).status).toBe(200);
  const reply = await waitFor(() => connector.postedTo(chat)[before]);
  const card = firstCard(reply.body);
  expect(cardProblems(card)).toEqual([]);
  return card;
}
const says = async (from: FakeMember, text: string) => cardText(await ask(from, text));

/** A click on a card's action (or a form's submit with its inputs): the card Teams shows in its place. */
async function click(from: FakeMember, action: { verb: string; data: Record<string, unknown> }, inputs: Record<string, string> = {}) {
  const res = await teams.invoke(from, teams.chatOf(from), action.verb, { ...action.data, ...inputs });
  expect(res.status).toBe(200);
  expect(res.body.statusCode).toBe(200);
  expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(cardProblems(res.body.value)).toEqual([]);
  return res.body.value;
}
const button = (card: Record<string, unknown>, verb: string) => {
  const b = actionsOf(card).find((a) => a.verb === verb);
  if (!b) throw new Error(`no ${verb} on ${JSON.stringify(actionsOf(card))}`);
  return b;
};
/** The value an input of a form card shows. */
const inputValue = (card: Record<string, unknown>, id: string) => ((card.body as Record<string, unknown>[]).find((x) => x.id === id) as { value?: string } | undefined)?.value;
const hasError = (card: Record<string, unknown>) => JSON.stringify(card).includes('"color":"Attention"');

const entries = () => h.app.db.prepare('SELECT id, title, start_date AS date, time, owner_id AS owner, deleted_at AS deleted FROM calendar_entries ORDER BY id').all() as { id: number; title: string; date: string; time: string | null; owner: string | null; deleted: number | null }[];
const person = (m: FakeMember) => h.app.core.people.find('teams', m.aadObjectId);

/** Every field of the entry form, as Teams sends them (empty inputs as ""). */
const FORM = { title: 'Conferencia de prensa', date: '2026-11-18', time: '10:00', kind: 'press_conference', owner: '', recurrence: 'none', weekdays: '', until: '', reminders: 'day_before,hour_before' };

describe('calendario in Teams', () => {
  it('adds an entry by typing it, lists it in the week, and edits and deletes it from its card; a stale or foreign click changes nothing', async () => {
    await start();
    expect(await says(ana, 'calendario agregar 2026-11-16 10:00 Conferencia de prensa')).toContain('Listo: fecha #1 agregada: «Conferencia de prensa», lunes 16 de noviembre');
    // The person who types it owns it, as in Slack.
    expect(entries()).toMatchObject([{ id: 1, title: 'Conferencia de prensa', date: '2026-11-16', time: '10:00', owner: person(ana) }]);
    const refused = await says(ana, 'calendario agregar mañanita Conferencia');
    expect(refused).toContain('No entendí la fecha.');
    expect(refused).toContain('calendario agregar 2026-12-07 10:00 Conferencia de prensa');

    const week = await says(ana, 'calendario semana');
    expect(week).toContain('Calendario del sábado 14 de noviembre al viernes 20 de noviembre');
    expect(week).toMatch(/lunes 16 de noviembre.*10:00 · conferencia de prensa · +Conferencia de prensa +· #1 +· +Ana Pérez/);
    // «publicar» is accepted and left out; the month and today work too.
    expect(await says(ana, 'calendario semana publicar')).toContain('Conferencia de prensa');
    expect(await says(ana, 'calendario mes')).toContain('Calendario de noviembre');
    expect(await says(ana, 'calendario hoy')).toContain('No hay nada en el calendario para estas fechas.');

    // The entry's card: Editar and Borrar carry the entry, the date shown and the version seen.
    const card = await ask(ana, 'calendario 1');
    expect(cardText(card)).toContain('#1 Conferencia de prensa');
    const edit = button(card, 'cal.edit');
    expect(JSON.parse(edit.data.value as string)).toEqual({ e: 1, d: '2026-11-16', v: 1 });
    expect(button(card, 'cal.remove').title).toBe('Borrar');

    // Someone who may not change it is told so, on the click.
    expect(cardText(await click(beto, edit))).toContain('Solo quien la creó, su responsable');
    // Beto sees the card without its buttons.
    expect(actionsOf(await ask(beto, 'calendario 1'))).toEqual([]);

    // Editar: the form, filled with the entry; the owner as her e-mail.
    const form = await click(ana, edit);
    expect(cardText(form)).toContain('Editar fecha');
    expect(inputValue(form, 'title')).toBe('Conferencia de prensa');
    expect(inputValue(form, 'owner')).toBe('ana@oficina.gob.mx');
    const save = button(form, 'cal.edit_form');
    // An error shows on the form, with what was typed; nothing changes.
    const bad = await click(ana, save, { ...FORM, title: 'Conferencia en la sede nueva', date: '2026-11-02', owner: 'ana@oficina.gob.mx' });
    expect(hasError(bad)).toBe(true);
    expect(cardText(bad)).toContain('Esa fecha ya pasó');
    expect(inputValue(bad, 'title')).toBe('Conferencia en la sede nueva');
    expect(entries()[0]!.title).toBe('Conferencia de prensa');
    // Sent again from the card with the error: saved, once (a second click is the same change).
    const again = button(bad, 'cal.edit_form');
    const values = { ...FORM, title: 'Conferencia en la sede nueva', date: '2026-11-17', time: '11:30', owner: 'ana@oficina.gob.mx' };
    expect(cardText(await click(ana, again, values))).toContain('Listo: fecha #1 actualizada.');
    expect(cardText(await click(ana, again, values))).toContain('Listo: fecha #1 actualizada.');
    expect(entries()[0]).toMatchObject({ title: 'Conferencia en la sede nueva', date: '2026-11-17', time: '11:30', owner: person(ana) });
    expect((h.app.db.prepare('SELECT count(*) AS n FROM calendar_entry_events WHERE entry_id = 1').get() as { n: number }).n).toBe(1);

    // The old card's button: told who changed it; the form is not opened.
    expect(cardText(await click(ana, edit))).toMatch(/Esta fecha fue modificada por +Ana Pérez/);

    // Two forms opened on the same version: the second one sent is refused, and says who changed it.
    const current = await ask(ana, 'calendario 1');
    const formA = await click(ana, button(current, 'cal.edit'));
    const formB = await click(ana, button(current, 'cal.edit'));
    expect(cardText(await click(ana, button(formA, 'cal.edit_form'), { ...values, time: '12:00' }))).toContain('Listo: fecha #1 actualizada.');
    expect(cardText(await click(ana, button(formB, 'cal.edit_form'), { ...values, time: '13:00' }))).toMatch(/No se guardó su cambio\. +Esta fecha fue modificada por +Ana Pérez/);
    expect(entries()[0]!.time).toBe('12:00');

    // Borrar from a fresh card: a one-off entry has no scope to choose.
    const fresh = await ask(ana, 'calendario 1');
    const removeForm = await click(ana, button(fresh, 'cal.remove'));
    expect(cardText(removeForm)).toContain('Borrar fecha');
    expect(cardText(await click(ana, button(removeForm, 'cal.remove_form')))).toContain('Listo: fecha #1 borrada del calendario.');
    expect(entries()[0]!.deleted).not.toBeNull();
    expect(await says(ana, 'calendario semana')).toContain('No hay nada en el calendario para estas fechas.');
    expect(await says(ana, 'calendario 1')).toContain('No existe la fecha #1');
  });

  it('the add form shows its errors on the form (nothing stored), then saves once; the owner is an e-mail', async () => {
    await start();
    const form = await ask(ana, 'calendario agregar');
    expect(cardText(form)).toContain('Nueva fecha');
    const save = button(form, 'cal.add_form');
    expect(JSON.parse(save.data.meta as string)).toMatchObject({ k: expect.any(String) });

    const bad = await click(ana, save, { ...FORM, title: '', date: '2026-11-01', owner: 'Beto' });
    expect(hasError(bad)).toBe(true);
    const said = cardText(bad);
    expect(said).toContain('Este campo es obligatorio.');
    expect(said).toContain('Esa fecha ya pasó');
    expect(said).toContain('Escriba el correo de la persona');
    // What was typed stays in the form.
    expect(inputValue(bad, 'date')).toBe('2026-11-01');
    expect(inputValue(bad, 'owner')).toBe('Beto');
    expect(entries()).toEqual([]);

    // Weekly on Monday and Wednesday, owned by Beto (by his e-mail, before he ever wrote to the bot).
    const ok = { ...FORM, title: 'Reunión de pauta', date: '2026-11-16', recurrence: 'weekly', weekdays: '1,3', owner: 'beto@oficina.gob.mx' };
    const [a, b] = await Promise.all([click(ana, button(bad, 'cal.add_form'), ok), click(ana, button(bad, 'cal.add_form'), ok)]);
    expect(cardText(a)).toContain('Listo: fecha #1 agregada: «Reunión de pauta», lunes 16 de noviembre, 10:00.');
    expect(cardText(b)).toContain('fecha #1');
    expect(entries()).toHaveLength(1);
    const owner = entries()[0]!.owner!;
    expect(owner).toBe(h.app.core.people.ensureByEmail('beto@oficina.gob.mx'));
    // When Beto writes to the bot, Teams tells his e-mail: he is that owner, and may edit his entry.
    const card = await ask(beto, 'calendario 1');
    expect(person(beto)).toBe(owner);
    expect(cardText(card)).toContain('Beto Ruiz');
    expect(cardText(card)).toContain('Cada semana: lunes, miércoles');

    // Borrar one date of the series (the one the card showed), then edit only one date.
    const remove = await click(beto, button(card, 'cal.remove'));
    expect(JSON.stringify(remove)).toContain('"id":"scope"');
    expect(cardText(await click(beto, button(remove, 'cal.remove_form'), { scope: 'occurrence' }))).toContain('Listo: se quitó el lunes 16 de noviembre de la serie #1.');
    const week = await says(beto, 'calendario semana');
    expect(week).toContain('miércoles 18 de noviembre');
    expect(week).not.toContain('lunes 16 de noviembre');

    const next = await ask(beto, 'calendario 1');
    const edit = await click(beto, button(next, 'cal.edit'));
    expect(inputValue(edit, 'date')).toBe('2026-11-18');
    // Left as shown, the owner stays Beto.
    expect(inputValue(edit, 'owner')).toBe('beto@oficina.gob.mx');
    const moved = await click(beto, button(edit, 'cal.edit_form'), { ...ok, date: '2026-11-19', time: '12:00', owner: 'beto@oficina.gob.mx', scope: 'occurrence' });
    expect(cardText(moved)).toContain('Listo: fecha #1 actualizada.');
    const after = await says(beto, 'calendario semana');
    expect(after).toMatch(/jueves 19 de noviembre.*12:00/);
    expect(after).not.toContain('miércoles 18 de noviembre');
    expect(entries()[0]).toMatchObject({ date: '2026-11-16', owner });
  });

  it('answers after an @mention in a channel, in that channel; «resumen diario» subscribes and «resumen» sends the digest to the chat', async () => {
    await start();
    await says(ana, 'calendario agregar 2026-11-14 21:00 Transmisión en vivo');
    expect((await teams.sayInChannel(ana, CHANNEL_T, 'calendario hoy')).status).toBe(200);
    const reply = await waitFor(() => connector.postedTo(CHANNEL_T)[0]);
    expect(cardText(firstCard(reply.body))).toContain('Transmisión en vivo');
    // A person @mentioned in a quick add is named in the title (Carla has written to the bot before).
    await says(carla, 'ayuda');
    await teams.sayInChannel(ana, CHANNEL_T, 'calendario agregar 2026-11-20 Entrevista con <at>Carla Díaz</at> en radio', [carla]);
    const added = await waitFor(() => connector.postedTo(CHANNEL_T)[1]);
    expect(cardText(firstCard(added.body))).toContain('«Entrevista con Carla Díaz en radio»');
    // Someone the bot never met keeps the name Teams showed, never a placeholder.
    const dora = { id: '29:dora', name: 'Dora Luna', aadObjectId: '44444444-4444-4444-8444-444444444444' };
    await teams.sayInChannel(ana, CHANNEL_T, 'calendario agregar 2026-11-21 Café con <at>Dora Luna</at>', [dora]);
    const added2 = await waitFor(() => connector.postedTo(CHANNEL_T)[2]);
    expect(cardText(firstCard(added2.body))).toContain('«Café con Dora Luna»');

    expect(await says(ana, 'calendario resumen diario')).toContain('recibirá el resumen cada día hábil');
    expect(h.app.core.subscriptions.subscribers()).toEqual([person(ana)]);
    expect(await says(ana, 'calendario resumen no')).toContain('ya no recibirá el resumen diario');
    expect(h.app.core.subscriptions.subscribers()).toEqual([]);
    const chat = teams.chatOf(ana);
    const before = connector.postedTo(chat).length;
    expect(await says(ana, 'calendario resumen')).toContain('Le envié el resumen');
    const digest = await waitFor(() => connector.postedTo(chat).slice(before + 1).find((s) => /Transmisión en vivo/.test(cardText(firstCard(s.body)))));
    expect(cardText(firstCard(digest.body))).toMatch(/Resumen/i);

    const help = await says(ana, 'calendario cafe');
    expect(help).toContain('No entendí «calendario cafe»');
    expect(help).toContain('calendario agregar');
  });
});

const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `2026-11-${String(from + i).padStart(2, '0')}`);

/** Campaña 8M, November: budget $150,000; donations $600,000; reach 300,000; calls 1,000 — two weeks of figures. */
function campaign8m() {
  const admin = h.app.core.people.ensure('teams', eva.aadObjectId);
  expect(
    h.app.core.kpis.define(
      '8m',
      { name: 'Campaña 8M', start: '2026-11-01', end: '2026-11-30', budget: 150000, targets: [{ metric: 'donaciones', value: 600000 }, { metric: 'alcance', value: 300000 }, { metric: 'llamadas', value: 1000 }] },
      admin,
    ).ok,
  ).toBe(true);
  const r = h.app.core.kpis.record(
    days(1, 14).flatMap((date) => [
      { campaign: '8m', metric: 'donaciones', date, value: 15000.5, source: 'crm' },
      { campaign: '8m', metric: 'gasto', date, value: 5000, source: 'meta' },
    ]),
    admin,
  );
  expect(r).toMatchObject({ ok: true, stored: 28 });
}

describe('kpi in Teams', () => {
  it('with no campaigns says so; with one shows the overview, a campaign, its targets, and its figures by chat for «grafica»', async () => {
    await start();
    expect(await says(ana, 'kpi')).toContain('No hay campañas en curso hoy.');
    expect(await says(ana, 'kpi metas')).toContain('Aún no hay campañas');
    campaign8m();

    const overview = await says(ana, 'kpi');
    expect(overview).toContain('Campañas en curso');
    expect(overview).toContain('Campaña 8M (8m) · día 14 de 30');
    // 14 × 15,000.50 = 210,007; 600,000 × 14/30 = 280,000 expected → behind.
    expect(overview).toMatch(/🔴 +Donaciones: \$210,007 de \$600,000 \(35%\) · con retraso · esperado a la fecha \$280,000/);
    expect(overview).toContain('Presupuesto: $70,000 gastado de $150,000 (47%)');
    expect(await says(ana, 'kpi publicar')).toContain('Campaña 8M (8m) · día 14 de 30');

    const detail = await says(ana, 'kpi 8m');
    expect(detail).toContain('Del 1 de noviembre al 30 de noviembre · día 14 de 30 · quedan 16 días');
    expect(detail).toContain('Últimos 14 días: ▄▄▄▄▄▄▄▄▄▄▄▄▄▄ (mínimo $15,000.50, máximo $15,000.50, último $15,000.50)');
    expect(await says(ana, 'kpi metas')).toContain('Donaciones: $600,000');
    expect(await says(ana, 'kpi 9x')).toContain('No existe la campaña «9x». Campañas: 8m.');

    // «grafica»: a chart is a Slack upload; in Teams the figures are the answer, once, and nothing else is queued.
    const chat = teams.chatOf(ana);
    const before = connector.postedTo(chat).length;
    const answer = await says(ana, 'kpi 8m grafica');
    expect(answer).toContain('Teams no muestra la gráfica como imagen');
    expect(answer).toContain('Campaña 8M (8m)');
    await h.settle();
    expect(connector.postedTo(chat)).toHaveLength(before + 1);
    expect(h.app.db.prepare(`SELECT count(*) AS n FROM outbox WHERE kind = 'kpi_chart'`).get()).toEqual({ n: 0 });
    expect(await says(ana, 'kpi 8m grafica likes')).toContain('No existe la métrica «likes»');
    expect(await says(ana, 'kpi 8m cafe')).toContain('No entendí «kpi 8m cafe»');
  });

  it('«kpi registrar» is refused without the role (nothing stored) and taken from a KPI editor named by Azure AD object id', async () => {
    await start();
    campaign8m();
    const calls = () => h.app.core.kpis.summary(h.app.core.kpis.campaign('8m')!).metrics.find((m) => m.metric.key === 'llamadas')!.value;

    expect(await says(ana, 'kpi registrar 8m llamadas 30')).toContain('Solo quienes tienen el rol de métricas o administración pueden registrar cifras');
    expect(calls()).toBeNull();

    expect(await says(beto, 'kpi registrar 8m llamadas 30')).toContain('Registrado: Llamadas de Campaña 8M (8m), 30 el 14 de noviembre.');
    expect(calls()).toBe(3000);
    expect(await says(beto, 'kpi registrar 8m llamadas 25 2026-11-14')).toContain('Corregido: Llamadas de Campaña 8M (8m) del 14 de noviembre ahora es 25');
    expect(await says(beto, 'kpi registrar 8m likes 30')).toContain('No existe la métrica «likes»');
    expect(await says(beto, 'kpi registrar 8m llamadas -3')).toContain('valor: No puede ser negativo.');
    expect(await says(beto, 'kpi registrar 8m llamadas muchas')).toContain('No entendí el valor «muchas»');
    expect(await says(beto, 'kpi registrar 8m')).toContain('kpi registrar <campaña> <métrica> <valor> [AAAA-MM-DD]');
    // An admin may record too.
    expect(await says(eva, 'kpi registrar 8m llamadas 10 2026-11-13')).toContain('Registrado');
  });
});
