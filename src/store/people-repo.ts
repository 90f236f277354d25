import { SURFACES } from '../domain/people/types.js';
import type { PeoplePort, Person, PersonId, Surface } from '../domain/people/types.js';
import { inTransaction, type DB } from './db.js';

/** People and their identities per surface; e-mail links a new identity to a known person. */
export class SqlitePeopleRepository implements PeoplePort {
  private readonly q;

  constructor(private readonly db: DB) {
    this.q = {
      find: db.prepare<[string, string], { person_id: string }>('SELECT person_id FROM person_identities WHERE surface = ? AND external_id = ?'),
      identity: db.prepare<[string, string], { external_id: string }>('SELECT external_id FROM person_identities WHERE person_id = ? AND surface = ? LIMIT 1'),
      get: db.prepare<[string], { id: string; name: string | null; email: string | null }>('SELECT id, name, email FROM people WHERE id = ?'),
      byEmail: db.prepare<[string], { id: string }>('SELECT id FROM people WHERE email = ?'),
      insert: db.prepare(`INSERT INTO people (id, name, email, created_at) VALUES ('p' || (SELECT coalesce(max(seq), 0) + 1 FROM people), ?, ?, ?) RETURNING id`),
      link: db.prepare('INSERT INTO person_identities (surface, external_id, person_id, created_at) VALUES (?, ?, ?, ?)'),
      fill: db.prepare('UPDATE people SET name = coalesce(?, name), email = coalesce(email, ?) WHERE id = ?'),
      seen: db.prepare('UPDATE person_identities SET last_seen_at = ? WHERE surface = ? AND external_id = ? AND (last_seen_at IS NULL OR last_seen_at < ?)'),
      identities: db.prepare<[string], { surface: string; external_id: string; last_seen_at: number | null }>(
        'SELECT surface, external_id, last_seen_at FROM person_identities WHERE person_id = ? ORDER BY coalesce(last_seen_at, 0) DESC, created_at ASC',
      ),
      insertByEmail: db.prepare(`INSERT INTO people (id, name, email, created_at) VALUES ('p' || (SELECT coalesce(max(seq), 0) + 1 FROM people), NULL, ?, ?) RETURNING id`),
    };
  }

  ensure(surface: Surface, externalId: string, hint: { name?: string | null; email?: string | null } = {}): PersonId {
    const known = this.find(surface, externalId);
    if (known) {
      const email = hint.email?.trim() || null;
      if (hint.name) this.q.fill.run(hint.name, null, known);
      return email ? this.link(known, email) : known;
    }
    return inTransaction(this.db, () => {
      const again = this.find(surface, externalId);
      if (again) return again;
      const now = Date.now();
      const byEmail = hint.email ? this.q.byEmail.get(hint.email.trim())?.id : undefined;
      const id = byEmail ?? (this.q.insert.get(hint.name ?? null, hint.email?.trim() || null, now) as { id: string }).id;
      this.q.link.run(surface, externalId, id, now);
      if (byEmail) {
        if (hint.name) this.q.fill.run(hint.name, null, id);
        this.generation++;
      }
      return id;
    });
  }

  /**
   * The person with this e-mail (a role named by e-mail in a setting), created without any identity
   * until they first write from a surface that tells us their address.
   */
  ensureByEmail(email: string): PersonId {
    const e = email.trim();
    return inTransaction(this.db, () => this.q.byEmail.get(e)?.id ?? (this.q.insertByEmail.get(e, Date.now()) as { id: string }).id);
  }

  /** Bumped whenever people are linked: whatever resolved a setting to a person resolves it again. */
  generation = 0;

  /**
   * Gives a person an e-mail. When another person already has it, the two are one human: the one
   * with no history of its own (a placeholder from a setting, a Teams id named in a setting that
   * never acted) is absorbed by the other. Returns the person who has the e-mail now — or, when both
   * have a history (they acted on two surfaces before either gave the e-mail), `personId` unchanged:
   * they stay two, and `conflicts` says so.
   */
  link(personId: PersonId, email: string): PersonId {
    const e = email.trim();
    const other = this.q.byEmail.get(e)?.id;
    if (!other) {
      this.q.fill.run(null, e, personId);
      return personId;
    }
    if (other === personId) return personId;
    // A placeholder (named in a setting, never seen anywhere) gives way first; then whichever of the
    // two has no history of its own.
    if (!this.hasIdentities(other) && this.absorb(other, personId)) return personId;
    if (this.absorb(personId, other)) return other;
    if (this.absorb(other, personId)) return personId;
    this.conflicts.push({ a: personId, b: other, email: e });
    return personId;
  }

  /** E-mails shared by two people who both have a history (see link), for the start log. */
  readonly conflicts: { a: PersonId; b: PersonId; email: string }[] = [];

  /** Whether a person is known on any surface (not only by an e-mail in a setting or a command). */
  hasIdentities(id: PersonId): boolean {
    return Boolean(this.db.prepare('SELECT 1 FROM person_identities WHERE person_id = ? LIMIT 1').get(id));
  }

  /** True when a person has acted or authored anything recorded (the audit trail cannot be rewritten). */
  private hasHistory(id: PersonId): boolean {
    return Boolean(
      this.db
        .prepare(
          `SELECT 1 WHERE EXISTS (SELECT 1 FROM pieces WHERE author_id = @id) OR EXISTS (SELECT 1 FROM piece_events WHERE actor_id = @id)
             OR EXISTS (SELECT 1 FROM role_events WHERE actor_id = @id) OR EXISTS (SELECT 1 FROM calendar_entries WHERE created_by = @id)
             OR EXISTS (SELECT 1 FROM calendar_entry_events WHERE actor_id = @id) OR EXISTS (SELECT 1 FROM kpi_campaign_events WHERE actor_id = @id)
             OR EXISTS (SELECT 1 FROM kpi_observations WHERE recorded_by = @id) OR EXISTS (SELECT 1 FROM inquiries WHERE created_by = @id)
             OR EXISTS (SELECT 1 FROM inquiry_events WHERE actor_id = @id) OR EXISTS (SELECT 1 FROM oncall_rotations WHERE set_by = @id)
             OR EXISTS (SELECT 1 FROM oncall_overrides WHERE created_by = @id)`,
        )
        .get({ id }),
    );
  }

  /**
   * One record of a human into another: identities, chats, granted roles, subscriptions, calendar
   * ownership, on-call place and e-mail move to `into`; `from` keeps a pointer. Only a person with no
   * history may be absorbed. False when `from` has one.
   */
  absorb(from: PersonId, into: PersonId): boolean {
    if (from === into || this.hasHistory(from)) return false;
    inTransaction(this.db, () => {
      const email = this.get(from)?.email ?? null;
      const run = (sql: string) => this.db.prepare(sql).run({ from, into });
      run('UPDATE person_identities SET person_id = :into WHERE person_id = :from');
      run('UPDATE teams_conversations SET person_id = :into WHERE person_id = :from');
      run('INSERT OR IGNORE INTO role_grants (user_id, role, granted_by, granted_at) SELECT :into, role, granted_by, granted_at FROM role_grants WHERE user_id = :from');
      run('DELETE FROM role_grants WHERE user_id = :from');
      run('INSERT OR IGNORE INTO digest_subscriptions (user_id, created_at) SELECT :into, created_at FROM digest_subscriptions WHERE user_id = :from');
      run('DELETE FROM digest_subscriptions WHERE user_id = :from');
      run('UPDATE calendar_entries SET owner_id = :into WHERE owner_id = :from');
      run('UPDATE inquiries SET assignee_id = :into WHERE assignee_id = :from');
      const covers = this.db.prepare('UPDATE oncall_overrides SET person_id = :into WHERE person_id = :from').run({ from, into }).changes;
      // The rotation is append-only: a new row, the same in every other way (it also tells the
      // on-call schedule to read itself again).
      const rot = this.db.prepare<[], { people: string; anchor: string; source: string }>('SELECT people, anchor, source FROM oncall_rotations ORDER BY id DESC LIMIT 1').get();
      const ids = rot ? (JSON.parse(rot.people) as string[]) : [];
      if (rot && (ids.includes(from) || covers)) {
        const people = [...new Set(ids.map((p) => (p === from ? into : p)))];
        this.db.prepare('INSERT INTO oncall_rotations (people, anchor, source, set_by, set_at) VALUES (?, ?, ?, ?, ?)').run(JSON.stringify(people), rot.anchor, rot.source, 'sys:people-link', Date.now());
      }
      this.db.prepare('UPDATE people SET email = NULL, name = coalesce(name, ?), merged_into = ? WHERE id = ?').run(email, into, from);
      if (email) this.db.prepare('UPDATE people SET email = coalesce(email, ?) WHERE id = ?').run(email, into);
    });
    this.generation++;
    return true;
  }

  /** The ids on a surface of the people the bot knows no e-mail for (known before e-mails were asked). */
  withoutEmail(surface: Surface, limit = 200): string[] {
    return this.db
      .prepare<[string, number], { external_id: string }>('SELECT i.external_id FROM person_identities i JOIN people p ON p.id = i.person_id WHERE i.surface = ? AND p.email IS NULL LIMIT ?')
      .all(surface, limit)
      .map((r) => r.external_id);
  }

  /** Gives a person their e-mail (and name, when missing): see link. The person who has it now. */
  setEmail(personId: PersonId, email: string, name: string | null): PersonId {
    if (name) this.q.fill.run(name, null, personId);
    return this.link(personId, email);
  }

  /** People known only by an e-mail (named in a setting or a command, never seen on any surface). */
  placeholders(limit = 500): { id: PersonId; email: string }[] {
    return this.db
      .prepare<[number], { id: string; email: string }>(
        'SELECT p.id, p.email FROM people p WHERE p.email IS NOT NULL AND p.merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM person_identities i WHERE i.person_id = p.id) LIMIT ?',
      )
      .all(limit);
  }

  /** The ids on a surface of the people the bot knows no name for (named in a setting, never seen). */
  unnamed(surface: Surface): string[] {
    return this.db
      .prepare<[string], { external_id: string }>('SELECT i.external_id FROM person_identities i JOIN people p ON p.id = i.person_id WHERE i.surface = ? AND p.name IS NULL LIMIT 500')
      .all(surface)
      .map((r) => r.external_id);
  }

  /** People who have used a surface (or been met on one), at most `limit`. */
  withIdentities(limit = 500): PersonId[] {
    return this.db
      .prepare<[number], { person_id: string }>('SELECT DISTINCT person_id FROM person_identities LIMIT ?')
      .all(limit)
      .map((r) => r.person_id);
  }

  /** The person with this e-mail, if the bot knows one. */
  byEmail(email: string): PersonId | null {
    return this.q.byEmail.get(email.trim())?.id ?? null;
  }

  /** A person used a surface now (a command, a click): their direct messages follow them there. */
  seen(surface: Surface, externalId: string, now: number): void {
    this.q.seen.run(now, surface, externalId, now);
  }

  /**
   * Where to write to a person: among the surfaces given (those that are on), the one they used
   * last; one they never used if that is all they have; null when they have no identity on any.
   */
  preferredSurface(personId: PersonId, among: readonly Surface[]): Surface | null {
    for (const r of this.q.identities.all(personId)) if ((among as readonly string[]).includes(r.surface)) return r.surface as Surface;
    return null;
  }

  find(surface: Surface, externalId: string): PersonId | null {
    return this.q.find.get(surface, externalId)?.person_id ?? null;
  }

  identity(personId: PersonId, surface: Surface): string | null {
    return this.q.identity.get(personId, surface)?.external_id ?? null;
  }

  get(personId: PersonId): Person | null {
    return this.q.get.get(personId) ?? null;
  }

  /**
   * What to call a person where no mention renders (a calendar feed, a CSV): the name, else the
   * e-mail, else their id on a surface (U0123 in Slack), else our own id.
   */
  label(personId: PersonId): string {
    const p = this.get(personId);
    if (p?.name) return p.name;
    if (p?.email) return p.email;
    for (const s of SURFACES) {
      const id = this.identity(personId, s);
      if (id) return id;
    }
    return personId;
  }
}
