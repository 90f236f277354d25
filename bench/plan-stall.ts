/**
 * Does planning stall the bot? With ENTRIES repeating calendar entries and no reminder rows planned
 * yet, the bot is started as its own process (as `npm start` runs it) against a fake Slack in this
 * process. From the moment its port accepts connections, signed `/calendario hoy` and
 * `/pieza pendientes` commands are sent every INTERVAL_MS without waiting for the previous answer
 * (Slack does not wait either), and `/healthz` is polled. Each HTTP round-trip is what Slack sees as
 * the ack time; Slack gives up at 3 s. A separate process is the point: an in-process benchmark
 * stalls together with the bot and cannot see the stall.
 *
 *   npm run bench:plan-stall                       # 2,000 entries, 15 s of commands
 *   ENTRIES=5000 DURATION=20 npm run bench:plan-stall
 *   REPLAN_WAIT_S=60 npm run bench:plan-stall      # keep sending 60 s longer (the first planning pass runs 1–3 s after start)
 *   MIX=pieza npm run bench:plan-stall             # only /pieza pendientes (MIX=calendario,pieza is the default)
 *   BENCH_BOT=tsx|dist                             # force how the bot is launched (default: as npm start)
 */
import { join } from 'node:path';
import { FakeSlack } from '../test/helpers/fake-slack.js';
import { commandBody } from '../test/helpers/slack-client.js';
import { BOT_USERS, botEnv, freePort, sleep, spawnBot, tempDir, waitForPort, waitForQuiet } from './lib/bot.js';
import { watchAnswers } from './lib/answers.js';
import { getTimed, postSignedTimed } from './lib/http.js';
import { countTimedRows, createDatabase, seedRepeatingEntries } from './lib/seed.js';
import { machineLoad, over, summary } from './lib/stats.js';

const ENTRIES = Number(process.env.ENTRIES ?? 2000);
const DURATION_S = Number(process.env.DURATION ?? 15);
const REPLAN_WAIT_S = Number(process.env.REPLAN_WAIT_S ?? 0);
const INTERVAL_MS = Number(process.env.INTERVAL_MS ?? 20);
const HEALTH_EVERY_MS = 100;
const IDLE_SAMPLES = 5;

interface Sample {
  /** ms after the port opened that the request was sent */
  sentAt: number;
  ms: number;
  status: number;
  what: string;
  /** the response_url id its answer comes back on */
  rid?: string;
  /** performance.now() when sent */
  sent?: number;
}

interface Command {
  what: string;
  user: string;
  command: string;
  text: string;
}
const ALL_COMMANDS: Command[] = [
  { what: '/calendario hoy', user: BOT_USERS.author, command: '/calendario', text: 'hoy' },
  { what: '/pieza pendientes', user: BOT_USERS.approver, command: '/pieza', text: 'pendientes' },
];
/** MIX=pieza sends only /pieza pendientes (cheap to answer), to see planning without the cost of the agenda. */
const MIX = (process.env.MIX ?? 'calendario,pieza').split(',').map((x) => x.trim());
const COMMANDS = ALL_COMMANDS.filter((c) => MIX.some((m) => c.command === `/${m}`));

function sendCommand(slack: FakeSlack, baseUrl: string, c: Command, rid: string, portOpen: number): Promise<Sample> {
  const sent = performance.now();
  const body = commandBody({ user: c.user, command: c.command, text: c.text, responseUrl: slack.responseUrl(rid) });
  return postSignedTimed(baseUrl, body).then((r) => ({ sentAt: sent - portOpen, ms: r.ms, status: r.status, what: c.what, rid, sent }));
}

async function main(): Promise<void> {
  // Bounded whatever happens: the load, the drain (≤ 10 s per request), two minutes to quiet down, the idle samples.
  setTimeout(() => {
    console.error('plan-stall: gave up after its time budget');
    process.exit(2);
  }, (DURATION_S + REPLAN_WAIT_S + 240) * 1000).unref();
  if (COMMANDS.length === 0) throw new Error(`MIX=${MIX.join(',')} names no command; use calendario, pieza or both`);
  const dbPath = join(tempDir(), 'bench.db');
  const t0 = performance.now();
  const db = createDatabase(dbPath);
  seedRepeatingEntries(db, ENTRIES);
  db.close();
  console.log(`seeded ${ENTRIES} repeating entries (no reminder rows) in ${(performance.now() - t0).toFixed(0)} ms → ${dbPath}`);

  const slack = await new FakeSlack().start();
  const bot = spawnBot(botEnv(slack, dbPath, await freePort()));
  const portMs = await waitForPort(bot);
  const portOpen = performance.now();

  const answers = watchAnswers(slack);
  const acks: Promise<Sample>[] = [];
  const health: Promise<Sample>[] = [];
  let healthyAt: number | null = null;
  let seq = 0;
  const end = portOpen + (DURATION_S + REPLAN_WAIT_S) * 1000;
  let nextCmd = portOpen;
  let nextHealth = portOpen;
  while (performance.now() < end) {
    const now = performance.now();
    if (now >= nextCmd) {
      nextCmd += INTERVAL_MS;
      const i = ++seq;
      acks.push(sendCommand(slack, bot.baseUrl, COMMANDS[i % COMMANDS.length]!, `cmd-${i}`, portOpen));
    }
    if (now >= nextHealth) {
      nextHealth += HEALTH_EVERY_MS;
      health.push(
        getTimed(`${bot.baseUrl}/healthz`).then((r) => {
          if (r.status === 200 && healthyAt === null) healthyAt = performance.now() - bot.spawnedAt;
          return { sentAt: now - portOpen, ms: r.ms, status: r.status, what: '/healthz' };
        }),
      );
    }
    if (bot.exited()) throw new Error(`the bot exited during the run:\n${bot.output()}`);
    await sleep(Math.max(0, Math.min(nextCmd, nextHealth) - performance.now()));
  }
  const samples = await Promise.all(acks);
  const probes = await Promise.all(health);
  const planned = countTimedRows(dbPath);

  // What one command costs the bot on its own: once the load has drained, one at a time, ack and
  // answer (response_url received by the fake Slack). If this is above INTERVAL_MS the load above
  // queues up behind the commands themselves, not only behind planning.
  const quiet = await waitForQuiet(bot);
  if (!quiet) console.log('the bot was still busy two minutes after the load stopped; idle figures are not idle');
  const idle: { what: string; ack: number; answer: number }[] = [];
  for (let i = 0; i < IDLE_SAMPLES * COMMANDS.length; i++) {
    const c = COMMANDS[i % COMMANDS.length]!;
    const s = await sendCommand(slack, bot.baseUrl, c, `idle-${i}`, portOpen);
    const deadline = performance.now() + 10_000;
    while (answers.at(s.rid!) === undefined && performance.now() < deadline) await sleep(2);
    idle.push({ what: c.what, ack: s.ms, answer: (answers.at(s.rid!) ?? Number.NaN) - s.sent! });
  }
  answers.stop();
  const code = await bot.stop();
  await slack.stop();

  const ms = samples.map((s) => s.ms);
  const failed = samples.filter((s) => s.status !== 200);
  const worst = [...samples].sort((a, b) => b.ms - a.ms).slice(0, 5);
  console.log(`\nplan stall: ${ENTRIES} repeating entries, bot run as «${bot.label}» (Node ${process.version}), ${DURATION_S + REPLAN_WAIT_S} s of commands every ${INTERVAL_MS} ms:`);
  console.log(`  machine: ${machineLoad()}`);
  console.log(`  port open after spawn:        ${portMs.toFixed(0)} ms`);
  console.log(`  healthy (/healthz 200) after: ${healthyAt === null ? 'never' : `${(healthyAt as number).toFixed(0)} ms`}`);
  console.log(`  ack (HTTP round-trip), ${samples.length} commands: ${summary(ms, 1)}`);
  for (const { what } of COMMANDS) {
    console.log(`    ${what.padEnd(18)} ${summary(samples.filter((s) => s.what === what).map((s) => s.ms), 1)}`);
  }
  const answered = samples.filter((s) => answers.at(s.rid!) !== undefined).map((s) => answers.at(s.rid!)! - s.sent!);
  console.log(`  answer received by (fake) Slack, ${answered.length} of ${samples.length}: ${summary(answered, 0)}`);
  console.log(`  over 100 ms: ${over(ms, 100)} · over 3,000 ms (Slack gives up): ${over(ms, 3000)} · not answered 200: ${failed.length}`);
  console.log(`  slowest: ${worst.map((s) => `${s.ms.toFixed(0)} ms (${s.what}, sent at +${(s.sentAt / 1000).toFixed(2)} s)`).join(', ')}`);
  console.log(`  seconds with an ack over 100 ms (second after port open: max ack): ${slowSeconds(samples) || 'none'}`);
  console.log(`  /healthz round-trip, ${probes.length} probes: ${summary(probes.filter((p) => p.status !== 0).map((p) => p.ms), 1)}`);
  for (const c of COMMANDS) {
    const xs = idle.filter((x) => x.what === c.what);
    console.log(`  idle, one at a time, ${c.what.padEnd(18)} ack ${summary(xs.map((x) => x.ack), 1)} | answer ${summary(xs.map((x) => x.answer).filter(Number.isFinite), 0)}`);
  }
  console.log(`  timed rows planned by the end: ${Object.entries(planned).map(([t, n]) => `${t} ${n}`).join(' · ') || 'no reminders or jobs table'}`);
  console.log(`  bot exit code after SIGTERM: ${code}`);
  process.exit(0);
}

/** «+0s: 4714 · +1s: 4368 · …»: where in the run the slow acks were sent. */
function slowSeconds(samples: readonly Sample[]): string {
  const worst = new Map<number, number>();
  for (const s of samples) {
    const sec = Math.floor(s.sentAt / 1000);
    worst.set(sec, Math.max(worst.get(sec) ?? 0, s.ms));
  }
  return [...worst]
    .filter(([, ms]) => ms > 100)
    .sort((a, b) => a[0] - b[0])
    .map(([sec, ms]) => `+${sec}s: ${ms.toFixed(0)}`)
    .join(' · ');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
