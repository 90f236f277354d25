import { richOf, type ActionView, type CardView, type FormView, type InputView, type ListView, type Rich } from '../../../views/model.js';
import { actionData } from '../../chat/forms.js';

/**
 * Neutral views → Adaptive Cards at version 1.5 (what Teams renders; Universal Actions need it).
 *
 * User text never goes through Teams' markdown: every rich line is a RichTextBlock of TextRuns,
 * which Adaptive Cards never parse as markdown, so «**», «[x](y)», «<at>» or «_» in a title show as
 * typed on every client (escaping with backslashes renders differently on desktop and mobile).
 * Headings and labels are TextRuns too; only Input labels and choice titles are plain properties.
 */
export const CARD_VERSION = '1.5';
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Teams refuses messages above ~100 KB and asks to stay under 80 KB; cards are cut well before. */
export const CARD_MAX_BYTES = 60_000;

export type Json = Record<string, unknown>;

export interface TeamsRenderContext {
  /** How a person is named in a card (Teams cannot @mention inside a RichTextBlock). */
  nameOf(personId: string): string;
  /** the label of the button that shows the actions beyond the first ones («Más acciones») */
  more?: string;
}

/** Teams shows at most 5 actions in a row; the rest go behind one «Más acciones» button. */
export const MAX_ACTIONS = 5;

function actionRow(actions: ActionView[], ctx: TeamsRenderContext): Json[] {
  const all = actions.map(execute);
  if (all.length <= MAX_ACTIONS) return all;
  const shown = all.slice(0, MAX_ACTIONS - 1);
  return [...shown, { type: 'Action.ShowCard', title: clip(ctx.more ?? '…', 60), card: { type: 'AdaptiveCard', body: [], actions: all.slice(MAX_ACTIONS - 1) } }];
}

/** Only http(s) links open from a card. */
function safeUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** Cuts text on a character boundary. */
export const clip = (s: string, max: number): string => {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
};

/** Inline pieces as TextRuns: plain text as typed, bold, italic, a command as typed, a person by name, a link. */
export function textRuns(rich: Rich, ctx: TeamsRenderContext): Json[] {
  const runs: Json[] = [];
  for (const x of rich) {
    if (typeof x === 'string') {
      if (x) runs.push({ type: 'TextRun', text: x });
    } else if ('user' in x) runs.push({ type: 'TextRun', text: ctx.nameOf(x.user), weight: 'Bolder' });
    else if ('b' in x) runs.push({ type: 'TextRun', text: x.b, weight: 'Bolder' });
    else if ('i' in x) runs.push({ type: 'TextRun', text: x.i, italic: true });
    else if ('cmd' in x) runs.push({ type: 'TextRun', text: x.cmd, fontType: 'Monospace' });
    else {
      const url = safeUrl(x.link);
      runs.push(url ? { type: 'TextRun', text: x.label ?? x.link, selectAction: { type: 'Action.OpenUrl', url } } : { type: 'TextRun', text: x.label ?? x.link });
    }
  }
  return runs.length ? runs : [{ type: 'TextRun', text: ' ' }];
}

/** A rich line; `run` styles every TextRun (subtle, a colour), `block` sets the block (spacing). */
export const richBlock = (rich: Rich, ctx: TeamsRenderContext, o: { block?: Json; run?: Json } = {}): Json => ({
  type: 'RichTextBlock',
  inlines: textRuns(rich, ctx).map((r) => ({ ...r, ...o.run })),
  ...o.block,
});

/** A heading line: large and bold, still a TextRun (never markdown). */
const heading = (text: string, size: 'Large' | 'Medium' = 'Large'): Json => ({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: clip(text, 300), size, weight: 'Bolder' }] });

/**
 * What an action carries back: a piece's button `{piece, version}` (the version the person saw, never
 * state), anything else its value as written.
 */
/** An action on a card: Action.Execute with a verb (the action id) and only the value the action needs. */
function execute(a: ActionView): Json {
  const action: Json = { type: 'Action.Execute', title: clip(a.label, 60), verb: a.id, data: actionData(a.value) };
  if (a.style === 'primary') action.style = 'positive';
  if (a.style === 'danger') action.style = 'destructive';
  return action;
}

const card = (body: Json[], actions: Json[] = [], extra: Json = {}): Json => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body,
  ...(actions.length ? { actions } : {}),
  ...extra,
  msteams: { width: 'Full' },
});

/** Teams lets at most 60 people refresh a card automatically. */
export const REFRESH_MAX_USERS = 60;

export interface CardOptions {
  /**
   * A card whose actions depend on who looks (a piece in the review channel): Teams asks the bot for
   * the current card when one of these people opens it (`refresh.userIds`, Teams user ids, ≤ 60).
   */
  refresh?: { verb: string; data: Json; userIds: string[] };
  /** a line above the card, in the attention colour (a stale click: «ya fue aprobada por…») */
  notice?: Rich;
}

/** A card (a piece, an inquiry, an alert): header, fields as label/value rows, body, quote, context, actions. */
export function cardOf(view: CardView, ctx: TeamsRenderContext, o: CardOptions = {}): Json {
  const body: Json[] = [];
  if (o.notice) body.push(richBlock(o.notice, ctx, { run: { color: 'Attention', weight: 'Bolder' } }));
  body.push(heading(view.header));
  if (view.body) body.push(richBlock(view.body, ctx));
  if (view.fields.length) {
    body.push({
      type: 'Container',
      items: view.fields.map((f) => ({
        type: 'ColumnSet',
        columns: [
          { type: 'Column', width: 'auto', items: [richBlock([{ b: f.label }], ctx)] },
          { type: 'Column', width: 'stretch', items: [richBlock(f.value, ctx)] },
        ],
      })),
    });
  }
  if (view.quote) body.push({ type: 'Container', style: 'emphasis', items: [richBlock(view.quote, ctx)] });
  for (const c of view.context) body.push(richBlock(c, ctx, { block: { spacing: 'Small' }, run: { isSubtle: true, size: 'Small' } }));
  const refresh = o.refresh ? { refresh: { action: { type: 'Action.Execute', verb: o.refresh.verb, data: o.refresh.data }, userIds: o.refresh.userIds.slice(0, REFRESH_MAX_USERS) } } : {};
  return fitted(card(body, actionRow(view.actions, ctx), refresh));
}

/** A short message: rich lines, one block each. */
export function textOf(lines: Rich[], ctx: TeamsRenderContext): Json {
  return fitted(card(lines.map((l) => richBlock(l, ctx))));
}

/** A list (pending pieces, the digest, a report): title, note, sections with items and «y N más». */
export function listOf(view: ListView, ctx: TeamsRenderContext): Json {
  const body: Json[] = [heading(view.title)];
  if (view.note) body.push(richBlock(richOf(view.note), ctx, { run: { isSubtle: true } }));
  if (!view.sections.length) body.push(richBlock(richOf(view.empty), ctx));
  for (const s of view.sections) {
    const items: Json[] = [];
    if (s.heading) items.push(heading(s.heading, 'Medium'));
    for (const it of s.items) items.push(richBlock(['• ', ...it], ctx, { block: { spacing: 'Small' } }));
    if (s.more) items.push(richBlock(richOf(s.more), ctx, { run: { isSubtle: true } }));
    body.push({ type: 'Container', items, spacing: 'Medium' });
  }
  return fitted(card(body));
}

function input(i: InputView): Json {
  const common: Json = { id: i.id, label: clip(i.label, 100), isRequired: !i.optional, ...(i.optional ? {} : { errorMessage: clip(i.label, 100) }) };
  const initial = Array.isArray(i.initial) ? i.initial.join(',') : (i.initial ?? undefined);
  switch (i.kind) {
    case 'text':
    case 'multiline':
    case 'url':
    case 'user':
      return {
        type: 'Input.Text',
        ...common,
        ...(i.kind === 'multiline' ? { isMultiline: true } : {}),
        ...(i.kind === 'url' ? { style: 'Url' } : {}),
        ...(i.maxLength ? { maxLength: i.maxLength } : {}),
        ...(i.hint ? { placeholder: clip(i.hint, 150) } : {}),
        ...(initial !== undefined ? { value: i.maxLength ? clip(initial, i.maxLength) : initial } : {}),
      };
    case 'date':
      return { type: 'Input.Date', ...common, ...(initial ? { value: initial } : {}) };
    case 'time':
      return { type: 'Input.Time', ...common, ...(initial ? { value: initial } : {}) };
    case 'select':
    case 'radio':
    case 'multiselect':
    case 'checkboxes':
      return {
        type: 'Input.ChoiceSet',
        ...common,
        style: i.kind === 'select' ? 'compact' : 'expanded',
        isMultiSelect: i.kind === 'multiselect' || i.kind === 'checkboxes',
        choices: (i.options ?? []).map((o) => ({ title: clip(o.label, 100), value: o.value })),
        ...(initial !== undefined && initial !== '' ? { value: initial } : {}),
      };
  }
}

/**
 * A form as a card with inputs: intro lines, the inputs with their hints, and one Action.Execute
 * whose verb is the form's id and whose data carries the form's metadata back.
 */
export function formOf(view: FormView, ctx: TeamsRenderContext, errors: Record<string, string> = {}): Json {
  const body: Json[] = [heading(view.title, 'Medium')];
  if (view.intro) body.push(richBlock(view.intro, ctx));
  for (const i of view.inputs) {
    body.push(input(i));
    if (i.hint && i.kind !== 'text' && i.kind !== 'multiline' && i.kind !== 'url') body.push(richBlock([i.hint], ctx, { block: { spacing: 'None' }, run: { isSubtle: true, size: 'Small' } }));
    // Validation errors show under their input, on the form: nothing was stored.
    if (errors[i.id]) body.push(richBlock([errors[i.id]!], ctx, { block: { spacing: 'None' }, run: { color: 'Attention' } }));
  }
  return fitted(card(body, [{ type: 'Action.Execute', title: clip(view.submit, 60), verb: view.callbackId, style: 'positive', data: { meta: view.privateMetadata } }]));
}

const bytes = (x: unknown): number => Buffer.byteLength(JSON.stringify(x));
const MORE = 'vb-more';
const isMore = (x: Json): boolean => typeof x.id === 'string' && x.id.startsWith(MORE);

/**
 * Keeps a card under Teams' size limit (measured in bytes, as Teams does): the longest texts are cut
 * first; then the longest list loses items from its end, one by one, with a last line counting what
 * was left out («… +12»), so every section keeps its heading and its first items; only then do whole
 * trailing elements go. A card is never refused for its size.
 */
export function fitted(c: Json): Json {
  if (bytes(c) <= CARD_MAX_BYTES) return c;
  const body = (c.body as Json[]).map((b) => shorten(b, 2000));
  const out = { ...c, body };
  const lists = body.filter((b) => b.type === 'Container' && Array.isArray(b.items)) as (Json & { items: Json[] })[];
  const dropped = new Map<Json, number>();
  while (bytes(out) > CARD_MAX_BYTES - 200) {
    // The container with the most items that can still lose one (its heading and first item stay).
    const longest = lists
      .map((l) => ({ l, n: l.items.filter((x) => !isMore(x)).length }))
      .filter((x) => x.n > 2)
      .sort((a, b) => b.n - a.n)[0];
    if (!longest) break;
    const items = longest.l.items.filter((x) => !isMore(x));
    items.pop();
    const n = (dropped.get(longest.l) ?? 0) + 1;
    dropped.set(longest.l, n);
    longest.l.items = [...items, { type: 'RichTextBlock', id: `${MORE}-${lists.indexOf(longest.l)}`, inlines: [{ type: 'TextRun', text: `… +${n}`, isSubtle: true }] }];
  }
  const kept = body.length;
  while (bytes(out) > CARD_MAX_BYTES - 200 && body.length > 1) body.pop();
  if (body.length < kept) body.push({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '…', isSubtle: true }] });
  return out;
}

function shorten(el: Json, max: number): Json {
  if (el.type === 'TextRun' && typeof el.text === 'string') return { ...el, text: clip(el.text, max) };
  const out: Json = { ...el };
  for (const k of ['inlines', 'items', 'columns'] as const) if (Array.isArray(el[k])) out[k] = (el[k] as Json[]).map((x) => shorten(x, max));
  return out;
}
