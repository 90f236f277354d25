import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cardProblems } from './adaptive-cards.js';

/**
 * A fake Bot Framework connector (what Teams' serviceUrl answers) on 127.0.0.1, as strict as the real
 * one where it matters:
 * - POST /v3/conversations/{id}/activities[/{replyTo}] — a message (404 ConversationNotFound for a
 *   conversation it was not told about; a thread «{channel};messageid={root}» of a known channel is known);
 * - PUT /v3/conversations/{id}/activities/{activityId} — an update of a message it holds (404 otherwise);
 * - POST /v3/conversations — a new 1:1 chat with a member it knows (400 otherwise);
 * - GET /v3/conversations/{id}/members/{userId} — a member (404 when unknown).
 * Every Adaptive Card is parsed with Microsoft's library at 1.5 (400 BadArgument with the problems), a
 * body over 100 KB is 413 MessageSizeTooBig, and 429 / 5xx / 403 come on demand.
 */
export interface SentActivity {
  method: string;
  conversationId: string;
  replyToId: string | null;
  activityId: string | null;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeMember {
  id: string;
  aadObjectId: string;
  name: string;
  email?: string;
}

type Fault = { status: number; headers?: Record<string, string>; body?: unknown; path?: RegExp };

export class FakeConnector {
  /** messages posted and updated, in order */
  readonly sent: SentActivity[] = [];
  /** conversations created (new 1:1 chats): the parameters the bot sent */
  readonly created: Record<string, unknown>[] = [];
  /** requests refused (a card Teams could not parse, an unknown conversation…) */
  readonly refused: { path: string; status: number; why: string }[] = [];
  readonly conversations = new Set<string>();
  readonly members = new Map<string, FakeMember>();
  /** the messages each conversation holds now (after updates) */
  readonly messages = new Map<string, Record<string, unknown>>();
  private readonly faults: Fault[] = [];
  private server: Server | null = null;
  private seq = 0;
  /** ms every request waits before it is answered */
  delayMs = 0;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => {
      this.server?.closeAllConnections();
      this.server?.close(() => r());
    });
  }

  get serviceUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  knowConversations(...ids: string[]): this {
    for (const id of ids) this.conversations.add(id);
    return this;
  }

  addMember(m: FakeMember): this {
    this.members.set(m.id, m);
    return this;
  }

  /** The next call (or the next one whose path matches) answers this instead: a 429 with Retry-After, a 503… */
  failNext(status: number, headers: Record<string, string> = {}, body: unknown = { error: { code: 'ServiceError', message: 'fake fault' } }, path?: RegExp): void {
    this.faults.push({ status, headers, body, path });
  }

  /** Messages posted to a conversation (not updates), in order. */
  postedTo(conversationId: string): SentActivity[] {
    return this.sent.filter((s) => s.method === 'POST' && s.conversationId === conversationId);
  }

  /** The current content of a message's first Adaptive Card. */
  cardOf(conversationId: string, activityId: string): Record<string, unknown> | null {
    const a = this.messages.get(`${conversationId}|${activityId}`);
    return ((a?.attachments as { content: Record<string, unknown> }[] | undefined)?.[0]?.content ?? null) as Record<string, unknown> | null;
  }

  private known(id: string): boolean {
    return this.conversations.has(id) || this.conversations.has(id.split(';')[0]!);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const raw = Buffer.concat(chunks);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (status >= 400) this.refused.push({ path, status, why: JSON.stringify(body).slice(0, 500) });
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const fi = this.faults.findIndex((f) => !f.path || f.path.test(path));
    if (fi >= 0) {
      const [fault] = this.faults.splice(fi, 1);
      return send(fault!.status, fault!.body, fault!.headers);
    }
    const error = (status: number, code: string, message: string) => send(status, { error: { code, message } });
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path);
    if (member && req.method === 'GET') {
      const wanted = decodeURIComponent(member[2]!);
      const m = this.members.get(wanted) ?? [...this.members.values()].find((x) => x.aadObjectId === wanted);
      if (!this.known(decodeURIComponent(member[1]!)) || !m) return error(404, 'MemberNotFoundInConversation', 'The user is not part of the conversation.');
      return send(200, { id: m.id, name: m.name, aadObjectId: m.aadObjectId, email: m.email, userPrincipalName: m.email, tenantId: 'tenant-1', userRole: 'user' });
    }
    const paged = /^\/v3\/conversations\/([^/]+)\/pagedmembers$/.exec(path);
    if (paged && req.method === 'GET') {
      if (!this.known(decodeURIComponent(paged[1]!))) return error(404, 'ConversationNotFound', 'Conversation not found.');
      // Two members a page, so paging is exercised.
      const all = [...this.members.values()];
      const from = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('continuationToken') ?? 0);
      const members = all.slice(from, from + 2).map((m) => ({ id: m.id, name: m.name, aadObjectId: m.aadObjectId, email: m.email, userPrincipalName: m.email }));
      return send(200, { members, ...(from + 2 < all.length ? { continuationToken: String(from + 2) } : {}) });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return error(400, 'BadArgument', 'not JSON');
    }
    if (raw.length > 100_000) return error(413, 'MessageSizeTooBig', 'Message size too big');
    if (path === '/v3/conversations' && req.method === 'POST') {
      const members = body.members as { id?: string }[] | undefined;
      const bot = body.bot as { id?: string } | undefined;
      if (!bot?.id || !Array.isArray(members) || members.length !== 1 || body.isGroup) return error(400, 'BadArgument', 'a 1:1 chat needs the bot and one member');
      const m = [...this.members.values()].find((x) => x.id === members[0]!.id || x.aadObjectId === members[0]!.id);
      if (!m) return error(403, 'Forbidden', 'the bot is not installed for this user');
      this.created.push(body);
      const id = `a:chat-${m.aadObjectId}`;
      this.conversations.add(id);
      return send(201, { id });
    }
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (!m) return error(404, 'NotFound', `no route ${req.method} ${req.url}`);
    const conversationId = decodeURIComponent(m[1]!);
    if (!this.known(conversationId)) return error(404, 'ConversationNotFound', 'Conversation not found.');
    if (typeof body.type !== 'string') return error(400, 'BadArgument', 'activity without type');
    for (const a of (body.attachments as { contentType?: string; content?: Record<string, unknown> }[] | undefined) ?? []) {
      if (a.contentType !== 'application/vnd.microsoft.card.adaptive') continue;
      const problems = cardProblems(a.content ?? {});
      if (problems.length) return error(400, 'BadArgument', `card: ${problems.join('; ')}`);
    }
    const id = m[2] ? decodeURIComponent(m[2]) : null;
    if (req.method === 'PUT') {
      if (!id || !this.messages.has(`${conversationId}|${id}`)) return error(404, 'ActivityNotFound', 'no such activity');
      this.messages.set(`${conversationId}|${id}`, body);
      this.sent.push({ method: 'PUT', conversationId, replyToId: null, activityId: id, body, at: Date.now() });
      return send(200, { id });
    }
    const newId = `fake-${++this.seq}`;
    this.messages.set(`${conversationId}|${newId}`, body);
    this.sent.push({ method: req.method ?? 'POST', conversationId, replyToId: id, activityId: newId, body, at: Date.now() });
    send(200, { id: newId });
  }
}
