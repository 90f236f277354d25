import { describe, expect, it } from 'vitest';
import { catalogs } from '../src/i18n/index.js';

/**
 * Catalogs serve Slack, Teams and a web console: no Slack mrkdwn and no slash-command syntax in
 * their words. Bold, italics, mentions and commands come from the view model's inlines.
 */
const MARKUP = [/\*/, /(^|\s)_|_(\s|$)/, /<@/, /<https?:/, /<!/, /(^|[\s«“(])\/(pieza|calendario|kpi)\b/];

/** No exceptions: every command a catalog mentions is a `{ cmd }` inline. */
const ALLOWED = new Set<string>();

function strings(x: unknown, path: string, out: [string, string][]): void {
  if (typeof x === 'string') out.push([path, x]);
  else if (typeof x === 'function') {
    // Every parameter a plain word (or a list of words): what the catalog adds around it is what is checked.
    const f = x as (...a: unknown[]) => unknown;
    const n = Math.max(1, f.length);
    let result: unknown;
    try {
      result = f(...Array.from({ length: n }, () => 'x'));
    } catch {
      result = f(...Array.from({ length: n }, () => ['x']));
    }
    strings(result, `${path}()`, out);
  } else if (Array.isArray(x)) x.forEach((v, i) => strings(typeof v === 'object' && v && 'cmd' in v ? '' : v, `${path}[${i}]`, out));
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) if (!['b', 'i'].includes(k)) strings(v, `${path}.${k}`, out);
}

describe('catalogs are neutral across surfaces', () => {
  for (const [locale, m] of Object.entries(catalogs)) {
    it(`${locale}: no mrkdwn and no slash commands`, () => {
      const all: [string, string][] = [];
      strings(m, locale, all);
      const bad = all.filter(([path, s]) => !ALLOWED.has(path) && !path.includes('date.') && !path.includes('dayPattern') && MARKUP.some((re) => re.test(s)));
      expect(bad).toEqual([]);
    });
  }
});
