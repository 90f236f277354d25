/**
 * Do reminders fire within a second or two of their due time with 100,000 future reminder rows stored?
 * Seeds FUTURE future timed rows and SAMPLES rows due shortly after the bot will have started into a
 * new SQLite file, starts the bot as its own process (as `npm start` runs it) against a fake Slack in
 * this process, and measures (a) due time → message received by the fake Slack and (b) the bot's
 * event loop as seen from outside: the /healthz round-trip, probed every 50 ms while the scheduler
 * ticks over the big table (an in-process bench timed one tick(); from outside a slow tick shows up
 * as a slow probe).
 *
 *   npm run bench:reminders                 # 100,000 future rows, 20 samples
 *   FUTURE=300000 SAMPLES=50 npm run bench:reminders
 *   START_DELAY_S=20 npm run bench:reminders   # first sample due later (a slow machine starts slower)
 */
import { join } from 'node:path';
import { FakeSlack } from '../test/helpers/fake-slack.js';
import { BOT_USERS, botEnv, freePort, sleep, spawnBot, tempDir, waitForHealthy } from './lib/bot.js';
import { getTimed } from './lib/http.js';
import { createDatabase } from './lib/seed.js';
import { machineLoad, pct, summary } from './lib/stats.js';
import { seedDueReminders, seedFutureReminders } from './lib/timed-rows.js';

const FUTURE = Number(process.env.FUTURE ?? 100_000);
const SAMPLES = Number(process.env.SAMPLES ?? 20);
const START_DELAY_S = Number(process.env.START_DELAY_S ?? 10);
const DIGEST_CHANNEL = 'CDIGEST';

async function main(): Promise<void> {
  const dbPath = join(tempDir(), 'bench.db');
  const db = createDatabase(dbPath);
  const t0 = performance.now();
  seedFutureReminders(db, FUTURE);
  console.log(`stored ${FUTURE} future reminders in ${(performance.now() - t0).toFixed(0)} ms`);
  // Calendar times are whole minutes: the samples fall due at the next two minute boundaries at
  // least START_DELAY_S away (half at each), as real reminders of entries the bot plans itself.
  const minute = 60_000;
  const first = Math.ceil((Date.now() + START_DELAY_S * 1000) / minute) * minute;
  const due: number[] = [];
  for (let i = 0; i < SAMPLES; i++) due.push(first + (i < SAMPLES / 2 ? 0 : minute));
  seedDueReminders(db, due);
  db.close();

  const slack = await new FakeSlack().start();
  // The office's own digest is set twelve hours away so that it never fires during the run.
  const digestTime = `${String((new Date().getUTCHours() + 12) % 24).padStart(2, '0')}:00`;
  const bot = spawnBot(botEnv(slack, dbPath, await freePort(), { DIGEST_CHANNEL_ID: DIGEST_CHANNEL, DIGEST_TIME: digestTime }));
  try {
    const healthyMs = await waitForHealthy(bot);
    const healthyAt = Date.now();
    console.log(`bot «${bot.label}» healthy ${healthyMs.toFixed(0)} ms after spawn`);

    const probes: number[] = [];
    const deadline = due.at(-1)! + 15_000;
    const received = () => slack.callsOf('chat.postMessage').filter((c) => c.args.channel === BOT_USERS.author);
    while (received().length < SAMPLES && Date.now() < deadline) {
      const r = await getTimed(`${bot.baseUrl}/healthz`);
      if (r.status === 200) probes.push(r.ms);
      await sleep(50);
    }
    // Rows fire in due order, one direct message each: the n-th message answers the n-th row.
    const calls = received();
    const lag: number[] = [];
    let beforeHealthy = 0;
    for (let i = 0; i < Math.min(calls.length, SAMPLES); i++) {
      if (due[i]! < healthyAt) beforeHealthy++;
      else lag.push(calls[i]!.at - due[i]!);
    }
    if (calls.length < SAMPLES) console.log(`  only ${calls.length} of ${SAMPLES} reminders arrived within 15 s of the last due time`);
    if (beforeHealthy) console.log(`  ${beforeHealthy} samples were due before the bot was healthy and are left out (raise START_DELAY_S)`);
    console.log(`/healthz round-trip with ${FUTURE} future rows, scheduler ticking (${probes.length} probes): p50 ${pct(probes, 50).toFixed(2)} ms · max ${Math.max(...probes).toFixed(2)} ms`);
    console.log(`due → message received by (fake) Slack, ${lag.length} samples, bot in its own process: ${summary(lag, 0)}`);
    console.log(`  machine: ${machineLoad()}`);
  } finally {
    await bot.stop();
    await slack.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
