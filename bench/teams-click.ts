/**
 * How fast does Teams get its answer to a click (the invoke response with the updated card)?
 * Seeds PIECES pieces in review into a new SQLite file, starts the bot as its own process (as
 * `npm start` runs it) with Slack and Teams both on, against a fake Slack and a fake Bot Framework
 * connector in this process that answers every call DELAY_MS late (a slow Teams must not slow the
 * click: the channel cards are updated by the outbox afterwards). Then sends CLICKS Aprobar invokes
 * to /api/messages as Teams does, one after another, and prints the HTTP round-trip.
 *
 *   npm run bench:teams            # defaults: 5000 pieces, 300 clicks, connector 300 ms late
 *   PIECES=20000 CLICKS=500 DELAY_MS=1000 npm run bench:teams
 */
import { join } from 'node:path';
import { ACTION } from '../src/views/ids.js';
import { FakeConnector } from '../test/helpers/fake-connector.js';
import { FakeSlack } from '../test/helpers/fake-slack.js';
import { botEnv, freePort, sleep, spawnBot, tempDir, waitForHealthy } from './lib/bot.js';
import { createDatabase, openReadOnly, seedPiecesInReview } from './lib/seed.js';
import { machineLoad, summary } from './lib/stats.js';

const PIECES = Number(process.env.PIECES ?? 5000);
const CLICKS = Math.min(Number(process.env.CLICKS ?? 300), PIECES);
const DELAY_MS = Number(process.env.DELAY_MS ?? 300);
const CHANNEL = '19:review-bench@thread.tacv2';
const APPROVER = { id: '29:bench-approver', name: 'Aprobadora de prueba', aadObjectId: '9d6f0b6e-1c1a-4d7e-9b1f-5a1e2c3d4e5f' };

async function main(): Promise<void> {
  const dbPath = join(tempDir(), 'bench.db');
  const t0 = performance.now();
  const db = createDatabase(dbPath);
  const ids = seedPiecesInReview(db, PIECES);
  db.close();
  console.log(`seeded ${PIECES} pieces in ${(performance.now() - t0).toFixed(0)} ms`);

  const slack = await new FakeSlack().start();
  const connector = await new FakeConnector().start();
  connector.knowConversations(CHANNEL).addMember(APPROVER);
  const env = botEnv(slack, dbPath, await freePort(), { TEAMS: 'on', TEAMS_SERVICE_URL: connector.serviceUrl, TEAMS_REVIEW_CHANNEL_ID: CHANNEL });
  env.APPROVER_IDS = `${env.APPROVER_IDS},${APPROVER.aadObjectId}`;
  const bot = spawnBot(env);
  try {
    const healthyMs = await waitForHealthy(bot);
    console.log(`bot «${bot.label}» healthy ${healthyMs.toFixed(0)} ms after spawn`);
    const read = openReadOnly(dbPath);
    const versionOf = read.prepare<[number], { version: number }>('SELECT version FROM pieces WHERE id = ?');
    let seq = 0;
    const invoke = async (verb: string, data: Record<string, unknown>) => {
      const body = JSON.stringify({
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: `bench-${++seq}`,
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        from: { id: APPROVER.id, name: APPROVER.name, aadObjectId: APPROVER.aadObjectId },
        conversation: { id: CHANNEL, conversationType: 'channel', tenantId: 'tenant-bench' },
        recipient: { id: '28:bench-bot', name: 'Visto Bueno' },
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      });
      const started = performance.now();
      const res = await fetch(`${bot.baseUrl}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      const json = (await res.json()) as { statusCode?: number };
      return { status: res.status, inner: json.statusCode, ms: performance.now() - started };
    };
    // Warm up: the first invoke of a person asks Teams who they are (once).
    await invoke(ACTION.history, { value: String(ids[0]) });
    connector.delayMs = DELAY_MS;

    const ack: number[] = [];
    for (let i = 0; i < CLICKS; i++) {
      const id = ids[ids.length - 1 - i]!;
      const r = await invoke(ACTION.approve, { piece: id, version: 1 });
      if (r.status !== 200 || r.inner !== 200) throw new Error(`invoke answered ${r.status}/${r.inner}`);
      ack.push(r.ms);
      if (versionOf.get(id)?.version !== 2) throw new Error(`piece ${id} was answered before its decision was committed`);
    }
    read.close();
    await sleep(100);
    console.log(`Teams Aprobar invokes with ${PIECES} pieces in the database (${CLICKS} clicks, Slack and Teams on, connector ${DELAY_MS} ms late, bot in its own process, Node ${process.version}):`);
    console.log(`  invoke response with the updated card (HTTP round-trip): ${summary(ack)}`);
    const slow = ack.map((ms, i) => [i + 1, ms] as const).filter(([, ms]) => ms > 100);
    console.log(`  over 100 ms: ${slow.length ? slow.map(([i, ms]) => `click ${i}: ${ms.toFixed(0)} ms`).join(', ') : 'none'}`);
    console.log(`  machine: ${machineLoad()}`);
  } finally {
    await bot.stop();
    await slack.stop();
    await connector.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
