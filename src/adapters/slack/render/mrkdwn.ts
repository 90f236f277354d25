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

export function richToMrkdwn(rich: Rich): string {
  return rich
    .map((x) => {
      if (typeof x === 'string') return escapeMrkdwn(x);
      if ('user' in x) {
        const who = mentionFor(x.user);
        return 'slackId' in who ? `<@${who.slackId}>` : escapeMrkdwn(`@${who.name}`);
      }
      if ('b' in x) return x.b.trim() ? `*${escapeMrkdwn(x.b)}*` : escapeMrkdwn(x.b);
      if ('i' in x) return x.i.trim() ? `_${escapeMrkdwn(x.i)}_` : escapeMrkdwn(x.i);
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
