/**
 * The console as a person trying it feels it: from this separate process, the bot is started as
 * `node dist/main.js` with no settings (the demo office), and each step is timed over HTTP the way a
 * browser without JavaScript does it (GET the page, POST its form, follow the redirect):
 *   first page, Cargar ejemplo, a page full of cards, /kpi, Avanzar 1 hora / 1 día / 1 semana
 *   (each firing every job on its way), Reiniciar.
 *
 *   npm run bench:console          # builds dist/ first if stale
 */
import { freePort, spawnBot, waitHealthy } from '../test/helpers/bot-process.js';
import { ConsoleClient } from '../test/helpers/console-client.js';
import { tempDbPath } from '../test/helpers/harness.js';

const port = await freePort();
const bot = spawnBot('node', { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), CONSOLE_DATABASE_PATH: tempDbPath(), LOG_LEVEL: 'warn', DOTENV_CONFIG_PATH: '/nonexistent/.env' });
try {
  const ready = await waitHealthy(bot, performance.now());
  console.log(`started (no settings) → /healthz 200: ${ready.toFixed(0)} ms`);
  const c = new ConsoleClient(port);
  const time = async (label: string, f: () => Promise<{ status?: number; post?: { status: number } }>) => {
    const t0 = performance.now();
    const r = await f();
    const status = r.post?.status ?? r.status;
    console.log(`${label.padEnd(34)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms  (HTTP ${status})`);
  };
  await time('first page (GET /)', () => c.get('/?as=ana&c=review'));
  await time('Cargar ejemplo (GET + POST + GET)', () => c.post('/console/example', 'carmen', 'review', {}));
  await time('review channel with the example', () => c.get('/?as=rosa&c=review'));
  await time('/kpi', () => c.post('/console/command', 'carmen', 'kpi', { text: '/kpi' }));
  await time('Avanzar 1 hora', () => c.post('/console/clock', 'carmen', 'review', { step: 'hour' }));
  await time('Avanzar 1 día', () => c.post('/console/clock', 'carmen', 'review', { step: 'day' }));
  await time('Avanzar 1 semana', () => c.post('/console/clock', 'carmen', 'review', { step: 'week' }));
  await time('Sofía\'s DMs after a week', () => c.get('/?as=sofia&c=dm'));
  await time('Reiniciar', () => c.post('/console/reset', 'carmen', 'review', {}));
} finally {
  bot.child.kill('SIGTERM');
  await bot.exited;
}
