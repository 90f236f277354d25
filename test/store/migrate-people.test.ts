import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { loadMigrations, migrate } from '../../src/store/migrate.js';

/** A database as the Slack-only version left it (migrations 1–2), with data in every table that named a Slack id. */
function oldDatabase() {
  const db = openDatabase(':memory:');
  migrate(db, loadMigrations().filter((m) => m.version <= 2));
  db.exec(`
    INSERT INTO pieces (id, title, body, kind, networks, stage, author_id, platform, needs_design, created_at, updated_at)
      VALUES (1, 'T', 'B', 'post', '["x"]', 'changes_requested', 'UAUTH', 'slack', 0, 1, 2);
    INSERT INTO piece_events (piece_id, version_from, event, from_stage, to_stage, actor_id, platform, at)
      VALUES (1, 0, 'submit', 'draft', 'content_review', 'UAUTH', 'slack', 1), (1, 1, 'reject', 'content_review', 'changes_requested', 'UAPP', 'slack', 2);
    INSERT INTO piece_messages (channel, ts, piece_id, kind, params, created_at) VALUES ('CREV', '1.1', 1, 'card', '{}', 1), ('DUAUTH', '1.2', 1, 'notice:fix_content', '{"actorId":"UAPP","reason":"x"}', 2);
    INSERT INTO role_grants (user_id, role, granted_by, granted_at) VALUES ('UDES', 'designer', 'UADM', 1);
    INSERT INTO role_events (user_id, role, action, actor_id, at) VALUES ('UDES', 'designer', 'grant', 'UADM', 1);
    INSERT INTO calendar_entries (id, title, kind, start_date, owner_id, recurrence, reminders, created_by, created_at, updated_at)
      VALUES (1, 'Importada', 'other', '2030-01-10', NULL, '{"freq":"none"}', '["day_before"]', 'importación-csv', 1, 1),
             (2, 'Con responsable', 'meeting', '2030-01-11', 'UOWN', '{"freq":"none"}', '["day_before"]', 'UAUTH', 1, 1);
    INSERT INTO digest_subscriptions (user_id, created_at) VALUES ('UAPP', 1);
    INSERT INTO reminders (key, kind, entry_id, occurrence_date, code, due_at, status) VALUES ('entry:2@1:2030-01-11:day_before', 'entry', 2, '2030-01-11', 'day_before', 100, 'pending');
    INSERT INTO reminders (key, kind, occurrence_date, due_at, status, done_at) VALUES ('digest:2026-11-20', 'digest', '2026-11-20', 50, 'sent', 51);
    INSERT INTO outbox (kind, payload, piece_id, next_attempt_at, created_at) VALUES
      ('notify', '{"type":"notify","pieceId":1,"to":"UAUTH","notice":"fix_content","actorId":"UAPP","reason":"x"}', 1, 1, 1),
      ('calendar_reminder', '{"type":"calendar_reminder","to":"CCAL","entryId":2,"occurrenceDate":"2030-01-11","late":false}', NULL, 1, 1),
      ('digest', '{"type":"digest","to":"CDIG","date":"2026-11-20","personal":false,"late":false}', NULL, 1, 1);
  `);
  return db;
}

describe('migrating a Slack-only database to people', () => {
  it('turns every stored Slack id into a person with a Slack identity, the audit trail included, and keeps it append-only', () => {
    const db = oldDatabase();
    migrate(db);
    const person = (slack: string) => (db.prepare(`SELECT person_id FROM person_identities WHERE surface = 'slack' AND external_id = ?`).get(slack) as { person_id: string }).person_id;
    for (const u of ['UAUTH', 'UAPP', 'UDES', 'UADM', 'UOWN']) expect(person(u)).toMatch(/^p\d+$/);
    expect(db.prepare('SELECT author_id FROM pieces').get()).toEqual({ author_id: person('UAUTH') });
    expect(db.prepare('SELECT actor_id FROM piece_events ORDER BY id').all()).toEqual([{ actor_id: person('UAUTH') }, { actor_id: person('UAPP') }]);
    expect(db.prepare('SELECT user_id, granted_by FROM role_grants').get()).toEqual({ user_id: person('UDES'), granted_by: person('UADM') });
    expect(db.prepare('SELECT user_id, actor_id FROM role_events').get()).toEqual({ user_id: person('UDES'), actor_id: person('UADM') });
    expect(db.prepare('SELECT owner_id, created_by FROM calendar_entries ORDER BY id').all()).toEqual([
      { owner_id: null, created_by: 'sys:csv-import' },
      { owner_id: person('UOWN'), created_by: person('UAUTH') },
    ]);
    expect(db.prepare('SELECT user_id FROM digest_subscriptions').get()).toEqual({ user_id: person('UAPP') });
    expect(db.prepare(`SELECT surface, channel, json_extract(params, '$.actorId') AS actor FROM piece_messages ORDER BY ts`).all()).toEqual([
      { surface: 'slack', channel: 'CREV', actor: null },
      { surface: 'slack', channel: 'DUAUTH', actor: person('UAPP') },
    ]);
    // Messages still to send name a person or a place.
    const payloads = (db.prepare('SELECT payload FROM outbox ORDER BY id').all() as { payload: string }[]).map((r) => JSON.parse(r.payload));
    expect(payloads[0]).toMatchObject({ to: { person: person('UAUTH') }, actorId: person('UAPP') });
    expect(payloads[1]).toMatchObject({ to: { place: 'calendar' } });
    expect(payloads[2]).toMatchObject({ to: { place: 'digest' } });
    expect(db.prepare(`SELECT lane FROM outbox`).all()).toEqual([{ lane: 'slack' }, { lane: 'slack' }, { lane: 'slack' }]);
    // Timed rows moved to the jobs table; the digest that was sent stays done (it must not fire again).
    expect(db.prepare(`SELECT kind, key, state, subject FROM jobs ORDER BY id`).all()).toEqual([
      { kind: 'calendar.reminder', key: 'entry:2@1:2030-01-11:day_before', state: 'pending', subject: 'entry:2' },
      { kind: 'digest.daily', key: 'digest:2026-11-20', state: 'done', subject: null },
    ]);
    // The audit trail is append-only again after the one-time translation.
    expect(() => db.prepare('UPDATE piece_events SET actor_id = actor_id').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM role_events').run()).toThrow(/append-only/);
    db.prepare(`INSERT INTO calendar_entry_events (entry_id, version_from, action, actor_id, at) VALUES (2, 1, 'edit_series', ?, 5)`).run(person('UAUTH'));
    expect(() => db.prepare('DELETE FROM calendar_entry_events').run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE calendar_entry_events SET at = 6').run()).toThrow(/append-only/);
  });
});
