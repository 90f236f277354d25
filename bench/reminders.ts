/**
 * Do reminders fire within a few seconds of their due time with 100,000 future reminders stored?
 * Starts the real app (1-second scheduler timer, real SQLite file, fake Slack on loopback), stores
 * FUTURE future reminder rows, then plans SAMPLES reminders due a few seconds ahead and measures
 * (a) the cost of one scheduler tick and (b) due time → message received by the fake Slack.
 *
 *   npm run bench:reminders                 # 100,000 future rows, 20 samples
 *   FUTURE=300000 SAMPLES=50 npm run bench:reminders
 */
import { SqliteCalendarRepository } from '../src/store/calendar-repo.js';
import { SqliteReminderRepository } from '../src/store/reminder-repo.js';
import { Harness, U, waitFor } from '../test/helpers/harness.js';

const FUTURE = Number(process.env.FUTURE ?? 100_000);
const SAMPLES = Number(process.env.SAMPLES ?? 20);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function main(): Promise<void> {
  const h = await Harness.start({ env: { DIGEST_CHANNEL_ID: 'CDIGEST' } });
  const entries = new SqliteCalendarRepository(h.app.db);
  const reminders = new SqliteReminderRepository(h.app.db);
  const { entry } = entries.insert(
    { title: 'Conferencia de prensa', kind: 'press_conference', startDate: '2099-01-01', time: '10:00', ownerId: U.author, recurrence: { freq: 'none' }, untilDate: null, reminders: [], notes: null },
    U.author,
    Date.now(),
  );
  const t0 = performance.now();
  h.app.db.transaction(() => {
    const now = Date.now();
    const rows = [];
    for (let i = 0; i < FUTURE; i++) rows.push({ key: `bench:${i}`, kind: 'entry' as const, entryId: entry.id, occurrenceDate: '2099-01-01', code: 'day_before', dueAt: now + 3_600_000 + i * 1000 });
    reminders.plan(rows);
  })();
  console.log(`stored ${FUTURE} future reminders in ${(performance.now() - t0).toFixed(0)} ms`);

  const ticks: number[] = [];
  for (let i = 0; i < 50; i++) {
    const s = performance.now();
    h.app.jobs.tick();
    ticks.push(performance.now() - s);
  }

  // Rows due 2–4 s from now (digest rows: they re-check nothing but the channel), fired by the 1-second timer.
  const lag: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const due = Date.now() + 2000 + Math.floor(Math.random() * 2000);
    const before = h.slack.inChannel('CDIGEST').length;
    reminders.plan([{ key: `digest:bench-${i}`, kind: 'digest', occurrenceDate: new Date().toISOString().slice(0, 10), dueAt: due }]);
    await waitFor(() => h.slack.inChannel('CDIGEST').length > before, 15_000);
    const call = h.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'CDIGEST').at(-1)!;
    lag.push(call.at - due);
  }
  console.log(`scheduler tick with ${FUTURE} future rows, nothing due (50 ticks): p50 ${pct(ticks, 50).toFixed(2)} ms · max ${Math.max(...ticks).toFixed(2)} ms`);
  console.log(`due → message received by (fake) Slack, ${SAMPLES} samples, 1 s timer: p50 ${pct(lag, 50)} ms · p95 ${pct(lag, 95)} ms · max ${Math.max(...lag)} ms`);
  await h.stop();
}

void main();
