import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { appPackage, MANIFEST_SCHEMA } from '../../src/adapters/teams/app-package.js';
import { tempDbPath } from '../helpers/harness.js';

const APP = '00000000-0000-0000-0000-0000000000a1';
/** Width and height from a PNG's IHDR chunk. */
const pngSize = (b: Uint8Array) => ({ w: new DataView(b.buffer, b.byteOffset).getUint32(16), h: new DataView(b.buffer, b.byteOffset).getUint32(20), png: Buffer.from(b.subarray(1, 4)).toString() === 'PNG' });

describe('the Teams app package', () => {
  it('holds manifest.json at the current schema, color.png 192×192 and outline.png 32×32 at the root', () => {
    const files = unzipSync(appPackage({ appId: APP, version: '0.1.0', developerName: 'Oficina de Comunicación del Distrito', websiteUrl: 'https://oficina.example', privacyUrl: 'https://oficina.example/p', termsOfUseUrl: 'https://oficina.example/t' }));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(pngSize(files['color.png']!)).toEqual({ w: 192, h: 192, png: true });
    expect(pngSize(files['outline.png']!)).toEqual({ w: 32, h: 32, png: true });
    const m = JSON.parse(strFromU8(files['manifest.json']!)) as Record<string, any>;
    expect(m).toMatchObject({ $schema: MANIFEST_SCHEMA, manifestVersion: '1.22', version: '0.1.0', id: APP, icons: { color: 'color.png', outline: 'outline.png' } });
    expect(m.developer.name.length).toBeLessThanOrEqual(32);
    expect(m.name.short.length).toBeLessThanOrEqual(30);
    expect(m.description.short.length).toBeLessThanOrEqual(80);
    expect(m.description.full.length).toBeLessThanOrEqual(4000);
    expect(m.accentColor).toMatch(/^#[0-9A-F]{6}$/i);
    expect(m.bots).toHaveLength(1);
    expect(m.bots[0]).toMatchObject({ botId: APP, scopes: ['personal', 'team', 'groupchat'] });
    const commands = m.bots[0].commandLists[0].commands as { title: string; description: string }[];
    expect(commands.map((c) => c.title)).toEqual(['pieza', 'calendario', 'kpi', 'consulta', 'guardia', 'ayuda']);
    for (const c of commands) {
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(128);
    }
  });

  it('npm run teams:paquete writes it, and without MICROSOFT_APP_ID says what to set (exit 2)', async () => {
    const tsx = join(dirname(new URL(import.meta.url).pathname), '../../node_modules/.bin/tsx');
    const cli = new URL('../../src/cli/teams-package.ts', import.meta.url).pathname;
    const out = join(dirname(tempDbPath()), 'teams.zip');
    const run = async (env: Record<string, string>) => {
      try {
        const r = await promisify(execFile)(tsx, [cli, '--salida', out], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, cwd: dirname(out) });
        return { code: 0, out: r.stdout + r.stderr };
      } catch (e) {
        const x = e as { code: number; stdout: string; stderr: string };
        return { code: x.code, out: x.stdout + x.stderr };
      }
    };
    const missing = await run({});
    expect(missing).toEqual({ code: 2, out: expect.stringContaining('Falta MICROSOFT_APP_ID') });
    const ok = await run({ MICROSOFT_APP_ID: APP, TEAMS_WEBSITE_URL: 'https://oficina.example' });
    expect(ok.code).toBe(0);
    const m = JSON.parse(strFromU8(unzipSync(readFileSync(out))['manifest.json']!)) as { id: string; developer: { privacyUrl: string } };
    expect(m).toMatchObject({ id: APP, developer: { privacyUrl: 'https://oficina.example/privacidad' } });
  }, 30_000);
});
