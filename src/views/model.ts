/** A neutral view model: what the person sees, without any platform's markup. */

/**
 * Inline text: plain strings are user text and are always escaped by the renderer.
 * `cmd` names a command as people type it to the bot, without any platform's syntax
 * («pieza pendientes»): Slack shows it as a slash command, Teams and the console as typed.
 */
export type Inline =
  | string
  | { user: string }
  | { b: string }
  | { i: string }
  | { cmd: string }
  | { link: string; label?: string };
export type Rich = Inline[];

export interface ActionView {
  id: string;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: { title: string; text: string; yes: string; no: string };
}

export interface CardView {
  /** plain text, no markup */
  header: string;
  fields: { label: string; value: Rich }[];
  body?: Rich;
  quote?: Rich;
  context: Rich[];
  actions: ActionView[];
  /** plain notification text */
  fallback: string;
}

/** A catalog line: plain words, or rich when it names a command or a person. */
export type Line = string | Rich;
export const richOf = (l: Line): Rich => (typeof l === 'string' ? [l] : l);

export interface ListView {
  title: string;
  /** a line under the title (e.g. «con retraso») */
  note?: Line;
  sections: { heading?: string; items: Rich[]; more?: Line }[];
  empty: Line;
}

export interface InputView {
  id: string;
  label: string;
  kind: 'text' | 'multiline' | 'select' | 'multiselect' | 'date' | 'time' | 'url' | 'checkboxes' | 'radio' | 'user';
  optional?: boolean;
  hint?: string;
  maxLength?: number;
  initial?: string | string[] | null;
  options?: { value: string; label: string }[];
}

export interface FormView {
  callbackId: string;
  title: string;
  submit: string;
  close: string;
  privateMetadata: string;
  /** Read-only lines above the inputs. */
  intro?: Rich;
  inputs: InputView[];
}

export const plainOf = (rich: Rich): string =>
  rich
    .map((x) => (typeof x === 'string' ? x : 'user' in x ? `@${x.user}` : 'b' in x ? x.b : 'i' in x ? x.i : 'cmd' in x ? x.cmd : (x.label ?? x.link)))
    .join('');

const MARK = '\u0000';

/**
 * Catalog sentences name people with a placeholder (`who`); this puts a real mention there, so the
 * renderer can link the person while every other character stays escaped user-safe text.
 */
export function withMention(sentence: (who: string) => string, userId: string): Rich {
  const parts = sentence(MARK).split(MARK);
  const out: Rich = [];
  parts.forEach((part, i) => {
    if (i > 0) out.push({ user: userId });
    if (part) out.push(part);
  });
  return out;
}
