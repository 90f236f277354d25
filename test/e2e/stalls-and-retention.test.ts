import { afterEach, describe, expect, it } from 'vitest';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { ACTION } from '../../src/views/ids.js';
import { Harness, SteppingClock, U, textOf, waitFor } from '../helpers/harness.js';

const TZ = 'America/Mexico_City';
const at = (date: string, time: string) => localToEpoch(date, time, TZ)!;
const DAY = 86_400_000;

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

describe('silent stalls', () => {
  it('warns at start for each role nobody holds', async () => {
    h = await Harness.start({ env: { DESIGNER_IDS: '' }, captureLogs: true });
    const warnings = h.logs.map((l) => JSON.parse(l) as { level: number; msg: string; role?: string }).filter((l) => l.level === 40 && l.role);
    expect(warnings.map((w) => w.role)).toEqual(['designer']);
    expect(warnings[0]!.msg).toContain('DESIGNER_IDS');
  });

  it('a graphic approved with no designer tells the admins that nobody will get the task', async () => {
    h = await Harness.start({ env: { DESIGNER_IDS: '' } });
    const { card } = await h.createPiece(U.author, { title: 'Infografía de vacunación', kind: 'graphic' });
    await h.click(U.approver, card, ACTION.approve);
    const alert = await waitFor(() => h.slack.dmsTo(U.admin).find((m) => textOf(m).includes('nadie tiene ese rol')));
    expect(textOf(alert)).toContain('Infografía de vacunación');
    expect(textOf(alert)).toContain('al equipo de diseño');
  });
});

describe('retention', () => {
  it('sent outbox rows and finished job rows older than RETENTION_DAYS are pruned at night; the audit stays', async () => {
    const clock = new SteppingClock(at('2026-11-22', '08:00'));
    h = await Harness.start({ clock, env: { RETENTION_DAYS: '30' } });
    await h.createPiece(U.author);
    await h.command(U.author, 'agregar 2026-11-24 Informe', '/calendario');
    clock.set(at('2026-11-23', '09:01'));
    await h.app.jobs.tick();
    await h.settle();
    const counts = () => h.app.db.prepare(`SELECT (SELECT count(*) FROM outbox WHERE status = 'sent') AS sent, (SELECT count(*) FROM jobs WHERE state != 'pending') AS ended, (SELECT count(*) FROM piece_events) AS audit`).get() as Record<string, number>;
    const before = counts();
    expect(before.sent).toBeGreaterThan(0);
    expect(before.ended).toBeGreaterThan(0);
    // 28 days on, nothing is 30 days old yet; 32 days on, all of it is.
    for (let d = 1; d <= 32; d++) {
      clock.set(at('2026-11-23', '09:01') + d * DAY);
      await h.app.jobs.tick();
      if (d === 28) expect(counts()).toMatchObject({ sent: before.sent, audit: before.audit });
    }
    const after = counts();
    expect(after.sent).toBe(0);
    expect(after.audit).toBe(before.audit);
    // Only the pruning rows of the last nights (and later reminders) remain among finished jobs.
    expect(h.app.db.prepare(`SELECT count(*) AS n FROM jobs WHERE state != 'pending' AND done_at < ?`).get(clock.now() - 30 * DAY)).toEqual({ n: 0 });
  });
});

describe('a designer named after the piece reached «diseño»', () => {
  it('can deliver the design from the card (or /pieza N), and the piece moves on', async () => {
    h = await Harness.start({ env: { DESIGNER_IDS: '' } });
    const { id, card } = await h.createPiece(U.author, { title: 'Video institucional', kind: 'video' });
    await h.click(U.approver, card, ACTION.approve);
    await h.settle();
    await h.reply((await h.command(U.admin, `roles dar <@${U.other}|nueva> diseño`)).rid);
    const opened = h.slack.callsOf('views.open').length;
    await h.click(U.other, h.card(id), ACTION.deliverDesign);
    const form = await h.openedView(opened);
    await h.submit(U.other, form, { link: 'https://drive.example.org/video-final' });
    await h.settle();
    expect(textOf(h.card(id))).toContain('revisión de diseño');
  });
});
