import type { Core } from '../../core.js';
import type { Notice } from '../../domain/approvals/effects.js';
import type { PersonId } from '../../domain/people/types.js';
import { ROLES } from '../../domain/shared/roles.js';
import type { ConsoleMessage } from '../../store/console-repo.js';
import { inquiryCard, pageCard } from '../../views/inquiry-views.js';
import { kpiChart } from '../../views/kpi-chart.js';
import type { ActionView, CardView, FormView, ListView, Rich } from '../../views/model.js';
import { noticeCard, pieceCard } from '../../views/piece-views.js';
import type { Outbound } from '../outbound.js';
import type { ChartBody, NoticeBody } from './deliver.js';
import { CONFIRM_TITLE_ID, FORM_TITLE_ID, cardHtml, confirmHtml, esc, formHtml, inlineHtml, listHtml, textHtml, type HtmlContext } from './render.js';

/** What a dialog shows: a form (with its errors), or the confirmation of a button that asks first. */
export type Dialog = { kind: 'form'; view: FormView; errors: Record<string, string> } | { kind: 'confirm'; action: ActionView } | { kind: 'reset'; action: ActionView };

export interface PageModel {
  core: Core;
  /** the demo office (its clock, «Cargar ejemplo», «Reiniciar»), or the office's own data beside Slack/Teams */
  demo: boolean;
  person: PersonId;
  /** how the viewer is named in URLs and forms (a demo login, or a person id) */
  as: string;
  /** the conversation: a place's name, or «dm» */
  c: string;
  csrf: string;
  people: { key: string; id: PersonId; label: string; email: string | null }[];
  messages: ConsoleMessage[];
  /** conversations with messages the viewer has not seen yet */
  fresh: Set<string>;
  dialog: Dialog | null;
  dialogToken: string | null;
  now: number;
  /** nothing anywhere yet for this person (the demo says how to begin) */
  officeEmpty: boolean;
  notFound?: boolean;
}

const PLACES = ['review', 'calendar', 'digest', 'kpi', 'inquiries'] as const;

const url = (as: string, c: string) => `/?${new URLSearchParams({ as, c }).toString()}`;

/** The whole page: header (who you are, the demo clock), the sidebar, the conversation, the composer, a dialog. */
export function renderPage(p: PageModel): string {
  const { core } = p;
  const f = core.fmt;
  const m = f.m;
  const t = m.console;
  // «Cerrar» and «No» go back to the page, the keyboard in the composer.
  const back = `${url(p.as, p.c)}#composer-input`;
  const ctx: HtmlContext = {
    m,
    nameOf: (id) => core.people.label(id),
    csrf: p.csrf,
    as: p.as,
    conversation: p.c,
    people: p.people.filter((x) => x.email).map((x) => ({ email: x.email!, label: x.label })),
    back,
  };
  const hidden = `<input type="hidden" name="csrf" value="${esc(p.csrf)}"><input type="hidden" name="as" value="${esc(p.as)}"><input type="hidden" name="c" value="${esc(p.c)}">`;
  const when = (ms: number, withDay = true) =>
    new Intl.DateTimeFormat(f.locale === 'en' ? 'en-US' : 'es-MX', { timeZone: f.tz, ...(withDay ? { weekday: 'short', day: 'numeric', month: 'short' } : {}), hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
  const roleOf = (id: PersonId): string => {
    const held = core.roles.rolesOf(id);
    const words = ROLES.filter((r) => held.has(r)).map((r) => m.role[r]);
    return words.length ? words.join(', ') : t.noRole;
  };
  const onCall = new Set(core.oncall.rotation()?.people ?? []);
  const onCallNow = core.oncall.onCallAt(p.now);
  const convName = p.c === 'dm' ? t.dmOf(core.people.label(p.person)) : `# ${t.place[p.c as keyof typeof t.place] ?? p.c}`;

  const who = `<form class="who" method="get" action="/">
  <label for="who">${esc(t.whoAreYou)}</label>
  <select id="who" name="as">${p.people.map((x) => `<option value="${esc(x.key)}"${x.id === p.person ? ' selected' : ''}>${esc(x.label)} — ${esc(roleOf(x.id))}</option>`).join('')}</select>
  <input type="hidden" name="c" value="${esc(p.c)}">
  <button type="submit" class="btn">${esc(t.switchTo)}</button>
</form>`;
  const clock = p.demo
    ? `<div class="clock" role="group" aria-label="${esc(t.clock)}">
  <p class="now" id="demo-now">${esc(t.clockNow(when(p.now)))}</p>
  <form method="post" action="/console/clock">${hidden}<button type="submit" class="btn" name="step" value="hour">${esc(t.advanceHour)}</button> <button type="submit" class="btn" name="step" value="day">${esc(t.advanceDay)}</button> <button type="submit" class="btn" name="step" value="week">${esc(t.advanceWeek)}</button></form>
</div>
<div class="tools">
  <form method="post" action="/console/example">${hidden}<button type="submit" class="btn">${esc(t.loadExample)}</button></form>
  <form method="post" action="/console/reset">${hidden}<input type="hidden" name="ask" value="1"><button type="submit" class="btn danger">${esc(t.reset)}</button></form>
</div>`
    : '';

  const room = (c: string, label: string) => {
    const current = c === p.c;
    const fresh = p.fresh.has(c) ? ` <span class="badge">${esc(t.newMessages)}</span>` : '';
    return `<li><a href="${esc(url(p.as, c))}"${current ? ' aria-current="page"' : ''}>${esc(label)}${fresh}</a></li>`;
  };
  const side = `<nav class="side" id="side" aria-label="${esc(`${t.channels} · ${t.directMessages}`)}">
  <h2>${esc(t.channels)}</h2>
  <ul class="rooms">${PLACES.map((c) => room(c, `# ${t.place[c]}`)).join('')}</ul>
  <h2>${esc(t.directMessages)}</h2>
  <ul class="rooms">${room('dm', t.dm)}</ul>
  <details class="office" id="office" open><summary>${esc(t.people)}</summary>
  <ul class="people">${p.people.map((x) => `<li>${esc(x.label)}${core.roles.rolesOf(x.id).size || !onCall.has(x.id) ? ` <span class="role">${esc(roleOf(x.id))}</span>` : ''}${x.id === onCallNow ? ` <span class="role oncall">${esc(t.oncallNow)}</span>` : onCall.has(x.id) ? ` <span class="role">${esc(t.oncall)}</span>` : ''}</li>`).join('')}</ul>
  </details>
</nav>`;

  const w = t.emptyWhat;
  const emptyWhat = p.c === 'digest' ? w.digest(core.config.calendar.digestTime) : p.c === 'dm' ? w.dm() : (w[p.c as 'review' | 'calendar' | 'kpi' | 'inquiries'] ?? w.dm)();
  const top = p.messages.filter((x) => x.parentId === null);
  const replies = (id: number) => p.messages.filter((x) => x.parentId === id);
  const messageHtml = (msg: ConsoleMessage): string => {
    const body = messageBody(core, msg, ctx);
    if (body === null) return '';
    const eph = msg.visibleTo !== null;
    const thread = replies(msg.id);
    const typed = eph ? (msg.body as { typed?: string | null }).typed : null;
    return `<li class="msg bot${eph ? ' ephemeral' : ''}" id="m${msg.id}">
  <div class="msg-meta"><strong class="who">Visto Bueno</strong> <time datetime="${new Date(msg.createdAt).toISOString()}">${esc(when(msg.createdAt))}</time>${typed ? ` <code class="cmd">${esc(typed)}</code>` : ''}</div>
  <div class="msg-body">${body}</div>${
    eph
      ? `\n  <div class="only-you">${esc(t.onlyYou)} <form class="dismiss" method="post" action="/console/dismiss">${hidden}<input type="hidden" name="m" value="${msg.id}"><button type="submit" class="btn">${esc(t.dismiss)}</button></form></div>`
      : ''
  }${thread.length ? `\n  <div class="thread"><p class="thread-title">${esc(t.inThread)}</p><ol class="msgs">${thread.map(messageHtml).join('')}</ol></div>` : ''}
</li>`;
  };
  const list = top.map(messageHtml).filter(Boolean);
  const conv = `<main class="conv" id="conv" tabindex="-1">
  <header class="conv-head"><h1>${esc(convName)}</h1></header>
  <p class="live-status" id="live-status" role="status" aria-live="polite"></p>
  ${p.notFound ? `<p class="flash" role="alert">${esc(t.notFound)}</p>` : ''}
  <div id="messages">${list.length ? `<ol class="msgs">${list.join('\n')}</ol>` : `<p class="empty-conv">${esc(t.emptyConversation)} ${inlineHtml(emptyWhat, ctx)}${p.demo && p.officeEmpty ? ` ${inlineHtml(t.emptyHint(), ctx)}` : ''}</p>`}</div>
  <form class="composer" id="composer" method="post" action="/console/command">${hidden}
    <label for="composer-input">${esc(t.composerLabel)}</label>
    <div class="composer-row"><input id="composer-input" name="text" type="text" autocomplete="off" required aria-describedby="composer-hint" maxlength="3000"><button type="submit" class="btn primary">${esc(t.send)}</button></div>
    <p class="hint" id="composer-hint">${inlineHtml(t.composerHint(), ctx)}</p>
  </form>
</main>`;

  let dialog = '';
  if (p.dialog) {
    const d = p.dialog;
    const inner =
      d.kind === 'form'
        ? formHtml(d.view, ctx, d.errors).replace('</form>', `<input type="hidden" name="dialog" value="${esc(p.dialogToken ?? '')}"></form>`)
        : d.kind === 'confirm'
          ? confirmHtml(d.action, ctx)
          : resetConfirm(d.action, hidden, back);
    dialog = `<dialog class="dlg" id="dialog" open aria-modal="true" aria-labelledby="${d.kind === 'form' ? FORM_TITLE_ID : CONFIRM_TITLE_ID}">${inner}</dialog><div class="scrim"></div>`;
  }

  return `<!doctype html>
<html lang="${f.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${convName} · ${t.title}`)}</title>
<link rel="stylesheet" href="/console/console.css">
<script src="/console/console.js" defer></script>
</head>
<body data-events="/console/events" data-live="${esc(t.live)}" data-offline="${esc(t.offline)}">
<a class="skip" href="#composer-input">${esc(t.composerLabel)}</a>
<header class="top">
  <p class="brand">${esc(t.title)}</p>
  ${who}
  ${clock}
</header>
<p class="banner ${p.demo ? 'demo' : 'live'}">${esc(p.demo ? t.demoBanner : t.liveBanner)}</p>
<div class="layout">
${side}
${conv}
</div>
${dialog}
</body>
</html>`;
}

/** «Reiniciar» asks first: the same confirmation as a card's button, posting to the console's reset. */
function resetConfirm(a: ActionView, hidden: string, back: string): string {
  const c = a.confirm!;
  return `<div class="confirm"><h2 id="${CONFIRM_TITLE_ID}">${esc(c.title)}</h2><p>${esc(c.text)}</p><div class="form-actions"><form method="post" action="/console/reset">${hidden}<button type="submit" class="btn danger">${esc(c.yes)}</button></form> <a class="btn" href="${esc(back)}">${esc(c.no)}</a></div></div>`;
}

/** One message, drawn now: cards of pieces and inquiries from their current state; the rest as delivered. Null: gone. */
function messageBody(core: Core, msg: ConsoleMessage, ctx: HtmlContext): string | null {
  const f = core.fmt;
  switch (msg.kind) {
    case 'piece': {
      const piece = msg.ref !== null ? core.pieces.get(msg.ref) : null;
      if (!piece) return null;
      const events = core.pieces.events(piece.id);
      const b = (msg.body ?? {}) as { notice?: Rich | null; history?: ListView | null };
      let view: CardView = pieceCard(f, piece, events.at(-1) ?? null);
      if (b.history) view = { ...view, context: [...view.context, [{ b: b.history.title }], ...b.history.sections.flatMap((s) => s.items)] };
      // A refusal for this person (their click did nothing): the line alone, the card is right there.
      if (b.notice && !b.history) return textHtml([b.notice], ctx);
      return cardHtml(view, ctx, b.notice ? { notice: b.notice } : {});
    }
    case 'notice': {
      const piece = msg.ref !== null ? core.pieces.get(msg.ref) : null;
      if (!piece) return null;
      const b = msg.body as NoticeBody;
      return cardHtml(noticeCard(f, piece, b.notice as Notice, { actorId: b.actorId, reason: b.reason }), ctx);
    }
    case 'inquiry': {
      const i = msg.ref !== null ? core.inquiries.getById(msg.ref) : null;
      if (!i) return null;
      const events = core.inquiries.history(i.id).events;
      const left = core.inquiries.daysLeft(i);
      const as = String((msg.body as { as?: string }).as ?? 'card');
      const page = /^page:(\d+):(\d+)(?::(oncall|next|admin))?$/.exec(as);
      // A page says how long the inquiry had waited when it was sent (each page its own «15 minutos»).
      const at = { ...f, now: () => msg.createdAt };
      const view = page ? pageCard(i.state === 'open' ? at : f, i, Number(page[1]), Number(page[2]), events, left, page[3] as 'oncall' | 'next' | 'admin' | undefined) : inquiryCard(f, i, events, left);
      return cardHtml(view, ctx);
    }
    case 'chart': {
      const b = msg.body as ChartBody & { list: Outbound };
      const c = msg.ref !== null ? core.kpis.campaignById(msg.ref) : null;
      const chart = c ? kpiChart(f, core.kpis.summary(c, b.date as never), b.metric) : null;
      const img = chart
        ? `<figure class="chart"><img src="/console/chart.png?${esc(new URLSearchParams({ campaign: String(msg.ref), date: b.date, ...(b.metric ? { metric: b.metric } : {}) }).toString())}" alt="${esc(chart.alt)}" width="800" height="400"><figcaption>${esc(chart.title)}</figcaption></figure>`
        : '';
      return `${outboundHtml(b.list, ctx)}${img}`;
    }
    case 'view':
      return outboundHtml(msg.body as Outbound & { notice?: Rich | null }, ctx);
  }
}

function outboundHtml(o: Outbound & { notice?: Rich | null }, ctx: HtmlContext): string {
  if (o.kind === 'card') return cardHtml(o.view, ctx, o.notice ? { notice: o.notice } : {});
  if (o.kind === 'list') return listHtml(o.view, ctx);
  return textHtml(o.lines, ctx);
}
