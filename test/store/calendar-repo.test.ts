import { beforeEach, describe, expect, it } from 'vitest';
import type { EntryInput } from '../../src/domain/calendar/types.js';
import { SqliteCalendarRepository } from '../../src/store/calendar-repo.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';

const weekly: EntryInput = { title: 'Pauta', kind: 'meeting', startDate: '2026-11-23', time: '10:00', ownerId: null, recurrence: { freq: 'weekly', weekdays: [1] }, untilDate: '2026-12-31', reminders: [], notes: null };

let db: DB;
let repo: SqliteCalendarRepository;
beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db);
  repo = new SqliteCalendarRepository(db);
});

describe('calendar entries in a range', () => {
  it('include a series that ended when one of its dates was moved into the range, however far', () => {
    const { entry } = repo.insert(weekly, 'UA', 1);
    repo.setException({ entryId: entry.id, occurrenceDate: '2026-11-30', action: 'move', newDate: '2028-01-04', newTime: null, newTitle: null });
    expect(repo.activeBetween('2028-01-01', '2028-01-31').map((e) => e.id)).toEqual([entry.id]);
    expect(repo.activeBetween('2027-06-01', '2027-06-30')).toEqual([]);
    // A removed date is not a move.
    repo.setException({ entryId: entry.id, occurrenceDate: '2026-11-30', action: 'skip', newDate: null, newTime: null, newTitle: null });
    expect(repo.activeBetween('2028-01-01', '2028-01-31')).toEqual([]);
  });

  it('find moved dates through an index', () => {
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT entry_id FROM calendar_exceptions WHERE action = 'move' AND new_date BETWEEN ? AND ?`).all('2028-01-01', '2028-01-31') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' | ')).toContain('calendar_exceptions_moved_to');
  });
});

describe('calendar versions', () => {
  it('a write at an old version changes nothing; one change per version, even if two writers got past the check', () => {
    const { entry } = repo.insert(weekly, 'UA', 1);
    expect(entry).toMatchObject({ version: 1, updatedBy: 'UA' });
    expect(repo.update(entry.id, { ...weekly, title: 'Nueva' }, 2, { actorId: 'UB', expectedVersion: 1 })).toBe(true);
    expect(repo.update(entry.id, { ...weekly, title: 'Tarde' }, 3, { actorId: 'UC', expectedVersion: 1 })).toBe(false);
    expect(repo.softDelete(entry.id, 'UC', 3, 1)).toBe(false);
    expect(repo.get(entry.id)).toMatchObject({ title: 'Nueva', version: 2, updatedBy: 'UB' });
    const ev = { entryId: entry.id, versionFrom: 1, action: 'edit_series' as const, occurrenceDate: null, actorId: 'UB', originKey: 'slack:view:V1', at: 2 };
    repo.appendEvent(ev);
    expect(() => repo.appendEvent({ ...ev, actorId: 'UC', originKey: null })).toThrow(/UNIQUE/);
    expect(repo.eventAtVersion(entry.id, 1)).toEqual(ev);
    expect(repo.eventByOrigin('slack:view:V1')).toEqual(ev);
  });
});
