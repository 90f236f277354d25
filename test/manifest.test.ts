import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Which bot scope each Web API method the code calls needs (api.slack.com/methods/<method>). */
const SCOPE_OF: Record<string, string | null> = {
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'views.open': null, // a trigger_id is the permission
  'views.update': null,
  'conversations.open': 'im:write',
  'files.getUploadURLExternal': 'files:write', // the /kpi chart (uploadPng)
  'files.completeUploadExternal': 'files:write',
  'chat.getPermalink': null, // the link to the message «Registrar consulta» was used on; no scope needed
  'users.info': 'users:read', // a person's name and e-mail on first sight
  'users.lookupByEmail': 'users:read.email', // people named by e-mail in settings, found at start
  'auth.test': null, // any token may call it: it is how the bot checks Slack answers
};
// Scopes the manifest keeps although no Web API method maps to them.
const ALWAYS = ['commands', 'chat:write.public'];

const manifest = readFileSync(fileURLToPath(new URL('../manifests/slack.yaml', import.meta.url)), 'utf8');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [readFileSync(join(dir, e.name), 'utf8')] : []));
const code = sources(fileURLToPath(new URL('../src', import.meta.url))).join('\n');

describe('the Slack manifest', () => {
  it('asks for exactly the scopes the code uses', () => {
    const block = /^ {4}bot:\n((?: {6}.*\n)+)/m.exec(manifest)?.[1] ?? '';
    const scopes = [...block.matchAll(/^ {6}- ([\w:.]+)/gm)].map((m) => m[1]!).sort();
    const called = [...new Set([...code.matchAll(/\bclient\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`))];
    for (const method of called) expect(SCOPE_OF, `scope of ${method}`).toHaveProperty([method]);
    const needed = new Set([...ALWAYS, ...called.map((m) => SCOPE_OF[m]).filter((s): s is string => Boolean(s))]);
    expect(scopes).toEqual([...needed].sort());
  });

  it('declares every command, and its comments name them', () => {
    for (const command of ['/pieza', '/calendario', '/kpi', '/consulta', '/guardia']) {
      expect(manifest).toMatch(new RegExp(`- command: ${command}\\n\\s+url: `));
      expect(manifest.split('\n').filter((l) => l.startsWith('#')).join('\n')).toContain(command);
    }
  });

  it('declares the message shortcut with the callback id the code listens on', () => {
    expect(manifest).toMatch(/shortcuts:\n\s+- name: Registrar consulta\n\s+type: message\n\s+callback_id: inq\.register_from_message\n/);
    expect(code).toContain("INQ_SHORTCUT = 'inq.register_from_message'");
  });
});
