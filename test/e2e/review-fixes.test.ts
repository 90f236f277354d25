import { afterEach, describe, expect, it } from 'vitest';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { SqliteCalendarRepository } from '../../src/store/calendar-repo.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { Harness, SteppingClock, U, tempDbPath, textOf, waitFor } from '../helpers/harness.js';

const TZ = 'America/Mexico_City';
const at = (date: string, time: string) => localToEpoch(date, time, TZ)!;

let h: Harness | null = null;
let slack: FakeSlack | null = null;
afterEach(async () => {
  await h?.stopApp().catch(() => undefined);
  await slack?.stop();
  h = null;
  slack = null;
});

const jobs = (hh: Harness) => hh.app.db.prepare(`SELECT key, state, late FROM jobs WHERE kind = 'calendar.reminder' ORDER BY due_at`).all() as { key: string; state: string; late: number }[];

describe('what the review found', () => {
  it('a reminder due while the bot was down is sent late after a restart with other settings, not dropped', async () => {
    slack = await new FakeSlack().start();
    const dbPath = tempDbPath();
    const clock = new SteppingClock(at('2026-11-22', '08:00'));
    h = await Harness.start({ clock, dbPath, slack });
    await h.command(U.author, 'agregar 2026-11-24 Informe mensual', '/calendario');
    await h.app.jobs.tick();
    expect(jobs(h)).toHaveLength(1);
    await h.stopApp();
    // Down over the reminder (09:00 on the 23rd); back 30 minutes later with another digest time.
    clock.set(at('2026-11-23', '09:30'));
    h = await Harness.start({ clock, dbPath, slack, env: { DIGEST_TIME: '10:00' } });
    // Time-zone data changed too (as a Node update does): the row was planned under other settings.
    h.app.db.prepare(`UPDATE jobs SET planned_with = 'old' WHERE kind = 'calendar.reminder'`).run();
    h.app.db.prepare(`UPDATE job_horizons SET planned_with = 'old'`).run();
    await h.stopApp();
    h = await Harness.start({ clock, dbPath, slack });
    await h.app.jobs.tick();
    await h.settle();
    expect(jobs(h).map((j) => [j.state, j.late])).toEqual([['done', 1]]);
    expect(slack.dmsTo(U.author).filter((m) => textOf(m).includes('Informe mensual'))).toHaveLength(1);
  });

  it('a row waiting its turn behind slow sends is never claimed again when its lease runs out', async () => {
    slack = await new FakeSlack().start();
    const clock = new SteppingClock(at('2026-11-22', '08:00'));
    h = await Harness.start({ clock, slack, outbox: { leaseMs: 300 } });
    for (let i = 1; i <= 6; i++) await h.command(U.author, `agregar 2026-11-24 Entrega ${i}`, '/calendario');
    await h.settle();
    slack.slowNext('chat.postMessage', 200, 6);
    clock.set(at('2026-11-23', '09:01'));
    await h.app.jobs.tick();
    await waitFor(() => slack!.dmsTo(U.author).filter((m) => textOf(m).includes('Entrega')).length >= 6 || undefined, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    await h.settle();
    expect(slack.dmsTo(U.author).filter((m) => textOf(m).includes('Entrega'))).toHaveLength(6);
  });

  it('a date moved outside its series (after «hasta», before the start) still gets its reminder from the horizon', async () => {
    const clock = new SteppingClock(at('2027-02-01', '08:00'));
    h = await Harness.start({ clock });
    const repo = new SqliteCalendarRepository(h.app.db);
    const owner = h.personOf(U.author);
    const { entry } = repo.insert({ title: 'Serie corta', kind: 'meeting', startDate: '2027-01-05', time: null, ownerId: owner, recurrence: { freq: 'weekly', weekdays: [2] }, untilDate: '2027-02-02', reminders: ['day_before'], notes: null }, owner, clock.now());
    repo.setException({ entryId: entry.id, occurrenceDate: '2027-02-02', action: 'move', newDate: '2027-04-20', newTime: null, newTitle: null });
    // The horizon reaches 20 April some weeks later, without anybody touching the entry.
    for (let d = 0; d < 30; d++) {
      clock.set(at('2027-02-01', '08:00') + d * 86_400_000);
      await h.app.jobs.tick();
    }
    expect(jobs(h).map((j) => j.key)).toContain(`entry:${entry.id}@${entry.updatedAt}:2027-02-02:day_before`);
  });

  it('5xx from one Web API method while Slack answers: retried without giving up early; /healthz stays 200', async () => {
    slack = await new FakeSlack().start();
    h = await Harness.start({ slack, outbox: { giveUpAfterMs: 3_600_000 } });
    slack.failNext('chat.postMessage', 8, { status: 503, body: { ok: false, error: 'service_unavailable' } });
    await h.command(U.author, '');
    const view = await h.openedView(0);
    await h.submit(U.author, view, { title: 'Durante la caída', body: 'Texto', kind: 'post', networks: ['x'], date: '2030-03-14', time: '10:00', materials: null, needs_design: [] });
    const card = await waitFor(() => slack!.inChannel('CREVIEW').find((m) => JSON.stringify(m.blocks).includes('Durante la caída')), 15_000);
    expect(card).toBeTruthy();
    await h.settle();
    // Eight failures, more than maxAttempts (4): not given up, because it is not an hour old.
    expect(h.app.db.prepare(`SELECT status, attempts FROM outbox WHERE kind = 'post_card'`).get()).toEqual({ status: 'sent', attempts: 9 });
    expect(slack.callsOf('auth.test').length).toBeGreaterThan(1); // each 5xx asked whether Slack is down as a whole
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });

  it('a token revoked while running holds the messages (no attempt spent) and /healthz says so; they go once it works again', async () => {
    slack = await new FakeSlack().start();
    h = await Harness.start({ slack });
    slack.failNext('chat.postMessage', 1, { status: 200, body: { ok: false, error: 'token_revoked' } });
    slack.failNext('auth.test', 1, { status: 200, body: { ok: false, error: 'token_revoked' } });
    await h.command(U.author, '');
    const view = await h.openedView(0);
    await h.submit(U.author, view, { title: 'Token revocado', body: 'Texto', kind: 'post', networks: ['x'], date: '2030-03-14', time: '10:00', materials: null, needs_design: [] });
    let seen: Record<string, any> = {};
    for (let i = 0; i < 100 && seen.slack?.status !== 'refused'; i++) {
      seen = (await (await fetch(`${h.baseUrl}/healthz`)).json()) as Record<string, any>;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toMatchObject({ status: 'error', slack: { status: 'refused', error: 'token_revoked' } });
    expect(h.app.db.prepare(`SELECT status, attempts FROM outbox WHERE kind = 'post_card'`).get()).toEqual({ status: 'pending', attempts: 0 });
    // The token works again (restored in Slack): the card goes, once.
    const card = await waitFor(() => slack!.inChannel('CREVIEW').find((m) => JSON.stringify(m.blocks).includes('Token revocado')), 15_000);
    expect(card).toBeTruthy();
    await h.settle();
    expect(slack.inChannel('CREVIEW').filter((m) => JSON.stringify(m.blocks).includes('Token revocado'))).toHaveLength(1);
  });
});

describe('a review card someone deleted', () => {
  it('is posted again with the current state at the next decision, so the piece can still be acted on', async () => {
    h = await Harness.start();
    const { id, card } = await h.createPiece(U.author, { title: 'Tarjeta borrada', kind: 'graphic' });
    h.slack.messages.delete(`${card.channel}:${card.ts}`); // deleted in Slack by someone in the channel
    await h.click(U.approver, card, 'piece.approve');
    await h.settle();
    const again = h.card(id);
    expect(again.ts).not.toBe(card.ts);
    expect(textOf(again)).toContain('diseño');
    // Later decisions update the new card in place.
    await h.settle();
    expect(h.slack.inChannel('CREVIEW').filter((m) => !m.thread_ts && textOf(m).includes('Tarjeta borrada'))).toHaveLength(1);
  });
});

describe('a rejection reason people typed with lines, _ and *', () => {
  it('reads on the card as they wrote it, in quotes, with no markup added or broken', async () => {
    h = await Harness.start();
    const { id, card } = await h.createPiece(U.author, { title: 'Con motivo' });
    const n = h.slack.callsOf('views.open').length;
    await h.click(U.approver, card, 'piece.reject');
    const reason = 'Faltan dos cosas:\n- el _hashtag_ oficial\n- revisar horario_nuevo_2026.pdf y *fecha*';
    await h.submit(U.approver, await h.openedView(n), { reason });
    await h.settle();
    const text = textOf(h.card(id));
    expect(text).toContain(`Motivo: «${reason}»`);
  });
});
