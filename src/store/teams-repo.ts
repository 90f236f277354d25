import type { DB } from './db.js';

export type TeamsConversationKind = 'personal' | 'channel' | 'groupChat';

/** The conversation references Teams gave us, to write to a chat or channel later (proactive messages). */
export class SqliteTeamsConversations {
  constructor(private readonly db: DB) {}

  remember(c: { conversationId: string; kind: TeamsConversationKind; personId: string | null; reference: unknown }, now: number): void {
    this.db
      .prepare(
        `INSERT INTO teams_conversations (conversation_id, kind, person_id, reference, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET kind = excluded.kind, person_id = coalesce(excluded.person_id, person_id), reference = excluded.reference, updated_at = excluded.updated_at`,
      )
      .run(c.conversationId, c.kind, c.personId, JSON.stringify(c.reference), now);
  }

  /** The 1:1 chat with a person, most recent first. */
  personal(personId: string): unknown | null {
    const r = this.db.prepare<[string], { reference: string }>(`SELECT reference FROM teams_conversations WHERE person_id = ? AND kind = 'personal' ORDER BY updated_at DESC LIMIT 1`).get(personId);
    return r ? (JSON.parse(r.reference) as unknown) : null;
  }

  byId(conversationId: string): unknown | null {
    const r = this.db.prepare<[string], { reference: string }>('SELECT reference FROM teams_conversations WHERE conversation_id = ?').get(conversationId);
    return r ? (JSON.parse(r.reference) as unknown) : null;
  }
}
