import { afterEach, describe, expect, it } from 'vitest';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { Harness, SteppingClock, U, textOf } from '../helpers/harness.js';

const TZ = 'America/Mexico_City';
// Sunday 22 November 2026, 08:00 in Mexico City.
const START = localToEpoch('2026-11-22', '08:00', TZ)!;

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

const replyText = async (text: string) => textOf((await h.reply((await h.command(U.author, text, '/calendario')).rid)) as never);
const entries = () => h.app.db.prepare('SELECT title, start_date, time FROM calendar_entries ORDER BY id').all();

describe('/calendario agregar through the signed command', () => {
  it('a date and a time with no title is an error, not an all-day entry titled «10:00»', async () => {
    h = await Harness.start({ clock: new SteppingClock(START) });
    expect(await replyText('agregar 2026-12-07 10:00')).toContain('Falta el título');
    expect(await replyText('agregar 2026-12-07 25:00 Conferencia')).toContain('Esa hora no existe');
    expect(entries()).toEqual([]);
  });

  it('reads times as people write them and repeats title, date and time (or «todo el día»)', async () => {
    h = await Harness.start({ clock: new SteppingClock(START) });
    expect(await replyText('agregar 2026-12-07 10:00am Conferencia de prensa')).toContain('Listo: fecha #1 agregada: «Conferencia de prensa», lunes 7 de diciembre, 10:00.');
    expect(await replyText('agregar 07/12/2026 6:30 p.m. Cobertura del foro')).toContain('«Cobertura del foro», lunes 7 de diciembre, 18:30.');
    expect(await replyText('agregar 2026-12-08 a las 9 Reunión de equipo')).toContain('«Reunión de equipo», martes 8 de diciembre, 09:00.');
    expect(await replyText('agregar 2026-12-09 Día de la oficina')).toContain('«Día de la oficina», miércoles 9 de diciembre (todo el día).');
    expect(entries()).toEqual([
      { title: 'Conferencia de prensa', start_date: '2026-12-07', time: '10:00' },
      { title: 'Cobertura del foro', start_date: '2026-12-07', time: '18:30' },
      { title: 'Reunión de equipo', start_date: '2026-12-08', time: '09:00' },
      { title: 'Día de la oficina', start_date: '2026-12-09', time: null },
    ]);
  });
});
