import type { Rich } from '../../../views/model.js';
import { mentionFor } from '../people.js';

/**
 * Slack's control characters in mrkdwn are &, < and > and only those. Escaping them in every
 * piece of user text means nobody can inject <!channel> or a fake link through a title.
 */
export const escapeMrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Only http(s) links, with the characters that would end Slack's <url|label> syntax encoded. */
function safeUrl(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    return u.toString().replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  } catch {
    return null;
  }
}

/**
 * Bold or italic that Slack actually renders. Its markers must touch the words (`*Motivo:* x`,
 * never `*Motivo: *x`) and cannot span lines, and there is no way to escape a marker inside:
 * each line is wrapped on its own, whitespace outside, and a line that holds the marker (or
 * another one that would pair with it) is shown plain rather than broken.
 */
function emphasis(text: string, marker: '*' | '_'): string {
  return text
    .split('\n')
    .map((line) => {
      const m = /^(\s*)(.*?)(\s*)$/s.exec(line)!;
      const [, lead, core, trail] = m as unknown as [string, string, string, string];
      if (!core || /[*_~`]/.test(core)) return escapeMrkdwn(line);
      return `${lead}${marker}${escapeMrkdwn(core)}${marker}${trail}`;
    })
    .join('\n');
}

/** A neutral command reference («pieza pendientes») as a person types it in Slack. */
export const slashCommand = (cmd: string): string => `/${cmd}`;

export function richToMrkdwn(rich: Rich): string {
  return rich
    .map((x) => {
      if (typeof x === 'string') return escapeMrkdwn(x);
      if ('user' in x) {
        const who = mentionFor(x.user);
        // Someone Slack cannot mention (the CSV import, a person only on another surface): by name.
        return 'slackId' in who ? `<@${who.slackId}>` : escapeMrkdwn(who.name);
      }
      if ('b' in x) return emphasis(x.b, '*');
      if ('i' in x) return emphasis(x.i, '_');
      if ('cmd' in x) return escapeMrkdwn(slashCommand(x.cmd));
      const url = safeUrl(x.link);
      if (!url) return escapeMrkdwn(x.label ?? x.link);
      return x.label ? `<${url}|${escapeMrkdwn(x.label)}>` : `<${url}>`;
    })
    .join('');
}

/** Cuts text to Slack's limit for one text object, on a character boundary. */
export function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}
