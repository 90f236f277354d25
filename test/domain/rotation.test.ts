import { describe, expect, it } from 'vitest';
import { anchorFor, OnCallSchedule, parseHandoff, type Override } from '../../src/domain/oncall/rotation.js';
import { localDateOf, localTimeOf, localToEpoch } from '../../src/domain/shared/time.js';

const TZ = 'America/Mexico_City';
const at = (date: string, time: string, tz = TZ) => localToEpoch(date, time, tz)!;
const MON9 = parseHandoff('lun 09:00')!;
// Monday 7 December 2026 is a hand-off: A from then, B from the 14th, C from the 21st, A again from the 28th.
const rotation = { people: ['A', 'B', 'C'], anchor: '2026-12-07' };

describe('the hand-off setting', () => {
  it('reads Spanish and English weekdays, with or without accents, with or without a time', () => {
    expect(parseHandoff('lun 09:00')).toEqual({ weekday: 1, time: '09:00' });
    expect(parseHandoff('lunes 9:00')).toEqual({ weekday: 1, time: '09:00' });
    expect(parseHandoff('mié')).toEqual({ weekday: 3, time: '09:00' });
    expect(parseHandoff('Miércoles 18:30')).toEqual({ weekday: 3, time: '18:30' });
    expect(parseHandoff('sáb 07:00')).toEqual({ weekday: 6, time: '07:00' });
    expect(parseHandoff('mon 09:00')).toEqual({ weekday: 1, time: '09:00' });
    expect(parseHandoff('lun 25:00')).toBeNull();
    expect(parseHandoff('someday')).toBeNull();
    expect(parseHandoff('')).toBeNull();
  });

  it('the anchor is the date of the latest hand-off at or before now', () => {
    expect(anchorFor(at('2026-12-09', '12:00'), MON9, TZ)).toBe('2026-12-07');
    expect(anchorFor(at('2026-12-07', '09:00'), MON9, TZ)).toBe('2026-12-07');
    expect(anchorFor(at('2026-12-07', '08:59'), MON9, TZ)).toBe('2026-11-30');
    expect(anchorFor(at('2026-12-13', '23:59'), MON9, TZ)).toBe('2026-12-07');
  });
});

describe('who is on call', () => {
  const s = new OnCallSchedule(rotation, [], MON9, TZ);

  it('turns weekly at the hand-off time, in order, and back to the first', () => {
    expect(s.at(at('2026-12-07', '09:00'))).toEqual({ personId: 'A', start: at('2026-12-07', '09:00'), end: at('2026-12-14', '09:00'), source: 'rotation', overrideId: null });
    expect(s.at(at('2026-12-14', '08:59'))!.personId).toBe('A');
    expect(s.at(at('2026-12-14', '09:00'))!.personId).toBe('B');
    expect(s.at(at('2026-12-27', '03:00'))!.personId).toBe('C');
    expect(s.at(at('2026-12-28', '09:00'))!.personId).toBe('A');
    // Before the anchor, the cycle runs backwards: C had 30 November.
    expect(s.at(at('2026-12-01', '09:00'))!.personId).toBe('C');
  });

  it('the next person for escalation is the one after this week’s', () => {
    expect(s.nextAfter(at('2026-12-08', '03:00'))).toBe('B');
    expect(s.nextAfter(at('2026-12-22', '03:00'))).toBe('A');
  });

  it('the next hand-offs, each a real change', () => {
    expect(s.handoffs(at('2026-12-09', '12:00'), 4)).toEqual([
      { at: at('2026-12-14', '09:00'), from: 'A', to: 'B' },
      { at: at('2026-12-21', '09:00'), from: 'B', to: 'C' },
      { at: at('2026-12-28', '09:00'), from: 'C', to: 'A' },
      { at: at('2027-01-04', '09:00'), from: 'A', to: 'B' },
    ]);
    // Strictly after: at the hand-off instant itself, the next one is a week later.
    expect(s.handoffs(at('2026-12-14', '09:00'), 1)[0]!.at).toBe(at('2026-12-21', '09:00'));
  });

  it('one person alone never hands off, and the search ends', () => {
    const alone = new OnCallSchedule({ people: ['A'], anchor: '2026-12-07' }, [], MON9, TZ);
    expect(alone.handoffs(at('2026-12-09', '12:00'), 4)).toEqual([]);
    expect(alone.nextAfter(at('2026-12-09', '12:00'))).toBeNull();
    expect(alone.at(at('2026-12-09', '12:00'))!.personId).toBe('A');
  });

  it('nobody without a rotation or a cover', () => {
    const none = new OnCallSchedule(null, [], MON9, TZ);
    expect(none.at(at('2026-12-09', '12:00'))).toBeNull();
    expect(none.handoffs(at('2026-12-09', '12:00'), 4)).toEqual([]);
    expect(none.nextAfter(at('2026-12-09', '12:00'))).toBeNull();
  });
});

describe('covers (overrides)', () => {
  // D covers 24–26 December (whole days), inside C's week (21–28).
  const covers: Override[] = [{ id: 1, personId: 'D', from: '2026-12-24', to: '2026-12-26' }];
  const s = new OnCallSchedule(rotation, covers, MON9, TZ);

  it('a cover takes whole days, from 00:00 of the first to 00:00 after the last', () => {
    expect(s.at(at('2026-12-23', '23:59'))!.personId).toBe('C');
    expect(s.at(at('2026-12-24', '00:00'))).toEqual({ personId: 'D', start: at('2026-12-24', '00:00'), end: at('2026-12-27', '00:00'), source: 'override', overrideId: 1 });
    expect(s.at(at('2026-12-27', '00:00'))!.personId).toBe('C');
  });

  it('hand-offs include the cover’s start and end', () => {
    expect(s.handoffs(at('2026-12-22', '12:00'), 3)).toEqual([
      { at: at('2026-12-24', '00:00'), from: 'C', to: 'D' },
      { at: at('2026-12-27', '00:00'), from: 'D', to: 'C' },
      { at: at('2026-12-28', '09:00'), from: 'C', to: 'A' },
    ]);
  });

  it('escalation during a cover pages the person after the rotation’s, never the one on call twice', () => {
    expect(s.nextAfter(at('2026-12-25', '03:00'))).toBe('A');
    // B covers in A's week: the next after A is B, who is on call; so C.
    const bCovers = new OnCallSchedule(rotation, [{ id: 2, personId: 'B', from: '2026-12-08', to: '2026-12-09' }], MON9, TZ);
    expect(bCovers.at(at('2026-12-08', '12:00'))!.personId).toBe('B');
    expect(bCovers.nextAfter(at('2026-12-08', '12:00'))).toBe('C');
  });

  it('the most recent cover wins where two overlap; a shift runs on across a cover that gives it to the same person', () => {
    const two = new OnCallSchedule(rotation, [
      { id: 1, personId: 'D', from: '2026-12-24', to: '2026-12-26' },
      { id: 5, personId: 'E', from: '2026-12-25', to: '2026-12-25' },
    ], MON9, TZ);
    expect(two.at(at('2026-12-24', '12:00'))!.personId).toBe('D');
    expect(two.at(at('2026-12-25', '12:00'))).toMatchObject({ personId: 'E', overrideId: 5, end: at('2026-12-26', '00:00') });
    expect(two.at(at('2026-12-26', '12:00'))).toMatchObject({ personId: 'D', end: at('2026-12-27', '00:00') });
    // A covers Sunday and Monday, into her own week: one shift from Sunday 00:00 to her week's end.
    const before = new OnCallSchedule(rotation, [{ id: 3, personId: 'A', from: '2026-12-27', to: '2026-12-28' }], MON9, TZ);
    expect(before.at(at('2026-12-27', '12:00'))).toMatchObject({ personId: 'A', start: at('2026-12-27', '00:00'), end: at('2027-01-04', '09:00') });
  });

  it('shifts between two instants, merged per person', () => {
    const list = s.shifts(at('2026-12-21', '00:00'), at('2026-12-29', '00:00')).map((x) => [x.personId, localDateOf(x.start, TZ), localTimeOf(x.start, TZ)]);
    expect(list).toEqual([
      ['B', '2026-12-14', '09:00'],
      ['C', '2026-12-21', '09:00'],
      ['D', '2026-12-24', '00:00'],
      ['C', '2026-12-27', '00:00'],
      ['A', '2026-12-28', '09:00'],
    ]);
  });
});

describe('daylight saving time', () => {
  it('hand-offs stay at 09:00 local across the changes (America/Santiago, April and September 2026)', () => {
    const tz = 'America/Santiago';
    const s = new OnCallSchedule({ people: ['A', 'B'], anchor: '2026-03-02' }, [], MON9, tz);
    const hs = s.handoffs(at('2026-03-02', '10:00', tz), 30);
    expect(hs).toHaveLength(30);
    for (const h of hs) {
      expect(localTimeOf(h.at, tz)).toBe('09:00');
      expect(new Date(h.at).getUTCDay()).toBe(1);
    }
    // Alternating without a skip across both changes.
    expect(hs.map((h) => h.to).join('')).toBe('BA'.repeat(15));
  });
});
