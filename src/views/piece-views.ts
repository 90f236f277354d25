import { NOTICE_STAGE, type Notice } from '../domain/approvals/effects.js';
import { TRANSITIONS } from '../domain/approvals/transitions.js';
import type { Piece, PieceEvent, PieceEventRecord } from '../domain/approvals/types.js';
import { formatDateTime, formatWhen, truncate, type Fmt } from './format.js';
import { ACTION, encodeRef } from './ids.js';
import { plainOf, withMention, type ActionView, type CardView, type ListView, type Rich } from './model.js';

const EXCERPT = 400;

export function plannedText(f: Fmt, p: Piece): string {
  return p.plannedAt === null ? f.m.card.noDate : formatDateTime(f, p.plannedAt, p.plannedHasTime);
}

const ref = (p: Piece) => encodeRef({ p: p.id, v: p.version });
const can = (p: Piece, event: PieceEvent) => Boolean(TRANSITIONS[p.stage]?.[event]);

/** The buttons that make sense now, and only those. */
function cardActions(f: Fmt, p: Piece): ActionView[] {
  const c = f.m.card;
  const out: ActionView[] = [];
  if (can(p, 'approve')) out.push({ id: ACTION.approve, label: c.approve, value: ref(p), style: 'primary' });
  if (can(p, 'reject')) out.push({ id: ACTION.reject, label: c.reject, value: ref(p), style: 'danger' });
  if (can(p, 'publish')) out.push({ id: ACTION.publish, label: c.publish, value: ref(p), style: 'primary' });
  // On the card too, not only in the designers' DMs: a designer named after the piece reached
  // «diseño» never got that DM, and must still be able to deliver.
  if (can(p, 'deliver_design')) out.push({ id: ACTION.deliverDesign, label: c.deliver, value: ref(p), style: 'primary' });
  out.push({ id: ACTION.history, label: c.history, value: String(p.id) });
  if (can(p, 'cancel')) {
    out.push({
      id: ACTION.cancel,
      label: c.cancel,
      value: ref(p),
      confirm: { title: c.confirmCancelTitle, text: c.confirmCancelText, yes: c.confirmYes, no: c.confirmNo },
    });
  }
  return out;
}

function pieceFields(f: Fmt, p: Piece): CardView['fields'] {
  const c = f.m.card;
  const fields: CardView['fields'] = [
    { label: c.type, value: [f.m.kind[p.kind]] },
    { label: c.networks, value: [p.networks.map((n) => f.m.network[n]).join(', ')] },
    { label: c.planned, value: [plannedText(f, p)] },
    { label: c.author, value: [{ user: p.authorId }] },
    { label: c.stage, value: [{ b: f.m.stage[p.stage] }] },
  ];
  if (p.materialsUrl) fields.push({ label: c.materials, value: [{ link: p.materialsUrl }] });
  if (p.designUrl) fields.push({ label: c.design, value: [{ link: p.designUrl }] });
  if (p.publishedUrl) fields.push({ label: c.testigo, value: [{ link: p.publishedUrl }] });
  return fields;
}

/** The review card: one per piece, updated in place after every decision. */
export function pieceCard(f: Fmt, p: Piece, last: PieceEventRecord | null): CardView {
  const c = f.m.card;
  const context: Rich[] = [];
  if (last) {
    context.push([`${f.m.eventName[last.event]}: `, { user: last.actorId }, ` · ${formatDateTime(f, last.at)}`]);
    // People's words as they wrote them, in quotes: italics broke on lines with _ or * of their own.
    if (last.reason) context.push([`${f.m.history.reason}: «${truncate(last.reason, 500)}»`]);
  }
  if (p.stage === 'changes_requested') context.push([c.waitingFix, { user: p.authorId }]);
  if (p.stage === 'design') context.push([c.waitingDesign]);
  return {
    header: truncate(`#${p.id} ${p.title}`, 150),
    fields: pieceFields(f, p),
    quote: [truncate(p.body, EXCERPT)],
    context,
    actions: cardActions(f, p),
    fallback: c.fallback(p.id, truncate(p.title, 80), f.m.stage[p.stage]),
  };
}

/** A direct message that carries a task. Its button shows only while the piece still waits for it. */
export function noticeCard(
  f: Fmt,
  p: Piece,
  notice: Notice,
  params: { actorId: string; reason: string | null },
): CardView {
  const n = f.m.notice;
  const sentence: Record<Notice, (who: string) => string> = {
    design_task: () => n.design_task(p.id, p.title),
    fix_content: (who) => n.fix_content(p.id, p.title, who),
    fix_design: (who) => n.fix_design(p.id, p.title, who),
    approved: (who) => n.approved(p.id, p.title, who),
    cancelled: (who) => n.cancelled(p.id, p.title, who),
  };
  const body = withMention(sentence[notice], params.actorId);
  const actions: ActionView[] = [];
  const live = p.stage === NOTICE_STAGE[notice] && notice !== 'cancelled';
  if (live) {
    if (notice === 'design_task' || notice === 'fix_design') actions.push({ id: ACTION.deliverDesign, label: f.m.card.deliver, value: ref(p), style: 'primary' });
    if (notice === 'fix_content') actions.push({ id: ACTION.fix, label: f.m.card.fix, value: ref(p), style: 'primary' });
    if (notice === 'approved') actions.push({ id: ACTION.publish, label: f.m.card.publish, value: ref(p), style: 'primary' });
  }
  if (actions.length || notice === 'cancelled') actions.push({ id: ACTION.history, label: f.m.card.history, value: String(p.id) });
  const context: Rich[] = live || notice === 'cancelled' ? [] : [[n.done(f.m.stage[p.stage])]];
  return {
    header: truncate(`#${p.id} ${p.title}`, 150),
    body,
    fields: pieceFields(f, p),
    quote: notice === 'design_task' || notice === 'fix_content' ? [truncate(p.body, 2500)] : undefined,
    context: params.reason ? [[{ b: `${n.reason}: ` }, params.reason], ...context] : context,
    actions,
    fallback: plainOf(body),
  };
}

export function historyList(f: Fmt, p: Piece, events: PieceEventRecord[]): ListView {
  const items: Rich[] = events.map((e) => {
    const line: Rich = [
      `${formatDateTime(f, e.at)} · `,
      { user: e.actorId },
      ` · ${f.m.eventName[e.event]}: ${e.fromStage ? f.m.stage[e.fromStage] : '—'} → ${f.m.stage[e.toStage]}`,
    ];
    if (e.reason) line.push(` · ${f.m.history.reason}: «${e.reason}»`);
    for (const url of Object.values(e.data)) line.push(' · ', { link: url });
    return line;
  });
  return { title: f.m.history.title(p.id, p.title), sections: [{ items }], empty: f.m.history.empty };
}

export function pieceItem(f: Fmt, p: Piece): Rich {
  const l = f.m.list;
  const planned = p.plannedAt === null ? l.noDate : l.publishes(plannedText(f, p));
  return [{ b: `#${p.id}` }, ` ${truncate(p.title, 80)} · ${f.m.stage[p.stage]} · ${planned} · ${l.created(formatWhen(f, p.createdAt))}`];
}

export function myPiecesList(f: Fmt, pieces: Piece[]): ListView {
  return { title: f.m.list.mineTitle, sections: pieces.length ? [{ items: pieces.map((p) => pieceItem(f, p)) }] : [], empty: f.m.list.mineEmpty };
}

export function pendingList(
  f: Fmt,
  pending: { reviews: Piece[]; designs: Piece[]; mine: Piece[]; total: number },
): ListView {
  const l = f.m.list;
  const shown = pending.reviews.length + pending.designs.length + pending.mine.length;
  const sections: ListView['sections'] = [];
  if (pending.reviews.length) sections.push({ heading: l.reviews, items: pending.reviews.map((p) => pieceItem(f, p)) });
  if (pending.designs.length) sections.push({ heading: l.designs, items: pending.designs.map((p) => pieceItem(f, p)) });
  if (pending.mine.length) sections.push({ heading: l.mine, items: pending.mine.map((p) => pieceItem(f, p)) });
  const last = sections.at(-1);
  if (last && pending.total > shown) last.more = l.more(pending.total - shown);
  return { title: l.pendingTitle, sections, empty: l.pendingEmpty };
}

/** A note in the card's thread, so reviewers see that a piece came back to them. */
export const threadNote = (f: Fmt, note: 'resubmitted' | 'design_delivered', actorId: string): Rich => withMention(f.m.thread[note], actorId);
