import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteConsoleMessages } from '../../src/store/console-repo.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';

let db: DB;
let store: SqliteConsoleMessages;
beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db);
  store = new SqliteConsoleMessages(db);
});
afterEach(() => db.close());

describe('the console conversations', () => {
  it('shows each viewer the channel plus what only they may see, oldest first', () => {
    const a = store.add({ conversation: 'review', kind: 'piece', ref: 1, body: {} }, 10);
    const mine = store.add({ conversation: 'review', visibleTo: 'p1', kind: 'view', body: { kind: 'text', lines: [] } }, 20);
    store.add({ conversation: 'review', visibleTo: 'p2', kind: 'view', body: { kind: 'text', lines: [] } }, 30);
    expect(store.conversation('review', 'p1').map((m) => m.id)).toEqual([a, mine]);
    expect(store.latest('p1').get('review')).toBe(mine);
    // Someone else's private answer cannot be dismissed by another person.
    expect(store.remove(mine, 'p2')).toBe(false);
    expect(store.remove(mine, 'p1')).toBe(true);
  });

  it('prunes old delivered messages and private answers, never the cards drawn from current state', () => {
    const card = store.add({ conversation: 'review', kind: 'piece', ref: 1, body: {} }, 10);
    const note = store.add({ conversation: 'review', parentId: card, kind: 'view', body: {} }, 10);
    const page = store.add({ conversation: 'dm:p1', kind: 'inquiry', ref: 3, body: { as: 'page:0:0' } }, 10);
    store.add({ conversation: 'dm:p1', kind: 'view', body: {} }, 10);
    store.add({ conversation: 'dm:p1', kind: 'notice', ref: 1, body: {} }, 10);
    const fresh = store.add({ conversation: 'kpi', kind: 'view', body: {} }, 500);
    expect(store.prune(100, 1000)).toBe(3);
    const left = db.prepare<[], { id: number }>('SELECT id FROM console_messages ORDER BY id').all().map((r) => r.id);
    expect(left).toEqual([card, page, fresh]);
    expect(left).not.toContain(note);
  });
});
