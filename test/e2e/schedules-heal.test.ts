import { afterEach, describe, expect, it } from 'vitest';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { Harness, SteppingClock, U, tempDbPath, textOf } from '../helpers/harness.js';

const TZ = 'America/Mexico_City';
const at = (date: string, time: string, tz = TZ) => localToEpoch(date, time, tz)!;

let h: Harness | null = null;
let slack: FakeSlack;
afterEach(async () => {
  await h?.stopApp().catch(() => undefined);
  await slack?.stop();
  h = null;
});

/** One office, restarted with other settings over the same database and the same fake Slack. */
async function run(clock: SteppingClock, dbPath: string, env: Record<string, string>) {
  await h?.stopApp();
  h = await Harness.start({ clock, dbPath, slack, env: { DIGEST_CHANNEL_ID: 'CDIGEST', ...env } });
}

async function stepTo(clock: SteppingClock, ms: number) {
  clock.set(ms);
  await h!.app.jobs.tick();
  await h!.settle();
}

const digests = () => slack.inChannel('CDIGEST').length;
const jobs = (kind: string) => h!.app.db.prepare(`SELECT key, state, due_at FROM jobs WHERE kind = ? ORDER BY due_at`).all(kind) as { key: string; state: string; due_at: number }[];

describe('schedules heal when settings change', () => {
  it('a new DIGEST_TIME takes effect from the next day, not in 8 days', async () => {
    slack = await new FakeSlack().start();
    const dbPath = tempDbPath();
    const clock = new SteppingClock(at('2026-11-23', '08:00')); // Monday
    await run(clock, dbPath, { DIGEST_TIME: '09:00' });
    await stepTo(clock, at('2026-11-23', '09:01'));
    expect(digests()).toBe(1);
    await run(clock, dbPath, { DIGEST_TIME: '07:30' });
    await stepTo(clock, at('2026-11-24', '07:31'));
    expect(digests()).toBe(2);
    await stepTo(clock, at('2026-11-24', '09:05'));
    expect(digests()).toBe(2); // not at the old time as well
  });

  it('a weekday removed from DIGEST_DAYS gets no digest; one added gets it', async () => {
    slack = await new FakeSlack().start();
    const dbPath = tempDbPath();
    const clock = new SteppingClock(at('2026-11-23', '08:00'));
    await run(clock, dbPath, { DIGEST_DAYS: '1-5' });
    await run(clock, dbPath, { DIGEST_DAYS: '1,3,6' }); // Tuesday out, Saturday in
    await stepTo(clock, at('2026-11-24', '09:01')); // Tuesday
    expect(digests()).toBe(0);
    expect(jobs('digest.daily').map((j) => j.key)).not.toContain('digest:2026-11-24');
    await stepTo(clock, at('2026-11-25', '09:01')); // Wednesday
    expect(digests()).toBe(1);
    await stepTo(clock, at('2026-11-28', '09:01')); // Saturday
    expect(digests()).toBe(2);
  });

  it('a TIMEZONE change keeps every reminder, at 09:00 of the new zone', async () => {
    slack = await new FakeSlack().start();
    const dbPath = tempDbPath();
    const clock = new SteppingClock(at('2026-11-22', '08:00'));
    await run(clock, dbPath, {});
    const res = await h!.command(U.author, 'agregar 2026-12-10 Informe mensual', '/calendario');
    expect(textOf((await h!.reply(res.rid)) as never)).toContain('fecha #1');
    expect(jobs('calendar.reminder').filter((j) => j.state === 'pending')).toHaveLength(1);

    await run(clock, dbPath, { TIMEZONE: 'America/Bogota' });
    await h!.app.jobs.tick();
    const pending = jobs('calendar.reminder').filter((j) => j.state === 'pending');
    expect(pending).toHaveLength(1);
    expect(new Date(pending[0]!.due_at).toISOString()).toBe(new Date(at('2026-12-09', '09:00', 'America/Bogota')).toISOString());
    await stepTo(clock, at('2026-12-09', '09:01', 'America/Bogota'));
    expect(slack.dmsTo(U.author).filter((m) => textOf(m).includes('Informe mensual'))).toHaveLength(1);
  });

  it('a reminder whose local time moved (time-zone data update) fires at the new instant, once', async () => {
    slack = await new FakeSlack().start();
    const clock = new SteppingClock(at('2026-11-22', '08:00'));
    await run(clock, tempDbPath(), {});
    await h!.command(U.author, 'agregar 2026-12-10 Informe mensual', '/calendario');
    await h!.app.jobs.tick();
    // As if it was planned under older rules, an hour earlier than the zone now says.
    h!.app.db.prepare(`UPDATE jobs SET due_at = due_at - 3600000 WHERE kind = 'calendar.reminder'`).run();
    await stepTo(clock, at('2026-12-09', '08:01'));
    expect(slack.dmsTo(U.author)).toHaveLength(0);
    expect(jobs('calendar.reminder')[0]).toMatchObject({ state: 'pending', due_at: at('2026-12-09', '09:00') });
    await stepTo(clock, at('2026-12-09', '09:00'));
    await stepTo(clock, at('2026-12-09', '09:30'));
    expect(slack.dmsTo(U.author).filter((m) => textOf(m).includes('Informe mensual'))).toHaveLength(1);
  });
});

describe('planning is incremental', () => {
  it('extends the horizon as days pass and plans each entry when it is written, not every minute', async () => {
    slack = await new FakeSlack().start();
    const clock = new SteppingClock(at('2026-11-22', '08:00'));
    await run(clock, tempDbPath(), {});
    await h!.command(U.author, 'agregar 2026-11-23 Reunión semanal', '/calendario');
    const horizon = () => (h!.app.db.prepare(`SELECT planned_until FROM job_horizons WHERE kind = 'calendar.reminder'`).get() as { planned_until: number }).planned_until;
    await h!.app.jobs.tick();
    const first = horizon();
    clock.advance(60_000);
    await h!.app.jobs.tick();
    expect(horizon()).toBe(first); // a minute later: nothing to plan
    clock.advance(86_400_000);
    await h!.app.jobs.tick();
    expect(horizon()).toBe(first + 86_460_000);
  });
});
