import { describe, expect, it } from 'vitest';
import { SqliteCalendarRepository } from '../../src/store/calendar-repo.js';
import { openDatabase } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';

const base = { kind: 'other' as const, time: null, ownerId: null, reminders: [], notes: null };

describe('which entries a range reads', () => {
  it('a one-off entry whose date has passed is not read again by every planning pass or view', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const repo = new SqliteCalendarRepository(db);
    const past = repo.insert({ ...base, title: 'Pasada', startDate: '2025-03-01', recurrence: { freq: 'none' }, untilDate: null }, 'p1', 1).entry;
    const future = repo.insert({ ...base, title: 'Próxima', startDate: '2026-12-10', recurrence: { freq: 'none' }, untilDate: null }, 'p1', 1).entry;
    const open = repo.insert({ ...base, title: 'Semanal', startDate: '2025-01-06', recurrence: { freq: 'weekly', weekdays: [1] }, untilDate: null }, 'p1', 1).entry;
    const ended = repo.insert({ ...base, title: 'Terminó', startDate: '2025-01-06', recurrence: { freq: 'weekly', weekdays: [1] }, untilDate: '2025-06-30' }, 'p1', 1).entry;
    const moved = repo.insert({ ...base, title: 'Movida', startDate: '2025-02-01', recurrence: { freq: 'none' }, untilDate: null }, 'p1', 1).entry;
    repo.setException({ entryId: moved.id, occurrenceDate: '2025-02-01', action: 'move', newDate: '2026-12-15', newTime: null, newTitle: null });
    const ids = (xs: { id: number }[]) => xs.map((e) => e.id).sort((a, b) => a - b);
    const expected = [future.id, open.id, moved.id].sort((a, b) => a - b);
    expect(ids(repo.activePage('2026-11-22', '2027-01-30', 0, 100))).toEqual(expected);
    expect(ids(repo.activeBetween('2026-11-22', '2027-01-30'))).toEqual(expected);
    expect(expected).not.toContain(past.id);
    expect(expected).not.toContain(ended.id);
    // Deleted entries are never read, however they got into the range.
    repo.softDelete(moved.id, 'p1', 2);
    expect(ids(repo.activePage('2026-11-22', '2027-01-30', 0, 100))).toEqual([future.id, open.id]);
  });
});
