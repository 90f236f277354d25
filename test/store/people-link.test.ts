import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { SqlitePeopleRepository } from '../../src/store/people-repo.js';

let db: DB;
let people: SqlitePeopleRepository;
beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db);
  people = new SqlitePeopleRepository(db);
});

const authorPiece = (author: string) =>
  db
    .prepare(`INSERT INTO pieces (title, body, kind, networks, needs_design, author_id, platform, stage, version, created_at, updated_at) VALUES ('t', 'b', 'post', '[]', 0, ?, 'slack', 'content_review', 1, 0, 0)`)
    .run(author);

describe('one human, one person', () => {
  it('a placeholder named by e-mail gives way to the person who turns out to have it, with its granted roles and its on-call place', () => {
    const placeholder = people.ensureByEmail('ana@oficina.gob.mx');
    db.prepare(`INSERT INTO role_grants (user_id, role, granted_by, granted_at) VALUES (?, 'approver', 'p99', 0)`).run(placeholder);
    db.prepare(`INSERT INTO oncall_rotations (people, anchor, source, set_by, set_at) VALUES (?, '2026-11-30', 'chat', 'p99', 0)`).run(JSON.stringify(['p50', placeholder]));
    const ana = people.ensure('slack', 'U0ANA', { name: 'Ana' });
    expect(people.setEmail(ana, 'ana@oficina.gob.mx', null)).toBe(ana);
    expect(people.get(ana)?.email).toBe('ana@oficina.gob.mx');
    expect(db.prepare('SELECT user_id FROM role_grants').all()).toEqual([{ user_id: ana }]);
    const rotation = db.prepare('SELECT people, set_by FROM oncall_rotations ORDER BY id DESC LIMIT 1').get() as { people: string; set_by: string };
    expect(JSON.parse(rotation.people)).toEqual(['p50', ana]);
    expect(db.prepare('SELECT email, merged_into FROM people WHERE id = ?').get(placeholder)).toEqual({ email: null, merged_into: ana });
  });

  it('a Teams id that never acted joins the Slack person with the same e-mail', () => {
    const slack = people.ensure('slack', 'U0BETO', { email: 'beto@oficina.gob.mx' });
    authorPiece(slack);
    const teams = people.ensure('teams', '22222222-2222-4222-8222-222222222222');
    expect(people.ensure('teams', '22222222-2222-4222-8222-222222222222', { name: 'Beto', email: 'beto@oficina.gob.mx' })).toBe(slack);
    expect(people.find('teams', '22222222-2222-4222-8222-222222222222')).toBe(slack);
    expect(people.get(teams)?.email).toBeNull();
  });

  it('two people who both acted stay two (the audit trail is never rewritten), and the conflict is told', () => {
    const slack = people.ensure('slack', 'U0CARLA', { email: 'carla@oficina.gob.mx' });
    const teams = people.ensure('teams', '33333333-3333-4333-8333-333333333333');
    authorPiece(slack);
    authorPiece(teams);
    expect(people.ensure('teams', '33333333-3333-4333-8333-333333333333', { email: 'carla@oficina.gob.mx' })).toBe(teams);
    expect(people.find('slack', 'U0CARLA')).toBe(slack);
    expect(people.conflicts).toEqual([{ a: teams, b: slack, email: 'carla@oficina.gob.mx' }]);
  });
});
