/**
 * The bot as a separate process, driven only from outside: environment variables in, HTTP on
 * loopback, a SQLite file. Nothing here imports the app, so a stall of the bot's event loop is
 * visible to the bench (an in-process benchmark would stall with it and never see it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeSlack } from '../../test/helpers/fake-slack.js';
import { SIGNING_SECRET } from '../../test/helpers/slack-client.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const BOT_USERS = {
  author: 'UAUTHOR',
  approver: 'UAPPROVER1',
  approver2: 'UAPPROVER2',
  designer: 'UDESIGNER',
  admin: 'UADMIN',
} as const;
export const REVIEW_CHANNEL = 'CREVIEW';
export const BOT_TZ = 'America/Mexico_City';

/**
 * How the bot is launched; follows `npm start`: the compiled `dist/main.js` when it has been built,
 * else the TypeScript entry through tsx. `BENCH_BOT=dist|tsx` forces one (a stale dist/ would
 * otherwise measure old code).
 */
export function botCommand(): { cmd: string; args: string[]; label: string } {
  const dist = join(ROOT, 'dist', 'main.js');
  const want = process.env.BENCH_BOT;
  if (want === 'dist' || (want !== 'tsx' && existsSync(dist))) return { cmd: process.execPath, args: [dist], label: 'node dist/main.js' };
  // An absolute loader URL: the bot runs in a temp cwd (so no .env of the developer leaks in).
  const tsx = import.meta.resolve('tsx');
  return { cmd: process.execPath, args: ['--import', tsx, join(ROOT, 'src', 'main.ts')], label: 'node --import tsx src/main.ts' };
}

/** A port nobody listens on right now (the bot gets it through PORT; PORT=0 would hide it from us). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** The environment a bench bot runs with: the fake Slack, the bench database, quiet logs. */
export function botEnv(slack: FakeSlack, dbPath: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    SLACK_BOT_TOKEN: 'xoxb-fake-bench-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    REVIEW_CHANNEL_ID: REVIEW_CHANNEL,
    APPROVER_IDS: `${BOT_USERS.approver},${BOT_USERS.approver2}`,
    DESIGNER_IDS: BOT_USERS.designer,
    ADMIN_IDS: BOT_USERS.admin,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_PATH: dbPath,
    TIMEZONE: BOT_TZ,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export interface RunningBot {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  label: string;
  /** performance.now() when the process was spawned */
  spawnedAt: number;
  /** The last lines the bot wrote (for a failure message). */
  output(): string;
  exited(): boolean;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

export function spawnBot(env: Record<string, string>): RunningBot {
  const { cmd, args, label } = botCommand();
  const cwd = mkdtempSync(join(tmpdir(), 'vistobueno-bench-cwd-'));
  const spawnedAt = performance.now();
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString('utf8')).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r((exitCode = code))));
  // A bench that dies (Ctrl-C, timeout) must not leave a bot holding the port.
  const killChild = () => {
    if (exitCode === undefined) child.kill('SIGKILL');
  };
  process.once('exit', killChild);
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      killChild();
      process.exit(130);
    });
  const port = Number(env.PORT);
  return {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    label,
    spawnedAt,
    output: () => out,
    exited: () => exitCode !== undefined,
    async stop(graceMs = 5000) {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

const tryConnect = (port: number): Promise<boolean> =>
  new Promise((r) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      r(true);
    });
    s.once('error', () => r(false));
  });

/** Waits until the bot's port accepts TCP connections; returns ms since spawn. */
export async function waitForPort(bot: RunningBot, timeoutMs = 30_000): Promise<number> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if (await tryConnect(bot.port)) return performance.now() - bot.spawnedAt;
    if (bot.exited()) throw new Error(`the bot exited before listening:\n${bot.output()}`);
    if (performance.now() > until) throw new Error(`the bot did not listen on ${bot.port} within ${timeoutMs} ms:\n${bot.output()}`);
    await sleep(5);
  }
}

/** Waits until GET /healthz answers 200; returns ms since spawn. */
export async function waitForHealthy(bot: RunningBot, timeoutMs = 30_000): Promise<number> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${bot.baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
    if (res?.status === 200) return performance.now() - bot.spawnedAt;
    if (bot.exited()) throw new Error(`the bot exited before it was healthy:\n${bot.output()}`);
    if (performance.now() > until) throw new Error(`the bot was not healthy within ${timeoutMs} ms:\n${bot.output()}`);
    await sleep(10);
  }
}

/** Waits until /healthz answers within `fastMs` (the bot has worked off its queue); false on timeout. */
export async function waitForQuiet(bot: RunningBot, fastMs = 50, timeoutMs = 120_000): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const started = performance.now();
    const res = await fetch(`${bot.baseUrl}/healthz`, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
    if (res?.status === 200 && performance.now() - started < fastMs) return true;
    await sleep(200);
  }
  return false;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'vistobueno-bench-'));
