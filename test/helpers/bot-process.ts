import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeSlack } from './fake-slack.js';
import { baseEnv, tempDbPath } from './harness.js';

/**
 * The bot as a separate process, started the way people start it: `npm start` (npm → node, the
 * script execs node) or `node dist/main.js`. Used by the process e2e test and bench/startup.ts.
 * Linux only where it reads /proc.
 */
// fileURLToPath rather than import.meta.dirname: engines allow Node 20 releases before 20.11.
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Compiles src/ to dist/ when stale (the same check `npm start` runs first). */
export function buildIfStale(): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
}

/** A port nobody listens on right now (bound and released on 127.0.0.1). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Can this port be bound on 127.0.0.1 (nobody holds it)? */
export async function portIsFree(port: number): Promise<boolean> {
  const s = createServer();
  return new Promise((resolve) => {
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export interface BotProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export type Launch = 'npm' | 'node';

export function botEnv(slack: FakeSlack, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...baseEnv(slack, tempDbPath()),
    PORT: String(port),
    LOG_LEVEL: 'info',
    // No .env from the working copy; npm must not look for updates (tests talk only to 127.0.0.1).
    DOTENV_CONFIG_PATH: '/nonexistent/.env',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    ...extra,
  };
}

/** `npm start` runs in its own process group, as in a terminal, so a test can "press Ctrl-C". */
export function spawnBot(launch: Launch, env: Record<string, string>): BotProcess {
  const [cmd, args] = launch === 'npm' ? ['npm', ['start']] : [process.execPath, [join(ROOT, 'dist', 'main.js')]];
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, port: Number(env.PORT), output: () => out, exited };
}

/** GET /healthz status, or 0 when nothing answers. `agent` lets a caller keep the connection open. */
export function healthz(port: number, agent?: import('node:http').Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: agent ?? false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Polls /healthz until 200; resolves with the time it took from `since` (performance.now()). */
export async function waitHealthy(bot: BotProcess, since: number, timeoutMs = 15_000): Promise<number> {
  let done = false;
  void bot.exited.then(() => (done = true));
  while (performance.now() - since < timeoutMs) {
    if (done) throw new Error(`the bot exited before it was healthy:\n${bot.output()}`);
    if ((await healthz(bot.port)) === 200) return performance.now() - since;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`not healthy after ${timeoutMs} ms:\n${bot.output()}`);
}

/** pid and its descendants, from /proc (parent pid is field 4 of /proc/<pid>/stat). */
export function processTree(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(name), Number(fields[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [p, pp] of parentOf) if (pp === tree[i]) tree.push(p);
  return tree.filter((p) => parentOf.has(p));
}

/** Name and resident memory (kB) of a live, non-zombie process, or null. */
export function memoryOf(pid: number): { name: string; rssKb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?';
    return rss ? { name, rssKb: Number(rss[1]) } : null;
  } catch {
    return null;
  }
}

export const isAlive = (pid: number): boolean => existsSync(`/proc/${pid}`) && memoryOf(pid) !== null;
