/**
 * Campaign KPIs at size. 20 campaigns × 10 metrics × 5,000 days = 1,000,000 observations: the first
 * 900,000 written straight through the store (SqliteKpiRepository.record, big transactions), the
 * last 100,000 imported through the real HTTP API (POST /api/v1/metrics, 10 batches of 10,000) into
 * the bot running as its own process. Then, from outside:
 *
 *   (a) GET /api/v1/campaigns/{key}/summary for random campaigns, one after another;
 *   (b) the `/kpi` answer: every active campaign's summary (core.kpis.activeSummaries), which is the
 *       20 summaries in sequence — here the 20 summary requests of a round, each timed, and the round.
 *
 *   (c) the Slack command `/kpi` itself: a signed request, timed until its answer reaches the
 *       response_url (a fake Slack in this process) — what a person waits for;
 *   (d) the same right after a new figure for every campaign, so nothing computed before is reused.
 * Target: p99 under 20 ms.
 *
 *   npm run bench:kpi
 *   CAMPAIGNS=20 DAYS=5000 API_DAYS=500 SAMPLES=1000 ROUNDS=25 npm run bench:kpi
 *   BENCH_BOT=tsx|dist                             # force how the bot is launched (default: as npm start)
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { campaignSummary } from '../src/domain/kpis/summary.js';
import { localDateOf } from '../src/domain/shared/time.js';
import { SqliteKpiRepository } from '../src/store/kpi-repo.js';
import { FakeSlack } from '../test/helpers/fake-slack.js';
import { commandBody } from '../test/helpers/slack-client.js';
import { postSignedTimed } from './lib/http.js';
import { BOT_TZ, botEnv, freePort, spawnBot, tempDir, waitForHealthy } from './lib/bot.js';
import { apiBatches, BENCH_METRICS, campaignKey, seedKpis, type KpiSeedPlan } from './lib/kpi-seed.js';
import { createDatabase, openReadOnly } from './lib/seed.js';
import { machineLoad, pct, summary } from './lib/stats.js';

const CAMPAIGNS = Number(process.env.CAMPAIGNS ?? 20);
const DAYS = Number(process.env.DAYS ?? 5000);
const API_DAYS = Number(process.env.API_DAYS ?? 500);
const SAMPLES = Number(process.env.SAMPLES ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 25);
const PER_BATCH = Number(process.env.PER_BATCH ?? 10_000);
const LIMIT_MS = 20;
const TOKEN = 'example-bench-kpi-token-0001';
let slashSeq = 0;

const verdict = (xs: number[]) => (pct(xs, 99) < LIMIT_MS ? `p99 under ${LIMIT_MS} ms` : `p99 ${pct(xs, 99).toFixed(1)} ms: OVER ${LIMIT_MS} ms`);

async function timed(url: string, init: RequestInit = {}): Promise<{ ms: number; status: number; text: string }> {
  const started = performance.now();
  const res = await fetch(url, { ...init, headers: { Authorization: `Bearer ${TOKEN}`, ...(init.headers ?? {}) }, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  return { ms: performance.now() - started, status: res.status, text };
}

async function main(): Promise<void> {
  setTimeout(() => {
    console.error('bench:kpi: gave up after 15 minutes');
    process.exit(2);
  }, 15 * 60_000).unref();
  const today = localDateOf(Date.now(), BOT_TZ);
  const plan: KpiSeedPlan = { campaigns: CAMPAIGNS, days: DAYS, apiDays: API_DAYS, today };
  const total = CAMPAIGNS * DAYS * BENCH_METRICS.length;
  const dbPath = join(tempDir(), 'kpi-bench.db');

  const t0 = performance.now();
  const db = createDatabase(dbPath);
  const { observations: direct } = seedKpis(db, plan);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const seedMs = performance.now() - t0;
  console.log(`seeded ${direct.toLocaleString('en')} observations through the store in ${(seedMs / 1000).toFixed(1)} s (${Math.round(direct / (seedMs / 1000)).toLocaleString('en')}/s) → ${dbPath}`);

  const slack = await new FakeSlack().start();
  const bot = spawnBot(botEnv(slack, dbPath, await freePort(), { KPI_API_TOKEN: TOKEN }));
  let stopped = false;
  try {
    await waitForHealthy(bot, 60_000);

    // The import: whole days of every campaign per batch, one batch after another, as a script would.
    const batches = apiBatches(plan, PER_BATCH);
    const batchMs: number[] = [];
    let imported = 0;
    let maxBytes = 0;
    const importStart = performance.now();
    for (const b of batches) {
      const body = JSON.stringify(b);
      maxBytes = Math.max(maxBytes, Buffer.byteLength(body));
      const r = await timed(`${bot.baseUrl}/api/v1/metrics`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      if (r.status !== 200) throw new Error(`import batch refused: ${r.status} ${r.text.slice(0, 500)}`);
      const counts = JSON.parse(r.text) as { stored: number };
      imported += counts.stored;
      batchMs.push(r.ms);
    }
    const importMs = performance.now() - importStart;

    // (a) random campaigns, one request at a time (after a short warm-up).
    const keys = Array.from({ length: CAMPAIGNS }, (_, i) => campaignKey(i));
    for (const k of keys) await timed(`${bot.baseUrl}/api/v1/campaigns/${k}/summary`);
    const random: number[] = [];
    let bytes = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const k = keys[Math.floor(Math.random() * keys.length)]!;
      const r = await timed(`${bot.baseUrl}/api/v1/campaigns/${k}/summary`);
      if (r.status !== 200) throw new Error(`summary ${k}: ${r.status} ${r.text.slice(0, 300)}`);
      bytes = r.text.length;
      random.push(r.ms);
    }

    // (b) what /kpi computes: every active campaign, in sequence.
    const each: number[] = [];
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      for (const k of keys) each.push((await timed(`${bot.baseUrl}/api/v1/campaigns/${k}/summary`)).ms);
      rounds.push(performance.now() - started);
    }
    // (c) the Slack slash command itself, as Slack sends it: signed POST /slack/events, then the
    // answer posted to the response_url (this process's fake Slack) — the time a person waits.
    const slash = async (text: string) => {
      const rid = `kpi-bench-${++slashSeq}`;
      const body = commandBody({ user: 'UBENCHKPI', command: '/kpi', text, responseUrl: slack.responseUrl(rid) });
      const started = performance.now();
      const ack = await postSignedTimed(bot.baseUrl, body);
      if (ack.status !== 200) throw new Error(`/kpi ack: ${ack.status} ${ack.text}`);
      while (slack.responsesTo(rid).length === 0) {
        if (performance.now() - started > 10_000) throw new Error('/kpi: no answer in 10 s');
        await new Promise((r) => setImmediate(r));
      }
      return { ack: ack.ms, answer: performance.now() - started };
    };
    await slash('');
    // The same path with the smallest answer (the help): what Bolt, the signed request and the
    // response_url cost by themselves, on this machine.
    const helpAnswer: number[] = [];
    for (let i = 0; i < SAMPLES / 4; i++) helpAnswer.push((await slash('ayuda')).answer);
    const slashAnswer: number[] = [];
    const slashAck: number[] = [];
    for (let i = 0; i < SAMPLES / 4; i++) {
      const r = await slash('');
      slashAnswer.push(r.answer);
      slashAck.push(r.ack);
    }
    // (d) the worst case: a figure arrived for every campaign just before each /kpi, so all 20
    // summaries are computed anew (none of them kept from the request before).
    const freshAnswer: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const observations = keys.map((k) => ({ campaign: k, metric: 'llamadas', date: today, value: 1000 + round, source: 'bench' }));
      const w = await timed(`${bot.baseUrl}/api/v1/metrics`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ observations }) });
      if (w.status !== 200) throw new Error(`write before /kpi refused: ${w.status} ${w.text.slice(0, 300)}`);
      freshAnswer.push((await slash('')).answer);
    }
    const refused = slack.rejections.length;
    const code = await bot.stop();
    await slack.stop();
    stopped = true;

    // The computation alone, in this process, on the same file: what HTTP and JSON add on top.
    const ro = openReadOnly(dbPath);
    const repo = new SqliteKpiRepository(ro);
    const campaigns = repo.all();
    const compute: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const c = campaigns[i % campaigns.length]!;
      const started = performance.now();
      campaignSummary(c, today, (defs, span) => repo.facts(c, defs, span));
      compute.push(performance.now() - started);
    }
    // What /kpi computes in the bot: every active campaign's summary, one after another, in one go.
    const inCore: number[] = [];
    for (let round = 0; round < ROUNDS * 4; round++) {
      const started = performance.now();
      for (const c of campaigns) campaignSummary(c, today, (defs, span) => repo.facts(c, defs, span));
      inCore.push(performance.now() - started);
    }
    const stored = (ro.prepare('SELECT count(*) AS n FROM kpi_observations').get() as { n: number }).n;
    ro.close();

    console.log(`\nkpi: ${CAMPAIGNS} campaigns × ${BENCH_METRICS.length} metrics × ${DAYS} days = ${total.toLocaleString('en')} observations (${stored.toLocaleString('en')} stored), bot run as «${bot.label}» (Node ${process.version}):`);
    console.log(`  machine: ${machineLoad()}; database ${(statSync(dbPath).size / 1e6).toFixed(0)} MB`);
    console.log(`  import through the API: ${imported.toLocaleString('en')} observations in ${batches.length} batches (largest ${(maxBytes / 1024).toFixed(0)} KiB) in ${(importMs / 1000).toFixed(2)} s (${Math.round(imported / (importMs / 1000)).toLocaleString('en')}/s)`);
    console.log(`    per batch: ${summary(batchMs, 0)}`);
    console.log(`  (a) GET summary, random campaign, ${SAMPLES} requests (${(bytes / 1024).toFixed(1)} KiB each): ${summary(random)} → ${verdict(random)}`);
    console.log(`  (b) /kpi = all ${CAMPAIGNS} summaries in sequence, ${ROUNDS} rounds: per summary ${summary(each)} → ${verdict(each)}`);
    console.log(`      per round (${CAMPAIGNS} summaries): ${summary(rounds, 1)}`);
    console.log(`  (c) the Slack command /kpi (signed request → answer at the response_url), ${slashAnswer.length} times: answer ${summary(slashAnswer)} → ${verdict(slashAnswer)}; ack ${summary(slashAck)}`);
    console.log(`      the same path answering /kpi ayuda (a few lines): ${summary(helpAnswer)}`);
    console.log(`  (d) /kpi right after a new figure for every campaign (all ${CAMPAIGNS} summaries computed anew), ${ROUNDS} times: answer ${summary(freshAnswer)} → ${verdict(freshAnswer)}`);
    if (refused) console.log(`  the fake Slack refused ${refused} payload(s): ${JSON.stringify(slack.rejections.slice(0, 2))}`);
    console.log(`  the computation alone (no HTTP), ${SAMPLES} summaries: ${summary(compute)}`);
    console.log(`      the same ${CAMPAIGNS} summaries computed in one go, as /kpi does (no HTTP): ${summary(inCore)} → ${verdict(inCore)}`);
    console.log(`  bot exit code: ${code}`);
    // (d) added one figure per campaign.
    if (imported !== API_DAYS * CAMPAIGNS * BENCH_METRICS.length || stored !== total + CAMPAIGNS) throw new Error(`expected ${total + CAMPAIGNS} observations, found ${stored} (imported ${imported})`);
  } finally {
    if (!stopped) {
      await bot.stop();
      await slack.stop();
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
