import type { Inquiry, InquiryEvent } from '../domain/inquiries/types.js';
import { dueOf } from '../domain/inquiries/types.js';
import type { LocalDate } from '../domain/shared/time.js';
import { localToEpoch } from '../domain/shared/time.js';
import { formatDateTime, formatWhen, truncate, type Fmt } from './format.js';
import { INQ_ACTION } from './ids.js';
import { withMention, type ActionView, type CardView, type ListView, type Rich } from './model.js';

const EXCERPT = 1500;

/** The proof of an answer: a link when it is one, else the «oficio» number as text. */
const proof = (v: unknown): Rich[number] => {
  const s = String(v ?? '');
  return /^https?:\/\/\S+$/i.test(s) ? { link: s } : s;
};

/** «viernes 11 de diciembre» for a local date. */
export const dayText = (f: Fmt, d: LocalDate): string => formatDateTime(f, localToEpoch(d, '12:00', f.tz)!, false);

/** The legal due date as the card shows it: the date, the term and the article of law. */
export function dueText(f: Fmt, i: Inquiry): string {
  const q = f.m.inq;
  if (!i.dueDate || !i.term) return q.noTerm;
  return q.dueWithTerm(dayText(f, i.dueDate), i.term.days, i.term.law, i.term.article);
}

/** Where it stands, with who: «tomada por @x». */
function stageRich(f: Fmt, i: Inquiry, events: readonly InquiryEvent[]): Rich {
  const q = f.m.inq;
  if (i.state === 'open') return [{ b: q.state.open }];
  if (i.state === 'taken' && i.assigneeId) return withMention(q.takenBy, i.assigneeId);
  if (i.state === 'transferred') {
    const t = events.filter((e) => e.event === 'transferred').at(-1);
    return [q.transferredTo(String(t?.data.entity ?? ''))];
  }
  return i.assigneeId ? withMention(q.answeredBy, i.assigneeId) : [q.state[i.state]];
}

function fields(f: Fmt, i: Inquiry, events: readonly InquiryEvent[], left: number | null): CardView['fields'] {
  const q = f.m.inq;
  const received = formatDateTime(f, i.receivedAt);
  const out: CardView['fields'] = [
    { label: q.field.channel, value: [q.channel[i.channel]] },
    { label: q.field.type, value: [q.type[i.type]] },
    { label: q.field.received, value: [i.receiptDate !== receivedDay(f, i) ? q.receivedCounted(received, dayText(f, i.receiptDate)) : received] },
    { label: q.field.due, value: left !== null && (i.state === 'open' || i.state === 'taken') ? [dueText(f, i), ' · ', { b: q.daysLeft(left) }] : [dueText(f, i)] },
  ];
  if (i.extendedDueDate) out.push({ label: q.field.extended, value: [dayText(f, i.extendedDueDate)] });
  out.push({ label: q.field.stage, value: stageRich(f, i, events) });
  return out;
}

const receivedDay = (f: Fmt, i: Inquiry): string => {
  const d = new Intl.DateTimeFormat('en-CA', { timeZone: f.tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(i.receivedAt);
  return d;
};

const btn = (id: string, label: string, i: Inquiry, style?: 'primary' | 'danger'): ActionView => ({ id, label, value: String(i.id), ...(style ? { style } : {}) });

/** The buttons that make sense in this state, and only those. */
export function inquiryActions(f: Fmt, i: Inquiry): ActionView[] {
  const b = f.m.inq.button;
  const out: ActionView[] = [];
  if (i.state === 'open') out.push(btn(INQ_ACTION.take, b.take, i, 'primary'));
  if (i.state === 'open' || i.state === 'taken') {
    out.push(btn(INQ_ACTION.respond, b.respond, i, i.state === 'taken' ? 'primary' : undefined));
    out.push(btn(INQ_ACTION.transfer, b.transfer, i));
    if (i.term && i.term.extensionDays > 0 && !i.extendedDueDate) out.push(btn(INQ_ACTION.extend, b.extend, i));
  }
  out.push(btn(INQ_ACTION.history, b.history, i));
  out.push(btn(INQ_ACTION.detail, b.detail, i));
  if (i.state === 'taken') {
    out.push({ ...btn(INQ_ACTION.release, b.release, i), confirm: { title: b.confirmReleaseTitle, text: b.confirmReleaseText, yes: b.confirmYes, no: b.confirmNo } });
  }
  return out;
}

/**
 * The card in the inquiry channel: folio, channel, type, received, legal due date, stage and the
 * text. Never the requester's name or contact (personal data: the Detalle button, for the assignee and admins).
 */
export function inquiryCard(f: Fmt, i: Inquiry, events: readonly InquiryEvent[], left: number | null): CardView {
  const q = f.m.inq;
  const last = events.at(-1);
  const context: Rich[] = [];
  if (last && last.event !== 'registered') context.push([`${q.event[last.event]}: `, { user: last.actorId }, ` · ${formatDateTime(f, last.at)}`]);
  context.push([q.personalHidden]);
  return {
    header: truncate(q.header(i.folio, q.type[i.type]), 150),
    fields: fields(f, i, events, left),
    quote: [truncate(i.text, EXCERPT)],
    context,
    actions: inquiryActions(f, i),
    fallback: `${q.header(i.folio, q.type[i.type])} · ${q.state[i.state]}`,
  };
}

/**
 * The detail: everything on the card plus the requester's name and contact when `personal` (the
 * assignee and admins), and the link to the message it came from.
 */
export function inquiryDetail(f: Fmt, i: Inquiry, events: readonly InquiryEvent[], left: number | null, personal: boolean, title?: string): CardView {
  const q = f.m.inq;
  const card = inquiryCard(f, i, events, left);
  const extra: CardView['fields'] = [];
  if (personal) {
    extra.push({ label: q.field.name, value: [i.requester.name ?? q.anonymous] });
    if (i.requester.contact) extra.push({ label: q.field.contact, value: [i.requester.contact] });
  }
  if (i.sourceLink) extra.push({ label: q.field.source, value: [{ link: i.sourceLink }] });
  const answer = events.filter((e) => e.event === 'answered').at(-1);
  if (answer) extra.push({ label: q.field.answer, value: [`«${truncate(String(answer.data.summary ?? ''), 500)}» · `, proof(answer.data.link)] });
  return {
    ...card,
    header: truncate(title ?? q.detailTitle(i.folio), 150),
    fields: [...card.fields, ...extra],
    quote: [truncate(i.text, 2900)],
    context: card.context.filter((c) => c[0] !== q.personalHidden),
    actions: card.actions.filter((a) => a.id !== INQ_ACTION.detail),
  };
}

/** A page to someone: what came in and Tomar; once taken or closed, who took it, and no buttons. */
/** Why this person is paged decides what the page says: on call, next in the rotation, admin. */
const PAGE_ROLE = { oncall: 0, next: 1, admin: 2 } as const;

export function pageCard(f: Fmt, i: Inquiry, level: number, step: number, events: readonly InquiryEvent[], left: number | null, as?: keyof typeof PAGE_ROLE): CardView {
  const q = f.m.inq;
  const card = inquiryCard(f, i, events, left);
  let body: Rich;
  let actions: ActionView[] = [];
  if (i.state === 'open') {
    // Waiting since it was registered or last given back by someone (a revived round keeps waiting).
    const opened = events.filter((e) => e.event === 'registered' || e.event === 'released' || (e.event === 'returned' && !e.data.reason)).at(-1)?.at ?? i.createdAt;
    const minutes = Math.max(1, Math.round((f.now() - opened) / 60_000));
    // The person on call is told again how long it waits; the next one and the admins why they are paged.
    body = step > 2 || (as === 'oncall' && step > 0) ? [q.pageRepeat(minutes)] : [q.pageLevel[as ? PAGE_ROLE[as] : Math.min(level, 2)]!];
    actions = [btn(INQ_ACTION.take, q.button.take, i, 'primary'), btn(INQ_ACTION.detail, q.button.detail, i)];
  } else if (i.state === 'taken' && i.assigneeId && i.takenAt) {
    const when = formatWhen(f, i.takenAt);
    body = withMention((who) => q.pageTaken(who, when), i.assigneeId);
  } else {
    body = [q.pageClosed(q.state[i.state])];
  }
  return { ...card, header: truncate(q.pageTitle(i.folio), 150), body, actions, context: [], fallback: `${q.pageTitle(i.folio)} · ${q.type[i.type]}` };
}

export function historyList(f: Fmt, i: Inquiry, events: readonly InquiryEvent[]): ListView {
  const q = f.m.inq;
  const items: Rich[] = events.map((e) => {
    const line: Rich = [`${formatDateTime(f, e.at)} · `, { user: e.actorId }, ` · ${q.event[e.event]}`];
    const d = e.data;
    if (e.event === 'registered') line.push(` ${q.eventData.registeredBy(q.channel[d.channel as Inquiry['channel']] ?? String(d.channel))}`);
    if (e.event === 'answered') line.push(` ${q.eventData.answered(String(d.summary ?? ''))} · `, proof(d.link));
    if (e.event === 'extended') line.push(` ${q.eventData.extended(String(d.reason ?? ''), dayText(f, String(d.from)), dayText(f, String(d.to)))}`);
    if (e.event === 'transferred') line.push(` ${q.eventData.transferred(String(d.entity ?? ''))}`);
    if (e.event === 'returned') line.push(` (${d.reason ? q.eventData.revived : q.eventData.returned})`);
    if (e.event === 'due_changed') line.push(` ${q.eventData.dueChanged(dayText(f, String(d.from)), dayText(f, String(d.to)))}`);
    return line;
  });
  return { title: q.historyTitle(i.folio), sections: [{ items }], empty: '—' };
}

/** One line of a list: «CONS-2026-0042 · solicitud de información · quedan 3 días hábiles · tomada por @x». */
export function inquiryItem(f: Fmt, i: Inquiry, left: number | null): Rich {
  const q = f.m.inq;
  const due = dueOf(i);
  const when = due ? `${dayText(f, due)} (${left !== null ? q.daysLeft(left) : ''})` : q.noTerm;
  const head: Rich = [{ b: i.folio }, ` · ${q.type[i.type]} · ${when} · `];
  return i.assigneeId && i.state === 'taken' ? [...head, ...withMention(q.takenBy, i.assigneeId)] : [...head, q.unassignedWho];
}

export function inquiryList(f: Fmt, title: string, empty: string, items: { i: Inquiry; left: number | null }[], total: number, note?: string): ListView {
  const q = f.m.inq;
  const list: ListView = { title, sections: items.length ? [{ items: items.map(({ i, left }) => inquiryItem(f, i, left)) }] : [], empty };
  if (note && items.length) list.note = note;
  if (total > items.length && list.sections[0]) list.sections[0].more = q.more(total - items.length);
  return list;
}

export function warningCard(f: Fmt, i: Inquiry, daysLeft: number, events: readonly InquiryEvent[]): CardView {
  const q = f.m.inq;
  const card = inquiryCard(f, i, events, daysLeft);
  const due = dueOf(i)!;
  return { ...card, header: truncate(q.warningTitle(i.folio, q.daysLeft(daysLeft)), 150), body: [q.warningText(dayText(f, due))], context: [], actions: card.actions.filter((a) => a.id !== INQ_ACTION.history), fallback: q.warningTitle(i.folio, q.daysLeft(daysLeft)) };
}
