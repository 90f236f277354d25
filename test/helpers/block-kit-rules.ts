import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/**
 * What Slack checks before it accepts blocks or a modal: the shapes published in @slack/types
 * (a JSON Schema generated from them, see `npm run schema:slack`) and the limits those types
 * cannot express (docs.slack.dev/reference/block-kit; ../shared/PROTOCOLS.md §4).
 * Each problem is phrased as Slack phrases it in `response_metadata.messages`:
 * `[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text]`.
 */
const schema = createRequire(import.meta.url)('./slack-block-kit.schema.json') as Record<string, unknown>;

const ajv = new Ajv({ allErrors: false, strict: false });
ajv.addSchema(schema, 'slack');
const messageBlocks = ajv.getSchema('slack#/definitions/MessageBlocks') as ValidateFunction;
const modal = ajv.getSchema('slack#/definitions/Modal') as ValidateFunction;

export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  textObject: 3000,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  header: 150,
  id: 255,
  actionsElements: 25,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  optionText: 75,
  optionValue: 150,
  options: 100,
  choiceOptions: 10,
  overflowOptions: 5,
  placeholder: 150,
  label: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  privateMetadata: 3000,
  callbackId: 255,
  /** Slack truncates longer `text` and refuses it on chat.postMessage as msg_too_long. */
  messageText: 40_000,
  /** Undocumented cumulative cap on block text (bolt-js#2509: «12,000 text characters»). */
  blockTextTotal: 12_000,
} as const;

const len = (s: unknown): number => (typeof s === 'string' ? [...s].length : 0);
const schemaMessage = (e: ErrorObject, prefix: string): string =>
  `[ERROR] ${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''} [json-pointer:${prefix}${e.instancePath}]`;

type Node = Record<string, unknown>;

/** Walks blocks and their elements; `problems` collects Slack-style messages. */
function checkLimits(root: unknown, prefix: string, problems: string[]): number {
  let textTotal = 0;
  const over = (path: string, max: number) => problems.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${path}]`);
  const count = (path: string, max: number, what = 'items') => problems.push(`[ERROR] no more than ${max} ${what} allowed [json-pointer:${path}]`);
  const textObject = (t: unknown, path: string, max: number = SLACK_LIMITS.textObject) => {
    if (!t || typeof t !== 'object') return;
    const text = (t as Node).text;
    if (typeof text !== 'string') return;
    if (text.length === 0 || !text.trim()) problems.push(`[ERROR] must be more than 0 characters [json-pointer:${path}/text]`);
    if (len(text) > max) over(`${path}/text`, max);
    textTotal += len(text);
  };
  const maxLen = (v: unknown, path: string, max: number) => {
    if (len(v) > max) over(path, max);
  };
  const options = (opts: unknown, path: string, max: number) => {
    if (!Array.isArray(opts)) return;
    if (opts.length > max) count(path, max);
    opts.forEach((o: Node, i) => {
      textObject(o.text, `${path}/${i}/text`, SLACK_LIMITS.optionText);
      textObject(o.description, `${path}/${i}/description`, SLACK_LIMITS.optionText);
      maxLen(o.value, `${path}/${i}/value`, SLACK_LIMITS.optionValue);
    });
  };
  const element = (el: Node, path: string) => {
    maxLen(el.action_id, `${path}/action_id`, SLACK_LIMITS.id);
    textObject(el.placeholder, `${path}/placeholder`, SLACK_LIMITS.placeholder);
    if (el.confirm && typeof el.confirm === 'object') {
      const c = el.confirm as Node;
      textObject(c.title, `${path}/confirm/title`, SLACK_LIMITS.confirmTitle);
      textObject(c.text, `${path}/confirm/text`, SLACK_LIMITS.confirmText);
      textObject(c.confirm, `${path}/confirm/confirm`, SLACK_LIMITS.confirmButton);
      textObject(c.deny, `${path}/confirm/deny`, SLACK_LIMITS.confirmButton);
    }
    switch (el.type) {
      case 'button':
        textObject(el.text, `${path}/text`, SLACK_LIMITS.buttonText);
        maxLen(el.value, `${path}/value`, SLACK_LIMITS.buttonValue);
        maxLen(el.url, `${path}/url`, SLACK_LIMITS.url);
        break;
      case 'checkboxes':
      case 'radio_buttons':
        options(el.options, `${path}/options`, SLACK_LIMITS.choiceOptions);
        break;
      case 'overflow':
        options(el.options, `${path}/options`, SLACK_LIMITS.overflowOptions);
        break;
      case 'static_select':
      case 'multi_static_select':
        options(el.options, `${path}/options`, SLACK_LIMITS.options);
        if (Array.isArray(el.options) && el.options.length === 0) problems.push(`[ERROR] must provide at least 1 option [json-pointer:${path}/options]`);
        break;
      case 'mrkdwn':
      case 'plain_text':
        textObject(el, path);
        break;
    }
  };
  const block = (b: Node, path: string) => {
    maxLen(b.block_id, `${path}/block_id`, SLACK_LIMITS.id);
    switch (b.type) {
      case 'section': {
        if (!b.text && !b.fields) problems.push(`[ERROR] must provide either text or fields [json-pointer:${path}]`);
        textObject(b.text, `${path}/text`, SLACK_LIMITS.sectionText);
        if (Array.isArray(b.fields)) {
          if (b.fields.length > SLACK_LIMITS.fields) count(`${path}/fields`, SLACK_LIMITS.fields);
          b.fields.forEach((f, i) => textObject(f, `${path}/fields/${i}`, SLACK_LIMITS.fieldText));
        }
        if (b.accessory) element(b.accessory as Node, `${path}/accessory`);
        break;
      }
      case 'header':
        textObject(b.text, `${path}/text`, SLACK_LIMITS.header);
        break;
      case 'actions':
        if (Array.isArray(b.elements)) {
          if (b.elements.length > SLACK_LIMITS.actionsElements) count(`${path}/elements`, SLACK_LIMITS.actionsElements);
          if (b.elements.length === 0) problems.push(`[ERROR] must provide at least 1 element [json-pointer:${path}/elements]`);
          b.elements.forEach((e: Node, i) => element(e, `${path}/elements/${i}`));
        }
        break;
      case 'context':
        if (Array.isArray(b.elements)) {
          if (b.elements.length > SLACK_LIMITS.contextElements) count(`${path}/elements`, SLACK_LIMITS.contextElements);
          if (b.elements.length === 0) problems.push(`[ERROR] must provide at least 1 element [json-pointer:${path}/elements]`);
          b.elements.forEach((e: Node, i) => element(e, `${path}/elements/${i}`));
        }
        break;
      case 'input':
        textObject(b.label, `${path}/label`, SLACK_LIMITS.label);
        textObject(b.hint, `${path}/hint`, SLACK_LIMITS.label);
        if (b.element) element(b.element as Node, `${path}/element`);
        break;
    }
  };
  if (Array.isArray(root)) root.forEach((b: Node, i) => block(b, `${prefix}/${i}`));
  return textTotal;
}

/** Problems with message blocks (chat.* methods and response_url bodies); empty when Slack would accept them. */
export function checkMessageBlocks(blocks: unknown): string[] {
  if (blocks === undefined) return [];
  const problems: string[] = [];
  if (!messageBlocks(blocks)) return [schemaMessage(messageBlocks.errors![0]!, '/blocks')];
  if ((blocks as unknown[]).length > SLACK_LIMITS.blocksPerMessage) problems.push(`[ERROR] no more than ${SLACK_LIMITS.blocksPerMessage} items allowed [json-pointer:/blocks]`);
  const total = checkLimits(blocks, '/blocks', problems);
  if (total > SLACK_LIMITS.blockTextTotal) problems.push(`[ERROR] blocks carry ${total} characters of text; Slack allows about ${SLACK_LIMITS.blockTextTotal} [json-pointer:/blocks]`);
  return problems;
}

/** Problems with a modal view (views.open / views.update). */
export function checkModal(view: unknown): string[] {
  const problems: string[] = [];
  if (!modal(view)) return [schemaMessage(modal.errors![0]!, '/view')];
  const v = view as Node;
  const blocks = v.blocks as Node[];
  if (blocks.length > SLACK_LIMITS.blocksPerModal) problems.push(`[ERROR] no more than ${SLACK_LIMITS.blocksPerModal} items allowed [json-pointer:/view/blocks]`);
  for (const k of ['title', 'submit', 'close'] as const) {
    const t = v[k] as Node | undefined;
    if (t && len(t.text) > SLACK_LIMITS.modalTitle) problems.push(`[ERROR] must be less than ${SLACK_LIMITS.modalTitle + 1} characters [json-pointer:/view/${k}/text]`);
    if (t && !String(t.text ?? '').trim()) problems.push(`[ERROR] must be more than 0 characters [json-pointer:/view/${k}/text]`);
  }
  if (!v.submit && blocks.some((b) => b.type === 'input')) problems.push('[ERROR] submit is required when a view has input blocks [json-pointer:/view/submit]');
  if (len(v.private_metadata) > SLACK_LIMITS.privateMetadata) problems.push(`[ERROR] must be less than ${SLACK_LIMITS.privateMetadata + 1} characters [json-pointer:/view/private_metadata]`);
  if (len(v.callback_id) > SLACK_LIMITS.callbackId) problems.push(`[ERROR] must be less than ${SLACK_LIMITS.callbackId + 1} characters [json-pointer:/view/callback_id]`);
  const ids = blocks.map((b) => b.block_id).filter(Boolean);
  if (new Set(ids).size !== ids.length) problems.push('[ERROR] duplicate block_id [json-pointer:/view/blocks]');
  checkLimits(blocks, '/view/blocks', problems);
  return problems;
}
