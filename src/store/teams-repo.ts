import type { DB } from './db.js';

export type TeamsConversationKind = 'personal' | 'channel' | 'groupChat';

export interface TeamsUser {
  aadObjectId: string;
  /** the Bot Framework id (29:…) */
  userId: string;
  tenantId: string | null;
  serviceUrl: string | null;
}

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

  /** A 1:1 chat that is gone (the person removed the app): the next message opens a new one. */
  forget(conversationId: string): void {
    this.db.prepare('DELETE FROM teams_conversations WHERE conversation_id = ?').run(conversationId);
  }

  byId(conversationId: string): unknown | null {
    const r = this.db.prepare<[string], { reference: string }>('SELECT reference FROM teams_conversations WHERE conversation_id = ?').get(conversationId);
    return r ? (JSON.parse(r.reference) as unknown) : null;
  }

  rememberUser(u: TeamsUser, now: number): void {
    this.db
      .prepare(
        `INSERT INTO teams_users (aad_object_id, user_id, tenant_id, service_url, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (aad_object_id) DO UPDATE SET user_id = excluded.user_id, tenant_id = coalesce(excluded.tenant_id, tenant_id),
           service_url = coalesce(excluded.service_url, service_url), updated_at = excluded.updated_at`,
      )
      .run(u.aadObjectId.toLowerCase(), u.userId, u.tenantId, u.serviceUrl, now);
  }

  /** The Azure AD object id of a Teams user id (29:…), when Teams has shown them to the bot. */
  aadOf(teamsUserId: string): string | null {
    return this.db.prepare<[string], { aad_object_id: string }>('SELECT aad_object_id FROM teams_users WHERE user_id = ?').get(teamsUserId)?.aad_object_id ?? null;
  }

  user(aadObjectId: string): TeamsUser | null {
    const r = this.db
      .prepare<[string], { aad_object_id: string; user_id: string; tenant_id: string | null; service_url: string | null }>('SELECT * FROM teams_users WHERE aad_object_id = ?')
      .get(aadObjectId.toLowerCase());
    return r ? { aadObjectId: r.aad_object_id, userId: r.user_id, tenantId: r.tenant_id, serviceUrl: r.service_url } : null;
  }

  /** The tenant and service address Teams last wrote from: where a new conversation is opened. */
  latest(): { tenantId: string | null; serviceUrl: string | null; botId: string | null } {
    const r = this.db.prepare<[], { reference: string }>('SELECT reference FROM teams_conversations ORDER BY updated_at DESC LIMIT 1').get();
    if (!r) return { tenantId: null, serviceUrl: null, botId: null };
    const ref = JSON.parse(r.reference) as { conversation?: { tenantId?: string }; serviceUrl?: string; bot?: { id?: string } };
    return { tenantId: ref.conversation?.tenantId ?? null, serviceUrl: ref.serviceUrl ?? null, botId: ref.bot?.id ?? null };
  }
}
