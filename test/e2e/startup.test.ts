import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { tempDbPath } from '../helpers/harness.js';

/** Runs the real entry point the way `npm start` does, with only the given environment. */
function runMain(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DOTENV_CONFIG_PATH: '/nonexistent/.env', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('starting the bot', () => {
  it('missing settings stop the start with one message listing each problem', () => {
    const r = runMain({ SLACK_BOT_TOKEN: 'xoxb-secret-value-123' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('No se puede iniciar Visto Bueno');
    expect(r.out).toContain('Falta REVIEW_CHANNEL_ID');
    expect(r.out).toContain('Falta SLACK_SIGNING_SECRET');
    expect(r.out).not.toContain('xoxb-secret-value-123');
  });

  it('refuses a database newer than its code, and says so', () => {
    const dbPath = tempDbPath();
    const db = openDatabase(dbPath);
    db.pragma('user_version = 42');
    db.close();
    const r = runMain({ SLACK_BOT_TOKEN: 'xoxb-1-x', SLACK_SIGNING_SECRET: 'secret-123456', REVIEW_CHANNEL_ID: 'C0REVIEW', DATABASE_PATH: dbPath, SLACK_API_URL: 'http://127.0.0.1:9/api/' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('La base de datos está en la versión 42');
  });
});
