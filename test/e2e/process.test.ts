import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botEnv, buildIfStale, ROOT, freePort, healthz, isAlive, portIsFree, processTree, spawnBot, waitHealthy, type BotProcess, type Launch } from '../helpers/bot-process.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { waitFor } from '../helpers/harness.js';

/**
 * The built bot as its own process, started as people start it, stopped by a signal. Runs the
 * compiled dist/ (built here when stale, as `npm start` does), not tsx: what is under test is
 * exactly what ships, including how npm and node hand signals to each other.
 */
let slack: FakeSlack;
const started: BotProcess[] = [];

beforeAll(async () => {
  buildIfStale();
  slack = await new FakeSlack().start();
}, 180_000);

afterAll(async () => {
  // Only a failed test leaves a bot running; never leave one holding a port.
  for (const b of started) for (const pid of processTree(b.child.pid!)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await slack?.stop();
});

async function startBot(launch: Launch): Promise<BotProcess> {
  const bot = spawnBot(launch, botEnv(slack, await freePort()));
  started.push(bot);
  await waitHealthy(bot, performance.now());
  return bot;
}

describe('the bot stops cleanly on a signal, whoever receives it', () => {
  const cases: { launch: Launch; signal: NodeJS.Signals; to: 'node' | 'npm' | 'group' }[] = [
    { launch: 'node', signal: 'SIGTERM', to: 'node' },
    { launch: 'node', signal: 'SIGINT', to: 'node' },
    { launch: 'npm', signal: 'SIGTERM', to: 'npm' },
    { launch: 'npm', signal: 'SIGTERM', to: 'node' },
    // Ctrl-C in a terminal: npm and node both get SIGINT, and npm forwards its copy to node too.
    { launch: 'npm', signal: 'SIGINT', to: 'group' },
  ];

  it.each(cases)('$launch, $signal to $to: port released (keep-alive closed), tree gone, exit 0', async ({ launch, signal, to }) => {
    const bot = await startBot(launch);
    const tree = processTree(bot.child.pid!);
    if (launch === 'npm') {
      // npm → node: the script execs node, no shell in between to swallow the signal.
      expect(tree).toHaveLength(2);
    }
    const node = tree[tree.length - 1]!;
    // A client holding a keep-alive connection must not keep the port.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await healthz(bot.port, agent)).toBe(200);
    const kept = Object.values(agent.freeSockets).flat()[0];
    expect(kept).toBeDefined();
    const keptClosed = new Promise<void>((resolve) => kept!.once('close', () => resolve()));

    if (to === 'group') process.kill(-bot.child.pid!, signal);
    else process.kill(to === 'npm' ? bot.child.pid! : node, signal);

    const { code, signal: killedBy } = await bot.exited;
    expect({ code, killedBy }, bot.output()).toEqual({ code: 0, killedBy: null });
    await keptClosed;
    await waitFor(() => tree.every((pid) => !isAlive(pid)), 5000);
    expect(await portIsFree(bot.port)).toBe(true);
    expect(bot.output()).toContain('"msg":"stopped"');
    expect(bot.output()).not.toContain('second signal: exiting');
    agent.destroy();
  });
});

describe('the compiled entry points', () => {
  it('a DATABASE_PATH under a regular file stops the start with the Spanish message, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vistobueno-'));
    writeFileSync(join(dir, 'archivo'), 'x');
    const env = botEnv(slack, await freePort(), { DATABASE_PATH: join(dir, 'archivo', 'vistobueno.db') });
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js')], { env, encoding: 'utf8', timeout: 15_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('No se puede usar la base de datos DATABASE_PATH=');
    expect(r.stderr).toContain('es un archivo, no una carpeta');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/^\s+at /m);
  });

  it('npm run calendario:importar runs the compiled CLI (no tsx)', async () => {
    const env = botEnv(slack, await freePort());
    const r = spawnSync('npm', ['run', '--silent', 'calendario:importar', '--', join(ROOT, 'examples', 'programa-anual-2027.csv')], { cwd: ROOT, env, encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout, r.stderr).toMatch(/\d+ fechas importadas, 0 actualizadas, 0 ya estaban, 0 líneas con errores/);
    expect(r.status).toBe(0);
  });
});
