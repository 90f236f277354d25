import { slackUserOf } from '../people.js';
import { plainOf, richOf, type ActionView, type CardView, type FormView, type InputView, type ListView, type Rich } from '../../../views/model.js';
import { clip, escapeMrkdwn, richToMrkdwn } from './mrkdwn.js';

/** Slack's Block Kit limits (docs.slack.dev/reference/block-kit). */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  header: 150,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  modalTitle: 24,
  /** Slack refuses messages whose blocks carry more than roughly 12,000 characters (bolt-js#2509). */
  messageText: 11_000,
  optionText: 75,
} as const;

// Block Kit is loosely typed on purpose here: these objects go straight into the Web API.
export type Block = Record<string, unknown>;

const plain = (text: string, max: number = LIMITS.sectionText) => ({ type: 'plain_text', text: clip(text, max), emoji: true });
const mrkdwn = (rich: Rich, max: number = LIMITS.sectionText) => ({ type: 'mrkdwn', text: clip(richToMrkdwn(rich), max) });

function button(a: ActionView): Block {
  const b: Block = { type: 'button', action_id: a.id, text: plain(a.label, LIMITS.buttonText), value: a.value.slice(0, LIMITS.buttonValue) };
  if (a.style) b.style = a.style;
  if (a.confirm) {
    b.confirm = {
      title: plain(a.confirm.title, 100),
      text: plain(a.confirm.text, 300),
      confirm: plain(a.confirm.yes, 30),
      deny: plain(a.confirm.no, 30),
      ...(a.style === 'danger' ? { style: 'danger' } : {}),
    };
  }
  return b;
}

export function cardBlocks(card: CardView): Block[] {
  // Slack refuses a message whose blocks carry more than ~12,000 characters in all, however each
  // text object fits its own limit: every text below draws from one budget, in reading order.
  let left: number = LIMITS.messageText;
  const take = (text: string, max: number): string => {
    const t = clip(text, Math.max(1, Math.min(max, left)));
    left -= [...t].length;
    return t;
  };
  const plainIn = (text: string, max: number) => ({ ...plain(text, max), text: take(text, max) });
  const mrkdwnIn = (rich: Rich, max: number = LIMITS.sectionText) => ({ type: 'mrkdwn', text: take(richToMrkdwn(rich), max) });
  const blocks: Block[] = [{ type: 'header', text: plainIn(card.header, LIMITS.header) }];
  if (card.body && left > 0) blocks.push({ type: 'section', text: mrkdwnIn(card.body) });
  if (card.fields.length && left > 0) {
    blocks.push({
      type: 'section',
      fields: card.fields.slice(0, LIMITS.fields).map((fl) => mrkdwnIn([{ b: fl.label }, '\n', ...fl.value], LIMITS.fieldText)),
    });
  }
  if (card.quote && left > 0) {
    const text = richToMrkdwn(card.quote);
    if (text.trim()) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: take(quoteLines(text), LIMITS.sectionText) } });
  }
  const context = card.context.filter((c) => c.length).slice(0, LIMITS.contextElements);
  if (context.length && left > 0) blocks.push({ type: 'context', elements: context.map((c) => mrkdwnIn(c)) });
  if (card.actions.length) blocks.push({ type: 'actions', block_id: 'piece_actions', elements: card.actions.map(button) });
  return blocks;
}

/** Text as a Slack quote: every line starts with `>`, so user text cannot end the quote early. */
export const quoteLines = (mrkdwnText: string): string => mrkdwnText.split('\n').map((l) => `>${l}`).join('\n');

export function cardMessage(card: CardView): { text: string; blocks: Block[] } {
  // The notification text is mrkdwn too: built from the same rich text, so mentions stay mentions.
  const text = card.body ? richToMrkdwn(card.body) : escapeMrkdwn(card.fallback);
  return { text: clip(text, 3000), blocks: cardBlocks(card) };
}

/** A list as blocks, packed into sections of at most 3,000 characters and 50 blocks in all. */
export function listBlocks(list: ListView): Block[] {
  const blocks: Block[] = [{ type: 'header', text: plain(list.title, LIMITS.header) }];
  if (list.note) blocks.push({ type: 'context', elements: [mrkdwn(richOf(list.note))] });
  if (list.sections.length === 0) {
    blocks.push({ type: 'section', text: mrkdwn(richOf(list.empty)) });
    return blocks;
  }
  let omitted = 0;
  let total = list.title.length;
  const room = (n: number) => blocks.length < LIMITS.blocksPerMessage - 2 && total + n <= LIMITS.messageText;
  for (const s of list.sections) {
    if (s.heading && room(s.heading.length + 2)) {
      blocks.push({ type: 'section', text: mrkdwn([{ b: s.heading }]) });
      total += s.heading.length + 2;
    }
    let chunk = '';
    const flush = () => {
      if (!chunk) return;
      if (room(chunk.length)) {
        blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
        total += chunk.length;
      } else omitted += chunk.split('\n').length;
      chunk = '';
    };
    for (const item of s.items) {
      const line = clip(`• ${richToMrkdwn(item)}`, LIMITS.sectionText);
      if (chunk.length + line.length + 1 > LIMITS.sectionText) flush();
      chunk = chunk ? `${chunk}\n${line}` : line;
    }
    flush();
    const more = s.more ? richOf(s.more) : null;
    if (more && room(plainOf(more).length + 1)) {
      blocks.push({ type: 'context', elements: [mrkdwn(more)] });
      total += plainOf(more).length + 1;
    }
  }
  if (omitted) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `… +${omitted}` }] });
  return blocks.slice(0, LIMITS.blocksPerMessage);
}

function inputElement(i: InputView): Block {
  const base = { action_id: i.id };
  const options = (i.options ?? []).map((o) => ({ text: plain(o.label, LIMITS.optionText), value: o.value }));
  const initialOptions = (values: string[]) => options.filter((o) => values.includes(o.value));
  const initialList = Array.isArray(i.initial) ? i.initial : i.initial ? [i.initial] : [];
  switch (i.kind) {
    case 'text':
    case 'multiline':
      return {
        ...base,
        type: 'plain_text_input',
        multiline: i.kind === 'multiline',
        // Slack's plain_text_input holds at most 3,000 characters, whatever the office allows.
        ...(i.maxLength ? { max_length: Math.min(i.maxLength, 3000) } : {}),
        // A prefilled value longer than the field would make Slack refuse the whole form.
        ...(typeof i.initial === 'string' ? { initial_value: [...i.initial].slice(0, Math.min(i.maxLength ?? 3000, 3000)).join('') } : {}),
      };
    case 'url':
      return { ...base, type: 'url_text_input', ...(typeof i.initial === 'string' ? { initial_value: i.initial } : {}) };
    case 'select':
      return { ...base, type: 'static_select', options, ...(initialList.length ? { initial_option: initialOptions(initialList)[0] } : {}) };
    case 'multiselect':
      return { ...base, type: 'multi_static_select', options, ...(initialList.length ? { initial_options: initialOptions(initialList) } : {}) };
    case 'checkboxes':
      return { ...base, type: 'checkboxes', options, ...(initialList.length ? { initial_options: initialOptions(initialList) } : {}) };
    case 'radio':
      return { ...base, type: 'radio_buttons', options, ...(initialList.length ? { initial_option: initialOptions(initialList)[0] } : {}) };
    case 'user':
      return { ...base, type: 'users_select', ...(typeof i.initial === 'string' && slackUserOf(i.initial) ? { initial_user: slackUserOf(i.initial)! } : {}) };
    case 'date':
      return { ...base, type: 'datepicker', ...(typeof i.initial === 'string' ? { initial_date: i.initial } : {}) };
    case 'time':
      return { ...base, type: 'timepicker', ...(typeof i.initial === 'string' ? { initial_time: i.initial } : {}) };
  }
}

export function modalView(form: FormView): Block {
  const blocks: Block[] = [];
  if (form.intro) blocks.push({ type: 'section', text: mrkdwn(form.intro) });
  for (const i of form.inputs) {
    blocks.push({
      type: 'input',
      block_id: i.id,
      label: plain(i.label, 2000),
      optional: i.optional === true,
      ...(i.hint ? { hint: plain(i.hint, 2000) } : {}),
      element: inputElement(i),
    });
  }
  return {
    type: 'modal',
    callback_id: form.callbackId,
    title: plain(form.title, LIMITS.modalTitle),
    submit: plain(form.submit, LIMITS.modalTitle),
    close: plain(form.close, LIMITS.modalTitle),
    private_metadata: form.privateMetadata,
    blocks,
  };
}

type StateValue = {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
  selected_date?: string | null;
  selected_time?: string | null;
  selected_user?: string | null;
};

/** A single text value of a submitted form (null when empty or a list). */
export const formString = (v: string | string[] | null | undefined): string | null => (typeof v === 'string' ? v : null);

/** Reads a submitted modal's state into field id → value (string, list, or null when empty). */
export function readFormState(values: Record<string, Record<string, StateValue>>): Record<string, string | string[] | null> {
  const out: Record<string, string | string[] | null> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    for (const v of Object.values(actions)) {
      if (v.selected_options !== undefined) out[blockId] = v.selected_options.map((o) => o.value);
      else if (v.selected_option !== undefined) out[blockId] = v.selected_option?.value ?? null;
      else if (v.selected_date !== undefined) out[blockId] = v.selected_date ?? null;
      else if (v.selected_time !== undefined) out[blockId] = v.selected_time ?? null;
      else if (v.selected_user !== undefined) out[blockId] = v.selected_user ?? null;
      else out[blockId] = v.value ?? null;
    }
  }
  return out;
}
