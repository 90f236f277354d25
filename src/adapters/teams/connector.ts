import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Json } from './render/adaptive-card.js';

/**
 * Every connector call gives up after this — well inside the outbox's 60-s lease. Teams is sometimes
 * slow to answer a call it does process; a shorter limit would retry (and so repeat) those.
 */
export const TEAMS_TIMEOUT_MS = 25_000;

export interface OutgoingActivity {
  type: 'message';
  attachments?: { contentType: string; content: Json }[];
  text?: string;
  summary?: string;
}

const stripped = new WeakSet<object>();

/**
 * The connector client retries a 429 (sleeping its Retry-After inside the call) and 5xx on its own.
 * The outbox owns retries — it honours Retry-After for the whole lane without spending an attempt,
 * survives restarts, and keeps every call shorter than its lease — so the client's retry phase goes.
 */
export function withoutOwnRetries(client: ConnectorClient | undefined): void {
  if (!client) return;
  const inner = (client as unknown as { client?: { pipeline?: { removePolicy(o: { phase: 'Retry' }): unknown } } }).client;
  if (!inner?.pipeline || stripped.has(inner)) return;
  inner.pipeline.removePolicy({ phase: 'Retry' });
  stripped.add(inner);
}

/**
 * The Bot Framework connector, for messages nobody asked for right now (proactive): a new message in
 * a channel or chat, an update of one already sent, a new 1:1 chat. It borrows botbuilder's own
 * connector client (credentials, token cache, the audience) through a continuation of the
 * conversation, and calls the REST operations directly: a proactive `sendActivity` would be a reply
 * to a made-up activity id, where a channel message must start its own thread.
 */
export class TeamsConnector {
  constructor(
    private readonly adapter: CloudAdapter,
    /** '' in the local testing mode */
    private readonly appId: string,
    private readonly timeoutMs = TEAMS_TIMEOUT_MS,
  ) {}

  private async with<T>(serviceUrl: string, conversationId: string, fn: (client: ConnectorClient) => Promise<T>): Promise<T> {
    let out: { value: T } | { error: unknown } | null = null;
    const reference: Partial<ConversationReference> = { serviceUrl, channelId: 'msteams', conversation: { id: conversationId, isGroup: false, conversationType: '', name: '' } };
    await this.adapter.continueConversationAsync(this.appId, reference, async (ctx: TurnContext) => {
      const client = ctx.turnState.get<ConnectorClient>(ctx.adapter.ConnectorClientKey);
      withoutOwnRetries(client);
      // Caught here: an error thrown out of a continuation goes to the adapter's onTurnError, not to us.
      try {
        out = { value: await fn(client) };
      } catch (e) {
        out = { error: e };
      }
    });
    const r = out as { value: T } | { error: unknown } | null;
    if (!r) throw new Error('the connector did not run');
    if ('error' in r) throw r.error;
    return r.value;
  }

  /** A new message (a new thread in a channel); its activity id. */
  async post(serviceUrl: string, conversationId: string, activity: OutgoingActivity): Promise<string> {
    const res = await this.with(serviceUrl, conversationId, (c) => c.conversations.sendToConversation(conversationId, activity, { timeout: this.timeoutMs }));
    if (!res.id) throw Object.assign(new Error('the connector gave no activity id'), { statusCode: 502 });
    return res.id;
  }

  /** A reply to a message (in its thread, in a channel). */
  async reply(serviceUrl: string, conversationId: string, replyToId: string, activity: OutgoingActivity): Promise<string> {
    const res = await this.with(serviceUrl, conversationId, (c) => c.conversations.replyToActivity(conversationId, replyToId, { ...activity, replyToId }, { timeout: this.timeoutMs }));
    return res.id ?? '';
  }

  async update(serviceUrl: string, conversationId: string, activityId: string, activity: OutgoingActivity): Promise<void> {
    await this.with(serviceUrl, conversationId, (c) => c.conversations.updateActivity(conversationId, activityId, { ...activity, id: activityId }, { timeout: this.timeoutMs }));
  }

  /** A member of a conversation (a channel's team): their name, e-mail and Teams user id; null when Teams does not know them there. */
  async member(serviceUrl: string, conversationId: string, memberId: string): Promise<{ id: string; name: string | null; email: string | null } | null> {
    try {
      const m = (await this.with(serviceUrl, conversationId, (c) => c.conversations.getConversationMember(conversationId, memberId, { timeout: this.timeoutMs }))) as unknown as {
        id?: string;
        name?: string;
        email?: string;
        userPrincipalName?: string;
      };
      return m?.id ? { id: m.id, name: m.name ?? null, email: m.email ?? m.userPrincipalName ?? null } : null;
    } catch {
      return null;
    }
  }

  /**
   * The members of a conversation (for a channel: its team), page by page, up to `max`: their Teams
   * id, Azure AD object id, name and e-mail.
   */
  async roster(serviceUrl: string, conversationId: string, max = 5000): Promise<{ id: string; aadObjectId: string; name: string | null; email: string | null }[]> {
    const out: { id: string; aadObjectId: string; name: string | null; email: string | null }[] = [];
    let token: string | undefined;
    do {
      const page = (await this.with(serviceUrl, conversationId, (c) =>
        c.conversations.getConversationPagedMembers(conversationId, { pageSize: 500, ...(token ? { continuationToken: token } : {}), timeout: this.timeoutMs } as never),
      )) as unknown as { members?: { id?: string; aadObjectId?: string; name?: string; email?: string; userPrincipalName?: string }[]; continuationToken?: string };
      for (const m of page.members ?? []) {
        if (!m.id || !m.aadObjectId) continue;
        const upn = m.userPrincipalName && !m.userPrincipalName.includes('#EXT#') ? m.userPrincipalName : null;
        out.push({ id: m.id, aadObjectId: m.aadObjectId.toLowerCase(), name: m.name ?? null, email: m.email ?? upn ?? null });
      }
      token = page.continuationToken || undefined;
    } while (token && out.length < max);
    return out;
  }

  /** Opens (or finds: Teams answers the same id) the 1:1 chat between the bot and a user; its conversation id. */
  async openPersonal(serviceUrl: string, p: { userId: string; tenantId: string | null; botId: string }): Promise<string> {
    const res = await this.with(serviceUrl, 'new', (c) =>
      c.conversations.createConversation(
        {
          isGroup: false,
          bot: { id: p.botId, name: '' },
          members: [{ id: p.userId, name: '' }],
          ...(p.tenantId ? { tenantId: p.tenantId } : {}),
          channelData: p.tenantId ? { tenant: { id: p.tenantId } } : {},
        },
        { timeout: this.timeoutMs },
      ),
    );
    if (!res.id) throw Object.assign(new Error('the connector gave no conversation id'), { statusCode: 502 });
    return res.id;
  }
}
