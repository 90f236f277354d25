import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Bot Framework connector (what Teams' serviceUrl answers) on 127.0.0.1: it records the
 * activities the bot sends, answers `{id}` like the real one, refuses conversations it was not told
 * about (404 ConversationNotFound) and bodies that are not an activity (400), and can answer 429 or
 * 5xx on demand.
 */
export interface SentActivity {
  method: string;
  conversationId: string;
  replyToId: string | null;
  activityId: string | null;
  body: Record<string, unknown>;
  at: number;
}

export class FakeConnector {
  readonly sent: SentActivity[] = [];
  readonly conversations = new Set<string>();
  private readonly faults: { status: number; headers?: Record<string, string>; body?: unknown }[] = [];
  private server: Server | null = null;
  private seq = 0;
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

  /** The next call answers this instead (a 429 with Retry-After, a 503…). */
  failNext(status: number, headers: Record<string, string> = {}, body: unknown = { error: { code: 'ServiceError', message: 'fake fault' } }): void {
    this.faults.push({ status, headers, body });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const fault = this.faults.shift();
    if (fault) return send(fault.status, fault.body, fault.headers);
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!m) return send(404, { error: { code: 'NotFound', message: `no route ${req.method} ${req.url}` } });
    const conversationId = decodeURIComponent(m[1]!);
    if (!this.conversations.has(conversationId)) return send(404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return send(400, { error: { code: 'BadArgument', message: 'not JSON' } });
    }
    if (typeof body.type !== 'string') return send(400, { error: { code: 'BadArgument', message: 'activity without type' } });
    const id = m[2] ? decodeURIComponent(m[2]) : null;
    this.sent.push({ method: req.method ?? 'POST', conversationId, replyToId: req.method === 'POST' ? id : null, activityId: req.method === 'PUT' ? id : null, body, at: Date.now() });
    send(200, { id: req.method === 'PUT' && id ? id : `fake-${++this.seq}` });
  }
}
