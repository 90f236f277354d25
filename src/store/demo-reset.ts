import type { DB } from './db.js';

/**
 * Tables a reset keeps: people and how each surface knows them (Teams' conversation references and
 * users are how the bot reaches someone, like an identity), what the core computed from its settings
 * (the legal calendar's key, the same a fresh start would write), and the console's own state (the
 * demo clock: the console decides whether a reset also puts it back). Everything else is the
 * office's work and is emptied — including tables added later, unless named here.
 */
export const KEPT_ON_RESET: ReadonlySet<string> = new Set(['people', 'person_identities', 'teams_users', 'teams_conversations', 'inquiry_settings', 'console_state']);

const quoteId = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Empties every table except those kept, in the caller's transaction. The audit tables are
 * append-only (a trigger refuses every delete): their guards are lifted for this and put back as
 * they were, in the same transaction, so the schema is what it was. Foreign keys are checked at commit.
 */
export function emptyOfficeTables(db: DB): void {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'")
    .all()
    .map((r) => r.name)
    .filter((t) => !KEPT_ON_RESET.has(t));
  const emptied = new Set(tables);
  const guards = db
    .prepare<[], { name: string; tbl_name: string; sql: string }>("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
    .all()
    .filter((t) => emptied.has(t.tbl_name) && /\bBEFORE\s+DELETE\b/i.test(t.sql));
  db.pragma('defer_foreign_keys = ON');
  for (const g of guards) db.exec(`DROP TRIGGER ${quoteId(g.name)}`);
  for (const t of tables) db.exec(`DELETE FROM ${quoteId(t)}`);
  for (const g of guards) db.exec(g.sql);
  const sequence = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get();
  if (sequence) {
    const del = db.prepare('DELETE FROM sqlite_sequence WHERE name = ?');
    for (const t of tables) del.run(t);
  }
}
