import { afterEach, describe, expect, it } from 'vitest';
import { importCalendarCsv } from '../../src/adapters/csv/calendar-csv.js';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { es } from '../../src/i18n/es.js';
import { CAL_ACTION } from '../../src/views/ids.js';
import { Harness, SteppingClock, U, textOf, waitFor } from '../helpers/harness.js';

const TZ = 'America/Mexico_City';
const at = (date: string, time: string) => localToEpoch(date, time, TZ)!;
const CSV = 'fecha,hora,tipo,titulo,responsable,repeticion,dias,hasta,recordatorios,notas\n2026-12-03,,comunicado,Informe trimestral,,,,,dia,\n';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

async function importAndFire(env: Record<string, string>) {
  const clock = new SteppingClock(at('2026-11-22', '08:00'));
  h = await Harness.start({ clock, env });
  // As `npm run calendario:importar` does: the import process is the creator, not a person.
  expect(importCalendarCsv(CSV, h.app.core.calendar, es)).toMatchObject({ imported: 1, errors: [] });
  expect(h.app.db.prepare('SELECT created_by FROM calendar_entries').get()).toEqual({ created_by: 'sys:csv-import' });
  clock.set(at('2026-12-02', '09:01'));
  await h.app.jobs.tick();
  await h.settle();
}

describe('an imported entry with no owner', () => {
  it('reminds the calendar channel, and nobody else', async () => {
    await importAndFire({ CALENDAR_CHANNEL_ID: 'CCAL' });
    expect(h.slack.inChannel('CCAL').map((m) => textOf(m)).join()).toContain('Informe trimestral');
    expect(h.slack.callsOf('chat.postMessage').map((c) => c.args.channel)).toEqual(['CCAL']);
    expect(h.app.db.prepare(`SELECT count(*) AS n FROM outbox WHERE status = 'failed'`).get()).toEqual({ n: 0 });
  });

  it('reminds the admins when there is no calendar channel — never a made-up channel', async () => {
    await importAndFire({});
    expect(h.slack.dmsTo(U.admin).map((m) => textOf(m)).join()).toContain('Informe trimestral');
    expect(h.slack.callsOf('chat.postMessage').map((c) => c.args.channel)).toEqual([U.admin]);
    expect(h.app.db.prepare(`SELECT count(*) AS n FROM outbox WHERE status = 'failed'`).get()).toEqual({ n: 0 });
  });
});

describe('an imported entry changed by a re-import while someone had its form open', () => {
  it('refuses the late form and names the CSV import as who changed it, in words', async () => {
    const clock = new SteppingClock(at('2026-11-22', '08:00'));
    h = await Harness.start({ clock });
    importCalendarCsv(CSV, h.app.core.calendar, es);
    const r = await h.reply((await h.command(U.approver, '1', '/calendario')).rid);
    const card = { channel: 'CGENERAL', ts: '9.1', text: String(r.text ?? ''), blocks: r.blocks as never };
    const n = h.slack.callsOf('views.open').length;
    await h.click(U.approver, card, CAL_ACTION.edit);
    const form = await h.openedView(n);
    // The office re-imports its corrected programme meanwhile.
    clock.set(at('2026-11-22', '08:30'));
    expect(importCalendarCsv(CSV.replace('Informe trimestral,,,,,dia,', 'Informe trimestral,,,,,semana,'), h.app.core.calendar, es)).toMatchObject({ updated: 1 });
    const values: Record<string, unknown> = {};
    for (const b of form.blocks as { block_id?: string; element?: Record<string, unknown> }[]) {
      const el = b.element;
      if (!b.block_id || !el) continue;
      values[b.block_id] = el.initial_value ?? el.initial_date ?? el.initial_time ?? (el.initial_option as { value: string } | undefined)?.value ?? (el.initial_options as { value: string }[] | undefined)?.map((o) => o.value) ?? (el.type === 'checkboxes' ? [] : null);
    }
    await h.submit(U.approver, form, { ...values, title: 'Informe trimestral (revisado)' } as never);
    const note = await waitFor(() => h.slack.callsOf('chat.postEphemeral').map((c) => String(c.args.text)).find((t) => t.includes('No se guardó')));
    expect(note).toContain('modificada por la importación de CSV hoy a las 08:30');
    expect(note).not.toContain('sys:');
  });
});
