import { describe, expect, it } from 'vitest';
import { localToEpoch, validateNewPiece } from '../../src/domain/approvals/validate.js';

const TZ = 'America/Mexico_City';
// 2026-11-22 10:00 in Mexico City (UTC-6, no DST since 2022)
const NOW = Date.UTC(2026, 10, 22, 16, 0);
const ok = { title: 'Título', body: 'Texto', kind: 'post', networks: ['x'], date: '2026-12-07', time: '10:00' };

describe('validateNewPiece', () => {
  it('accepts a valid piece and stores the planned time in UTC', () => {
    const r = validateNewPiece(ok, NOW, TZ);
    expect(r).toMatchObject({ ok: true, value: { plannedAt: Date.UTC(2026, 11, 7, 16, 0), plannedHasTime: true, needsDesign: false } });
  });

  it.each([
    [{ date: '2026-02-30' }, 'date', 'invalid_date'],
    [{ date: '2026-11-21' }, 'date', 'past_date'],
    [{ date: '2026-11-22', time: '09:59' }, 'time', 'past_date'],
    [{ time: '25:00' }, 'time', 'invalid_time'],
    [{ date: null }, 'date', 'required'],
    [{ kind: 'meme' }, 'kind', 'invalid_option'],
    [{ networks: ['x', 'myspace'] }, 'networks', 'invalid_option'],
    [{ body: 'x'.repeat(281) }, 'body', 'too_long_for_network'],
    [{ body: 'x'.repeat(2201), networks: ['instagram'] }, 'body', 'too_long_for_network'],
    [{ body: 'x'.repeat(3001), networks: ['press'] }, 'body', 'too_long'],
    [{ title: 't'.repeat(151) }, 'title', 'too_long'],
    [{ materialsUrl: 'www.sin-esquema.org' }, 'materials', 'invalid_url'],
  ])('%j → %s: %s', (over, field, code) => {
    const r = validateNewPiece({ ...ok, ...over }, NOW, TZ);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[field as keyof typeof r.errors]?.code).toBe(code);
  });

  it('today without a time is fine; 280 characters with accents and emoji is fine on X', () => {
    expect(validateNewPiece({ ...ok, date: '2026-11-22', time: null }, NOW, TZ).ok).toBe(true);
    expect(validateNewPiece({ ...ok, body: 'ñ'.repeat(279) + '🇲🇽' }, NOW, TZ).ok).toBe(false); // a flag is two code points: 281
    expect(validateNewPiece({ ...ok, body: 'ñ'.repeat(279) + '😀' }, NOW, TZ).ok).toBe(true);
  });
});

describe('localToEpoch across daylight saving time', () => {
  it('Santiago de Chile: the same wall-clock time is a different UTC offset before and after the change', () => {
    // Chile moves to summer time (UTC-3) on the first Sunday of September 2026.
    expect(localToEpoch('2026-08-01', '10:00', 'America/Santiago')).toBe(Date.UTC(2026, 7, 1, 14, 0));
    expect(localToEpoch('2026-10-01', '10:00', 'America/Santiago')).toBe(Date.UTC(2026, 9, 1, 13, 0));
  });

  it('rejects dates that do not exist', () => {
    expect(localToEpoch('2026-02-29', null, TZ)).toBeNull();
    expect(localToEpoch('2028-02-29', null, TZ)).not.toBeNull();
    expect(localToEpoch('2026-13-01', null, TZ)).toBeNull();
  });
});
