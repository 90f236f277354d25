/**
 * How fast is an approval click acknowledged with thousands of pieces in the database?
 * Seeds PIECES pieces with their history into a new SQLite file, starts the bot as its own process
 * (as `npm start` runs it) against a fake Slack in this process, then sends CLICKS signed approve
 * clicks one after another and prints the HTTP round-trip (= time to ack) and the time until the
 * decision is in the database (read from the bot's file).
 *
 *   npm run bench:approval            # defaults: 5000 pieces, 300 clicks
 *   PIECES=20000 CLICKS=500 npm run bench:approval
 */
import { join } from 'node:path';
import { ACTION } from '../src/views/ids.js';
import { FakeSlack } from '../test/helpers/fake-slack.js';
import { blockActionPayload, payloadBody } from '../test/helpers/slack-client.js';
import { BOT_USERS, REVIEW_CHANNEL, botEnv, freePort, sleep, spawnBot, tempDir, waitForHealthy } from './lib/bot.js';
import { postSignedTimed } from './lib/http.js';
import { createDatabase, openReadOnly, seedPiecesInReview } from './lib/seed.js';
import { machineLoad, summary } from './lib/stats.js';

const PIECES = Number(process.env.PIECES ?? 5000);
const CLICKS = Math.min(Number(process.env.CLICKS ?? 300), PIECES);

async function main(): Promise<void> {
  const dbPath = join(tempDir(), 'bench.db');
  const t0 = performance.now();
  const db = createDatabase(dbPath);
  const ids = seedPiecesInReview(db, PIECES);
  db.close();
  console.log(`seeded ${PIECES} pieces in ${(performance.now() - t0).toFixed(0)} ms`);

  const slack = await new FakeSlack().start();
  const bot = spawnBot(botEnv(slack, dbPath, await freePort()));
  try {
    const healthyMs = await waitForHealthy(bot);
    console.log(`bot «${bot.label}» healthy ${healthyMs.toFixed(0)} ms after spawn`);
    const read = openReadOnly(dbPath);
    const versionOf = read.prepare<[number], { version: number }>('SELECT version FROM pieces WHERE id = ?');

    const click = (user: string, actionId: string, value: string, rid: string) =>
      postSignedTimed(bot.baseUrl, payloadBody(blockActionPayload({ user, actionId, value, channel: REVIEW_CHANNEL, messageTs: '1.1', responseUrl: slack.responseUrl(rid) })));

    // Warm up the HTTP path once.
    await click(BOT_USERS.approver, ACTION.history, String(ids[0]), 'warm');

    const ack: number[] = [];
    const decided: number[] = [];
    for (let i = 0; i < CLICKS; i++) {
      const id = ids[ids.length - 1 - i]!;
      const started = performance.now();
      const res = await click(BOT_USERS.approver, ACTION.approve, JSON.stringify({ p: id, v: 1 }), `b${i}`);
      if (res.status !== 200) throw new Error(`click answered ${res.status} ${res.text}`);
      ack.push(res.ms);
      const deadline = started + 10_000;
      while (versionOf.get(id)?.version !== 2) {
        if (performance.now() > deadline) throw new Error(`piece ${id} was not decided within 10 s`);
        await sleep(1);
      }
      decided.push(performance.now() - started);
    }
    read.close();
    console.log(`approval clicks with ${PIECES} pieces in the database (${CLICKS} clicks, bot in its own process, Node ${process.version}):`);
    console.log(`  ack (HTTP round-trip):        ${summary(ack)}`);
    console.log(`  decision committed (+outbox): ${summary(decided)}`);
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
