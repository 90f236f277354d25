/**
 * How fast does the bot start, how much memory does it hold idle, how fast does it stop?
 * From this separate process it spawns the bot exactly as `npm start` does (npm → node) and as
 * `node dist/main.js`, against the fake Slack on loopback, and measures:
 *   - spawn → first `GET /healthz` 200, over RUNS runs (p50 / max);
 *   - idle RSS of the whole process tree (VmRSS of npm and node from /proc) after IDLE_MS;
 *   - SIGTERM (to npm, and separately to node) → port free and every process of the tree gone.
 *
 *   npm run bench:startup              # builds dist/ first if stale; RUNS=10 IDLE_MS=3000
 *   RUNS=20 npm run bench:startup
 * Linux only (reads /proc).
 */
import { botEnv, freePort, isAlive, memoryOf, portIsFree, processTree, spawnBot, waitHealthy, type Launch } from '../test/helpers/bot-process.js';
import { FakeSlack } from '../test/helpers/fake-slack.js';

const RUNS = Number(process.env.RUNS ?? 10);
const IDLE_MS = Number(process.env.IDLE_MS ?? 3000);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function until(fn: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const t0 = performance.now();
  while (!(await fn())) {
    if (performance.now() - t0 > timeoutMs) throw new Error('timed out');
    await sleep(2);
  }
}

/** Starts, waits healthy, optionally idles and reads memory, then stops with SIGTERM to `stopVia`. */
async function once(slack: FakeSlack, launch: Launch, stopVia: 'launcher' | 'node', idleMs: number) {
  const bot = spawnBot(launch, botEnv(slack, await freePort()));
  const healthyMs = await waitHealthy(bot, performance.now());
  let rss: { name: string; rssKb: number }[] = [];
  if (idleMs) {
    await sleep(idleMs);
    rss = processTree(bot.child.pid!).flatMap((pid) => memoryOf(pid) ?? []);
  }
  const tree = processTree(bot.child.pid!);
  const target = stopVia === 'launcher' ? bot.child.pid! : tree[tree.length - 1]!;
  const t0 = performance.now();
  process.kill(target, 'SIGTERM');
  await until(() => portIsFree(bot.port), 15_000);
  const portMs = performance.now() - t0;
  await until(() => tree.every((pid) => !isAlive(pid)), 15_000);
  const goneMs = performance.now() - t0;
  const { code } = await bot.exited;
  if (code !== 0) throw new Error(`${launch} exited ${code}:\n${bot.output()}`);
  return { healthyMs, rss, portMs, goneMs, treeSize: tree.length };
}

async function main(): Promise<void> {
  const slack = await new FakeSlack().start();
  console.log(`startup and shutdown, ${RUNS} runs each (Node ${process.version}, spawned from a separate process):`);
  for (const launch of ['npm', 'node'] as const) {
    const label = launch === 'npm' ? 'npm start' : 'node dist/main.js';
    const healthy: number[] = [];
    const port: number[] = [];
    const gone: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await once(slack, launch, 'launcher', 0);
      healthy.push(r.healthyMs);
      port.push(r.portMs);
      gone.push(r.goneMs);
    }
    const idle = await once(slack, launch, 'launcher', IDLE_MS);
    const total = idle.rss.reduce((s, p) => s + p.rssKb, 0);
    console.log(`\n${label}`);
    console.log(`  spawn → /healthz 200:          p50 ${ms(pct(healthy, 50))} · max ${ms(Math.max(...healthy))}`);
    console.log(`  idle RSS after ${IDLE_MS / 1000} s:          ${(total / 1024).toFixed(0)} MB (${idle.rss.map((p) => `${p.name} ${(p.rssKb / 1024).toFixed(0)}`).join(' + ')})`);
    console.log(`  SIGTERM to ${launch === 'npm' ? 'npm ' : 'node'} → port free:    p50 ${ms(pct(port, 50))} · max ${ms(Math.max(...port))}`);
    console.log(`  SIGTERM to ${launch === 'npm' ? 'npm ' : 'node'} → tree gone:    p50 ${ms(pct(gone, 50))} · max ${ms(Math.max(...gone))}`);
    if (launch === 'npm') {
      const viaNode: number[] = [];
      for (let i = 0; i < Math.min(RUNS, 5); i++) viaNode.push((await once(slack, 'npm', 'node', 0)).goneMs);
      console.log(`  SIGTERM to node (under npm) → tree gone: p50 ${ms(pct(viaNode, 50))} · max ${ms(Math.max(...viaNode))}`);
    }
  }
  await slack.stop();
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
