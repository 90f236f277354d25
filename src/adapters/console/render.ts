import type { Messages } from '../../i18n/index.js';
import { richOf, type ActionView, type CardView, type FormView, type InputView, type ListView, type Rich } from '../../views/model.js';

/**
 * Neutral views → HTML for the local web console.
 *
 * Every string of user text goes through `esc`, in text and in attribute values alike; the only
 * markup is the renderer's own. No inline scripts, event handlers or styles (the console's
 * Content-Security-Policy forbids them) and nothing needs JavaScript: every button is a small form
 * that posts, every «close» is a link back to the page. The console's own words come from
 * `m.console`; every other word comes from the view.
 */

export interface HtmlContext {
  /** the catalog (messagesFor(locale)); m.console.* are the console's words */
  m: Messages;
  /** a person's display name for {user} inlines */
  nameOf(personId: string): string;
  /** the CSRF token every form carries (hidden input name="csrf") */
  csrf: string;
  /** the viewer's person id (hidden input name="as") */
  as: string;
  /** where the viewer is (hidden input name="c"), e.g. "review" or "dm" */
  conversation: string;
  /** suggestions for 'user' inputs */
  people: { email: string; label: string }[];
  /**
   * Where «close» / «no» links go: the page without the dialog. Default `?` (the current page,
   * without its query); give the page's own URL when the query says who and where the viewer is.
   */
  back?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes & < > " ' (text and attribute values alike). */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Escaped text whose line breaks stay line breaks. */
const escLines = (s: string): string => esc(s).replace(/\r\n|\r|\n/g, '<br>');

/** The id of a form's heading (a dialog is aria-labelledby it). One dialog is open at a time. */
export const FORM_TITLE_ID = 'form-title';
/** The id of a confirm step's heading. */
export const CONFIRM_TITLE_ID = 'confirm-title';

/** Only http(s) links open; anything else (javascript:, data:, relative) is shown as text. */
function safeUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** A command as the console types it: with a slash, like Slack. */
const slashed = (cmd: string): string => (cmd.startsWith('/') ? cmd : `/${cmd}`);

/** Rich inline text → HTML: every character of user text escaped, only the renderer's own tags. */
export function inlineHtml(rich: Rich, ctx: HtmlContext): string {
  let out = '';
  for (const x of rich) {
    if (typeof x === 'string') out += escLines(x);
    else if ('user' in x) out += `<strong class="mention">@${esc(ctx.nameOf(x.user))}</strong>`;
    else if ('b' in x) out += x.b ? `<strong>${escLines(x.b)}</strong>` : '';
    else if ('i' in x) out += x.i ? `<em>${escLines(x.i)}</em>` : '';
    else if ('cmd' in x) out += `<code class="cmd">${esc(slashed(x.cmd))}</code>`;
    else {
      const label = x.label ?? x.link;
      const url = safeUrl(x.link);
      out += url
        ? `<a href="${esc(url)}" rel="noopener noreferrer" target="_blank">${esc(label)}<span class="sr-only"> ${esc(ctx.m.console.newTab)}</span></a>`
        : esc(label);
    }
  }
  return out;
}

const hidden = (name: string, value: string): string => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;

/** What every form carries: the CSRF token, who is acting and where. */
const baseHidden = (ctx: HtmlContext): string => hidden('csrf', ctx.csrf) + hidden('as', ctx.as) + hidden('c', ctx.conversation);

const btnClass = (style?: 'primary' | 'danger'): string => (style ? `btn ${style}` : 'btn');

const backHref = (ctx: HtmlContext): string => esc(ctx.back ?? '?');

/** One button of a card: its own small form. An action that asks first carries ask=1. */
function actionForm(a: ActionView, ctx: HtmlContext): string {
  return (
    `<form method="post" action="/console/act" class="act">` +
    baseHidden(ctx) +
    hidden('verb', a.id) +
    hidden('value', a.value) +
    (a.confirm ? hidden('ask', '1') : '') +
    `<button type="submit" class="${btnClass(a.style)}">${esc(a.label)}</button>` +
    `</form>`
  );
}

/** A card: the notice for this viewer, header, fields, body, quote, context lines and actions. */
export function cardHtml(view: CardView, ctx: HtmlContext, opts: { notice?: Rich } = {}): string {
  let out = '<article class="card">';
  if (opts.notice?.length) out += `<p class="notice" role="status">${inlineHtml(opts.notice, ctx)}</p>`;
  out += `<h3>${esc(view.header)}</h3>`;
  if (view.body?.length) out += `<p class="body">${inlineHtml(view.body, ctx)}</p>`;
  if (view.fields.length) {
    out += '<dl class="fields">';
    for (const f of view.fields) out += `<div><dt>${esc(f.label)}</dt><dd>${inlineHtml(f.value, ctx)}</dd></div>`;
    out += '</dl>';
  }
  if (view.quote?.length) out += `<blockquote>${inlineHtml(view.quote, ctx)}</blockquote>`;
  for (const c of view.context) out += `<p class="context">${inlineHtml(c, ctx)}</p>`;
  if (view.actions.length) out += `<div class="actions">${view.actions.map((a) => actionForm(a, ctx)).join('')}</div>`;
  return `${out}</article>`;
}

/**
 * The confirm step of an action with `confirm`: its title, its text, «yes» (posts the action, without
 * ask) and «no» (a link back to the page; inside a <dialog>, a script may close it instead — the
 * link carries `data-close`).
 */
export function confirmHtml(action: ActionView, ctx: HtmlContext): string {
  const c = action.confirm ?? { title: action.label, text: '', yes: action.label, no: ctx.m.console.cancel };
  return (
    `<div class="confirm">` +
    `<h2 id="${CONFIRM_TITLE_ID}">${esc(c.title)}</h2>` +
    (c.text ? `<p>${escLines(c.text)}</p>` : '') +
    `<div class="form-actions">` +
    `<form method="post" action="/console/act" class="act">` +
    baseHidden(ctx) +
    hidden('verb', action.id) +
    hidden('value', action.value) +
    `<button type="submit" class="btn danger">${esc(c.yes)}</button>` +
    `</form>` +
    `<a class="btn" href="${backHref(ctx)}" data-close>${esc(c.no)}</a>` +
    `</div></div>`
  );
}

/** A list: title, note, sections with their heading, items and «y N más»; the empty line when nothing is listed. */
export function listHtml(view: ListView, ctx: HtmlContext): string {
  let out = `<section class="list"><h3>${esc(view.title)}</h3>`;
  if (view.note !== undefined) out += `<p class="note">${inlineHtml(richOf(view.note), ctx)}</p>`;
  const nothing = view.sections.every((s) => !s.items.length && s.more === undefined);
  if (nothing) out += `<p class="empty">${inlineHtml(richOf(view.empty), ctx)}</p>`;
  else {
    for (const s of view.sections) {
      if (s.heading) out += `<h4>${esc(s.heading)}</h4>`;
      if (s.items.length) out += `<ul>${s.items.map((it) => `<li>${inlineHtml(it, ctx)}</li>`).join('')}</ul>`;
      if (s.more !== undefined) out += `<p class="more">${inlineHtml(richOf(s.more), ctx)}</p>`;
    }
  }
  return `${out}</section>`;
}

/** A short message: one paragraph per line. */
export function textHtml(lines: Rich[], ctx: HtmlContext): string {
  return `<div class="text">${lines.map((l) => `<p>${inlineHtml(l, ctx)}</p>`).join('')}</div>`;
}

/**
 * An input id as an HTML id fragment: letters, digits and «_» kept, anything else as `-u{hex}-`, so
 * distinct input ids never meet and the suffixes below («-hint», «-err», «-o1», «-people») never clash.
 */
const idPart = (id: string): string => [...id].map((ch) => (/[A-Za-z0-9_]/.test(ch) ? ch : `-u${ch.codePointAt(0)!.toString(16)}-`)).join('');

/** The HTML id of an input (the target of its error link): `f-` + its id. */
export const fieldId = (inputId: string): string => `f-${idPart(inputId)}`;

const initialValues = (i: InputView): string[] => (i.initial === null || i.initial === undefined ? [] : Array.isArray(i.initial) ? i.initial : [i.initial]);
const initialText = (i: InputView): string => (Array.isArray(i.initial) ? i.initial.join(', ') : (i.initial ?? ''));

const attr = (name: string, on: boolean): string => (on ? ` ${name}` : '');

function inputHtml(i: InputView, ctx: HtmlContext, error: string | undefined): string {
  const id = fieldId(i.id);
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const described = [i.hint ? hintId : '', error ? errId : ''].filter(Boolean).join(' ');
  const aria = (described ? ` aria-describedby="${described}"` : '') + (error ? ' aria-invalid="true"' : '');
  const required = i.optional ? '' : ' required aria-required="true"';
  const name = esc(i.id);
  const max = i.maxLength ? ` maxlength="${i.maxLength}"` : '';
  // Some labels say it already («Nota (opcional)»): never twice.
  const optional = i.optional && !i.label.includes(ctx.m.console.optional) ? ` <span class="optional">${esc(ctx.m.console.optional)}</span>` : '';
  const hint = i.hint ? `<p class="hint" id="${hintId}">${escLines(i.hint)}</p>` : '';
  const err = error ? `<p class="error" id="${errId}"><span class="sr-only">${esc(ctx.m.console.fieldError)}: </span>${escLines(error)}</p>` : '';
  const chosen = new Set(initialValues(i));

  if (i.kind === 'checkboxes' || i.kind === 'multiselect' || i.kind === 'radio') {
    const radio = i.kind === 'radio';
    // The first choice carries the field's id, so the error link lands on an input.
    const boxes = (i.options ?? [])
      .map((o, n) => {
        const oid = n === 0 ? id : `${id}-o${n}`;
        return (
          `<div class="choice"><input type="${radio ? 'radio' : 'checkbox'}" id="${oid}" name="${name}" value="${esc(o.value)}"` +
          attr('checked', chosen.has(o.value)) +
          (radio && !i.optional ? ' required' : '') +
          (error ? ' aria-invalid="true"' : '') +
          `><label for="${oid}">${esc(o.label)}</label></div>`
        );
      })
      .join('');
    // A group of radios can be required (role radiogroup); a group of checkboxes only says it is not optional.
    const role = radio ? ` role="radiogroup"${i.optional ? '' : ' aria-required="true"'}` : '';
    return (
      `<fieldset class="field choices${error ? ' invalid' : ''}"${role}${described ? ` aria-describedby="${described}"` : ''}>` +
      `<legend>${esc(i.label)}${optional}</legend>${hint}${boxes}${err}</fieldset>`
    );
  }

  const label = `<label for="${id}">${esc(i.label)}${optional}</label>`;
  let control: string;
  switch (i.kind) {
    case 'multiline':
      // The newline after the tag keeps a value's own leading newline (the parser drops the first one).
      control = `<textarea id="${id}" name="${name}" rows="5"${max}${required}${aria}>\n${esc(initialText(i))}</textarea>`;
      break;
    case 'select': {
      const anyChosen = (i.options ?? []).some((o) => chosen.has(o.value));
      // An empty first choice when the field may stay empty, or when nothing is chosen yet (no silent default).
      const empty = i.optional || !anyChosen ? `<option value=""${attr('selected', !anyChosen)}></option>` : '';
      const options = (i.options ?? []).map((o) => `<option value="${esc(o.value)}"${attr('selected', chosen.has(o.value))}>${esc(o.label)}</option>`).join('');
      control = `<select id="${id}" name="${name}"${required}${aria}>${empty}${options}</select>`;
      break;
    }
    case 'user': {
      // The office's people to pick from (by e-mail, as the command layer reads it); typed otherwise.
      const typed = initialText(i);
      if (ctx.people.length && (!typed || ctx.people.some((p) => p.email === typed || p.label === typed))) {
        const chosen = ctx.people.find((p) => p.email === typed || p.label === typed)?.email ?? '';
        const options = ctx.people.map((p) => `<option value="${esc(p.email)}"${p.email === chosen ? ' selected' : ''}>${esc(p.label)}</option>`).join('');
        control = `<select id="${id}" name="${name}"${required}${aria}><option value=""${chosen ? '' : ' selected'}></option>${options}</select>`;
        break;
      }
      const listId = `${id}-people`;
      const options = ctx.people.map((p) => `<option value="${esc(p.email)}">${esc(p.label)}</option>`).join('');
      control =
        `<input type="text" id="${id}" name="${name}" list="${listId}" autocomplete="off" value="${esc(initialText(i))}"${max}${required}${aria}>` +
        `<datalist id="${listId}">${options}</datalist>`;
      break;
    }
    default: {
      const type = i.kind === 'url' ? 'url' : i.kind === 'date' ? 'date' : i.kind === 'time' ? 'time' : 'text';
      const len = type === 'text' || type === 'url' ? max : '';
      control = `<input type="${type}" id="${id}" name="${name}" value="${esc(initialText(i))}"${len}${required}${aria}>`;
    }
  }
  return `<div class="field${error ? ' invalid' : ''}">${label}${hint}${control}${err}</div>`;
}

/**
 * A form (what Slack shows as a modal), for a <dialog>: hidden csrf/as/c/verb/meta, the title
 * (`FORM_TITLE_ID`), intro, the inputs (named by their ids) and, with `errors` (input id → message),
 * a summary that links each error to its input.
 */
export function formHtml(view: FormView, ctx: HtmlContext, errors: Record<string, string> = {}): string {
  const byId = new Map(view.inputs.map((i) => [i.id, i]));
  const errs = Object.entries(errors).filter(([, msg]) => msg);
  let out =
    `<form method="post" action="/console/form" class="form" novalidate aria-labelledby="${FORM_TITLE_ID}">` +
    baseHidden(ctx) +
    hidden('verb', view.callbackId) +
    hidden('meta', view.privateMetadata) +
    `<h2 id="${FORM_TITLE_ID}">${esc(view.title)}</h2>`;
  if (errs.length) {
    out += `<div class="error-summary" role="alert" tabindex="-1"><p>${esc(ctx.m.console.formHasErrors)}</p><ul>`;
    for (const [key, msg] of errs) {
      const input = byId.get(key);
      out += input ? `<li><a href="#${fieldId(key)}">${esc(input.label)}: ${esc(msg)}</a></li>` : `<li>${esc(msg)}</li>`;
    }
    out += '</ul></div>';
  }
  if (view.intro?.length) out += `<p class="intro">${inlineHtml(view.intro, ctx)}</p>`;
  for (const i of view.inputs) out += inputHtml(i, ctx, errors[i.id] || undefined);
  out +=
    `<div class="form-actions">` +
    `<button type="submit" class="btn primary">${esc(view.submit)}</button>` +
    `<a class="btn" href="${backHref(ctx)}" data-close>${esc(view.close)}</a>` +
    `</div></form>`;
  return out;
}
