/**
 * Do escalation pages arrive within seconds of their due time with 10,000 open inquiries stored?
 * Seeds SEEDED open inquiries (70 % taken, the rest with their next escalation step pending later)
 * into a new SQLite file, starts the bot as its own process (as `npm start` runs it) against a fake
 * Slack in this process, with INQUIRY_ACK_MINUTES=1, then registers SAMPLES new inquiries through
 * the HTTP API the way a web form does, and measures from outside:
 *   - POST /api/v1/inquiries → 201 round-trip;
 *   - step 0: the 201 → the page to whoever is on call received by (fake) Slack;
 *   - step 1 and 2: the step's due time (read from the bot's jobs table) → the page to the next
 *     person (step 1) and to the admins (step 2) received;
 *   - /healthz round-trips probed every 50 ms throughout (an event-loop stall shows here).
 *
 *   npm run bench:inquiries                  # 10,000 open inquiries, 20 samples (about 3 minutes)
 *   SEEDED=30000 SAMPLES=40 npm run bench:inquiries
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { FakeSlack } from '../test/helpers/fake-slack.js';
import { BOT_USERS, botEnv, freePort, sleep, spawnBot, tempDir, waitForHealthy } from './lib/bot.js';
import { getTimed } from './lib/http.js';
import { seedOpenInquiries } from './lib/inquiry-seed.js';
import { createDatabase } from './lib/seed.js';
import { machineLoad, pct, summary } from './lib/stats.js';

const SEEDED = Number(process.env.SEEDED ?? 10_000);
const SAMPLES = Number(process.env.SAMPLES ?? 20);
const TOKEN = 'bench-inquiry-token-0123456789';
const ONCALL = ['UONCALL1', 'UONCALL2', 'UONCALL3'];
const INQ_CHANNEL = 'CINQ';

async function main(): Promise<void> {
  const dbPath = join(tempDir(), 'bench.db');
  const db = createDatabase(dbPath);
  const t0 = performance.now();
  const seeded = seedOpenInquiries(db, SEEDED, ONCALL);
  console.log(`stored ${SEEDED} open inquiries (${seeded.taken} taken, ${seeded.open} not taken with a pending step) in ${(performance.now() - t0).toFixed(0)} ms`);
  db.close();

  const slack = await new FakeSlack().start();
  slack.knowUsers(...ONCALL, ...Object.values(BOT_USERS));
  slack.knowChannels(INQ_CHANNEL);
  const digestTime = `${String((new Date().getUTCHours() + 12) % 24).padStart(2, '0')}:00`;
  const bot = spawnBot(
    botEnv(slack, dbPath, await freePort(), {
      INQUIRY_CHANNEL_ID: INQ_CHANNEL,
      INQUIRY_API_TOKEN: TOKEN,
      ONCALL_IDS: ONCALL.join(','),
      INQUIRY_ACK_MINUTES: '1',
      INQUIRY_REPEAT_MINUTES: '30',
      DIGEST_TIME: digestTime,
    }),
  );
  const probes: number[] = [];
  const slow: string[] = [];
  let probing = true;
  const spawned = performance.now();
  const prober = (async () => {
    while (probing) {
      const r = await getTimed(`${bot.baseUrl}/healthz`);
      if (r.status === 200) probes.push(r.ms);
      if (r.status === 200 && r.ms > 100) slow.push(`${r.ms.toFixed(0)} ms at ${((performance.now() - spawned) / 1000).toFixed(1)} s`);
      await sleep(50);
    }
  })();
  try {
    const healthyMs = await waitForHealthy(bot);
    console.log(`bot «${bot.label}» healthy ${healthyMs.toFixed(0)} ms after spawn`);

    // The samples: one every 500 ms, as a web form would send them.
    const samples: { folio: string; answeredAt: number }[] = [];
    const apiMs: number[] = [];
    for (let k = 0; k < SAMPLES; k++) {
      const started = performance.now();
      const res = await fetch(`${bot.baseUrl}/api/v1/inquiries`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Idempotency-Key': `bench-${k}` },
        body: JSON.stringify({ channel: 'web', type: 'informacion', text: `Muestra ${k}: solicito el padrón de beneficiarios.`, requester: { name: 'Persona de prueba', contact: 'prueba@example.org' } }),
      });
      const body = (await res.json()) as { folio?: string };
      apiMs.push(performance.now() - started);
      if (res.status !== 201 || !body.folio) throw new Error(`registration ${k} answered ${res.status}: ${JSON.stringify(body)}`);
      samples.push({ folio: body.folio, answeredAt: Date.now() });
      await sleep(500);
    }

    const pageTo = (user: string, folio: string) =>
      slack.callsOf('chat.postMessage').find((c) => c.args.channel === user && JSON.stringify(c.args).includes(folio) && JSON.stringify(c.args).includes('Consulta sin tomar'));
    const deadline = samples.at(-1)!.answeredAt + 2 * 60_000 + 20_000;
    const allArrived = () => samples.every((s) => pageTo(BOT_USERS.admin, s.folio));
    while (!allArrived() && Date.now() < deadline) await sleep(200);

    // Due times as the bot stored them: step 1 and 2 rows of each sample.
    const ro = new Database(dbPath, { readonly: true });
    const rows = ro.prepare(`SELECT j.payload, j.due_at, i.number, i.year FROM jobs j JOIN inquiries i ON i.id = json_extract(j.payload, '$.inquiryId') WHERE j.kind = 'inquiry.page' AND json_extract(j.payload, '$.step') IN (1, 2)`).all() as { payload: string; due_at: number; number: number; year: number }[];
    ro.close();
    const dueOf = new Map(rows.map((r) => [`CONS-${r.year}-${String(r.number).padStart(4, '0')}:${(JSON.parse(r.payload) as { step: number }).step}`, r.due_at]));

    const step0: number[] = [];
    const step1: number[] = [];
    const step2: number[] = [];
    let missing = 0;
    for (const s of samples) {
      const p0 = pageTo(ONCALL[0]!, s.folio);
      const p1 = pageTo(ONCALL[1]!, s.folio);
      const p2 = pageTo(BOT_USERS.admin, s.folio);
      if (!p0 || !p1 || !p2) missing++;
      if (p0) step0.push(Math.max(0, p0.at - s.answeredAt));
      const d1 = dueOf.get(`${s.folio}:1`);
      const d2 = dueOf.get(`${s.folio}:2`);
      if (p1 && d1) step1.push(p1.at - d1);
      if (p2 && d2) step2.push(p2.at - d2);
    }
    // Levels are cumulative: steps 0, 1 and 2 page the person on call (3 pages), steps 1 and 2 the
    // next one (2), step 2 the admins (1). Any other count is a page lost or sent twice.
    const count = (user: string, folio: string) => slack.callsOf('chat.postMessage').filter((c) => c.args.channel === user && JSON.stringify(c.args).includes(folio) && JSON.stringify(c.args).includes('Consulta sin tomar')).length;
    const wrong = samples.filter((s) => count(ONCALL[0]!, s.folio) !== 3 || count(ONCALL[1]!, s.folio) !== 2 || count(BOT_USERS.admin, s.folio) !== 1 || count(ONCALL[2]!, s.folio) !== 0).length;
    if (missing) console.log(`  ${missing} of ${SAMPLES} samples are missing a page`);
    console.log(`POST /api/v1/inquiries → 201, ${apiMs.length} samples: ${summary(apiMs)}`);
    console.log(`step 0 (201 → page to the person on call received): ${summary(step0, 0)}`);
    console.log(`step 1 (due → page to the next person received):    ${summary(step1, 0)}`);
    console.log(`step 2 (due → page to the admins received):         ${summary(step2, 0)}`);
    console.log(`samples whose pages are not exactly 3 / 2 / 1 (on call / next / admins): ${wrong} of ${SAMPLES}`);
    console.log(`/healthz round-trip with ${SEEDED} open inquiries (${probes.length} probes): p50 ${pct(probes, 50).toFixed(2)} ms · p99 ${pct(probes, 99).toFixed(2)} ms · max ${Math.max(...probes).toFixed(2)} ms`);
    if (slow.length) console.log(`  probes over 100 ms (seconds after spawn): ${slow.join(', ')}`);
    console.log(`  machine: ${machineLoad()}`);
  } finally {
    probing = false;
    await prober;
    await bot.stop();
    await slack.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
