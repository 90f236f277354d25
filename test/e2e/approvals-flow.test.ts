import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION, FORM } from '../../src/views/ids.js';
import { Harness, REVIEW, U, buttonsOf, headerOf, textOf, waitFor } from '../helpers/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await h.stop();
});

const buttonIds = (m: Parameters<typeof buttonsOf>[0]) => buttonsOf(m).map((b) => b.action_id);

describe('a piece through the whole procedure, over signed HTTP and the fake Slack API', () => {
  it('/pieza opens the modal with the inputs the office fills in', async () => {
    const res = await h.command(U.author, '');
    expect(res.status).toBe(200);
    const view = await h.openedView(0);
    expect(view.callback_id).toBe(FORM.newPiece);
    const labels = (view.blocks as { label?: { text: string } }[]).map((b) => b.label?.text);
    expect(labels).toEqual(['Título', 'Texto', 'Tipo', 'Redes', 'Fecha de publicación', 'Hora', 'Enlace a materiales', 'Necesita diseño']);
    expect(h.slack.callsOf('views.open')[0]!.authorization).toBe('Bearer xoxb-test-not-a-real-token');
  });

  it('submit posts one card with title, type, networks, date, author, stage, excerpt and the three buttons', async () => {
    const { id, card } = await h.createPiece(U.author);
    expect(headerOf(card)).toBe(`#${id} Jornada de vacunación en Ciudad Bolívar`);
    const text = textOf(card);
    expect(text).toContain('publicación');
    expect(text).toContain('X, Facebook');
    expect(text).toContain('jueves 14 de marzo, 10:00');
    expect(text).toContain(`<@${U.author}>`);
    expect(text).toContain('*revisión de contenido*');
    expect(text).toContain('>Este sábado hay jornada de vacunación');
    expect(buttonIds(card)).toEqual([ACTION.approve, ACTION.reject, ACTION.history, ACTION.cancel]);
    // The author is told, only them.
    const eph = await waitFor(() => h.slack.callsOf('chat.postEphemeral')[0]);
    expect(eph.args.user).toBe(U.author);
    expect(String(eph.args.text)).toContain(`Pieza #${id} enviada a revisión`);
  });

  it('approve → design → deliver → design review → approve → approved → published, card updated in place', async () => {
    const { id, card } = await h.createPiece(U.author, { kind: 'graphic' });
    const click = await h.click(U.approver, card, ACTION.approve);
    expect(click.status).toBe(200);
    await h.settle();

    // Same message, updated: stage, who decided, only the buttons that make sense.
    let now = h.card(id);
    expect(now.ts).toBe(card.ts);
    expect(textOf(now)).toContain('*diseño*');
    expect(textOf(now)).toContain(`Aprobación: <@${U.approver}>`);
    // In «diseño» the card also lets a designer deliver (one named later never got the task DM).
    expect(buttonIds(now)).toEqual([ACTION.deliverDesign, ACTION.history, ACTION.cancel]);
    expect(h.slack.inChannel(REVIEW).filter((m) => !m.thread_ts)).toHaveLength(1);

    // The designer gets a DM with the text and «Entregar diseño».
    const task = await waitFor(() => h.slack.dmsTo(U.designer)[0]);
    expect(textOf(task)).toContain('Nueva pieza para diseño');
    expect(textOf(task)).toContain('Este sábado hay jornada');
    expect(buttonIds(task)).toContain(ACTION.deliverDesign);

    const opened = h.slack.callsOf('views.open').length;
    await h.click(U.designer, task, ACTION.deliverDesign);
    const designView = await h.openedView(opened);
    expect(designView.callback_id).toBe(FORM.deliverDesign);
    const sub = await h.submit(U.designer, designView, { link: 'https://drive.example.org/diseno-final.png' });
    expect(sub.status).toBe(200);
    await h.settle();
    now = h.card(id);
    expect(textOf(now)).toContain('*revisión de diseño*');
    expect(textOf(now)).toContain('<https://drive.example.org/diseno-final.png>');
    expect(buttonIds(now)).toEqual([ACTION.approve, ACTION.reject, ACTION.history, ACTION.cancel]);
    // The designer's task no longer offers the button.
    expect(buttonIds(h.slack.dmsTo(U.designer)[0]!)).not.toContain(ACTION.deliverDesign);
    // A note in the card's thread tells reviewers the design arrived.
    const note = h.slack.inChannel(REVIEW).find((m) => m.thread_ts === card.ts);
    expect(note?.text).toContain(`<@${U.designer}> entregó el diseño`);

    await h.click(U.approver2, now, ACTION.approve);
    await h.settle();
    now = h.card(id);
    expect(textOf(now)).toContain('*aprobada*');
    expect(buttonIds(now)).toEqual([ACTION.publish, ACTION.history, ACTION.cancel]);
    const told = await waitFor(() => h.slack.dmsTo(U.author).find((m) => textOf(m).includes('lista para publicar')));
    expect(buttonIds(told)).toContain(ACTION.publish);

    const opened2 = h.slack.callsOf('views.open').length;
    await h.click(U.author, told, ACTION.publish);
    const pubView = await h.openedView(opened2);
    // A testigo that is not a link is refused in the modal.
    const bad = await h.submit(U.author, pubView, { link: 'mañana lo subo' });
    expect(JSON.parse(bad.text)).toEqual({ response_action: 'errors', errors: { link: expect.stringContaining('https://') } });
    await h.submit(U.author, pubView, { link: 'https://x.com/oficina/status/123' });
    await h.settle();
    now = h.card(id);
    expect(textOf(now)).toContain('*publicada*');
    expect(textOf(now)).toContain('<https://x.com/oficina/status/123>');
    expect(buttonIds(now)).toEqual([ACTION.history]);

    // Historial shows every decision, who, from → to.
    const hist = await h.click(U.other, now, ACTION.history);
    const reply = await h.reply(hist.rid);
    expect(reply.response_type).toBe('ephemeral');
    const lines = textOf(reply as never);
    for (const s of ['Envío a revisión', 'Aprobación', 'Entrega de diseño', 'Publicación']) expect(lines).toContain(s);
    expect(lines).toContain('revisión de contenido → diseño');
    expect(lines).toContain('revisión de diseño → aprobada');
    expect(lines).toContain(`<@${U.designer}>`);
  });

  it('a text piece (no design) goes straight to aprobada and the author is told', async () => {
    const { id, card } = await h.createPiece(U.author, { kind: 'press_release', networks: ['press', 'website'] });
    await h.click(U.approver, card, ACTION.approve);
    await h.settle();
    expect(textOf(h.card(id))).toContain('*aprobada*');
    expect(h.slack.dmsTo(U.designer)).toHaveLength(0);
    await waitFor(() => h.slack.dmsTo(U.author).find((m) => textOf(m).includes('lista para publicar')));
  });

  it('«Necesita diseño» sends a post through design too', async () => {
    const { id, card } = await h.createPiece(U.author, { needs_design: ['yes'] });
    await h.click(U.approver, card, ACTION.approve);
    await h.settle();
    expect(textOf(h.card(id))).toContain('*diseño*');
  });
});
