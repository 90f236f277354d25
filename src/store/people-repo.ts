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
      if (hint.name || hint.email) this.q.fill.run(hint.name ?? null, hint.email ?? null, known);
      return known;
    }
    return inTransaction(this.db, () => {
      const again = this.find(surface, externalId);
      if (again) return again;
      const now = Date.now();
      const byEmail = hint.email ? this.q.byEmail.get(hint.email)?.id : undefined;
      const id = byEmail ?? (this.q.insert.get(hint.name ?? null, hint.email ?? null, now) as { id: string }).id;
      this.q.link.run(surface, externalId, id, now);
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

  /** The ids on a surface of the people the bot knows no e-mail for (known before e-mails were asked). */
  withoutEmail(surface: Surface, limit = 200): string[] {
    return this.db
      .prepare<[string, number], { external_id: string }>('SELECT i.external_id FROM person_identities i JOIN people p ON p.id = i.person_id WHERE i.surface = ? AND p.email IS NULL LIMIT ?')
      .all(surface, limit)
      .map((r) => r.external_id);
  }

  /**
   * Gives a person their e-mail (and name, when missing). False when another person already has that
   * e-mail — two records of one human, made before they could be linked; they stay apart.
   */
  setEmail(personId: PersonId, email: string, name: string | null): boolean {
    if (this.q.byEmail.get(email.trim())?.id && this.q.byEmail.get(email.trim())!.id !== personId) return false;
    this.db.prepare('UPDATE people SET email = coalesce(email, ?), name = coalesce(name, ?) WHERE id = ?').run(email.trim(), name, personId);
    return true;
  }

  /** The ids on a surface of the people the bot knows no name for (named in a setting, never seen). */
  unnamed(surface: Surface): string[] {
    return this.db
      .prepare<[string], { external_id: string }>('SELECT i.external_id FROM person_identities i JOIN people p ON p.id = i.person_id WHERE i.surface = ? AND p.name IS NULL LIMIT 500')
      .all(surface)
      .map((r) => r.external_id);
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
