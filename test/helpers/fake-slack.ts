import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  authorization: string | undefined;
  at: number;
}

interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Record<string, unknown>[];
  thread_ts?: string;
}

const JSON_FIELDS = new Set(['blocks', 'view', 'attachments']);

/**
 * A fake Slack Web API on loopback. It speaks the wire format @slack/web-api uses (form-encoded
 * POSTs, JSON-encoded blocks), records every call, keeps the messages it was asked to post and
 * update, and can be told to fail the next calls of a method (429 with Retry-After, 500, ok:false).
 */
export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: { id: string; body: Record<string, unknown> }[] = [];
  readonly messages = new Map<string, StoredMessage>();
  readonly unknownChannels = new Set<string>();
  /** When set, response_url posts answer 404 (an expired or used-up response_url). */
  expiredResponseUrls = false;
  private readonly script = new Map<string, Scripted[]>();
  private server: Server | null = null;
  private seq = 0;
  port = 0;

  /** `port` 0 picks a free one; a given port brings Slack «back» where the bot already points. */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /** The next `times` calls of `method` answer with this instead of succeeding. */
  failNext(method: string, times: number, answer: Scripted): void {
    const q = this.script.get(method) ?? [];
    for (let i = 0; i < times; i++) q.push(answer);
    this.script.set(method, q);
  }

  clearFailures(): void {
    this.script.clear();
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages in a channel, oldest first (threads included). */
  inChannel(channel: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel);
  }

  /** Direct messages the bot sent to a user. */
  dmsTo(user: string): StoredMessage[] {
    return this.inChannel(`D${user}`);
  }

  responsesTo(prefix: string): Record<string, unknown>[] {
    return this.responses.filter((r) => r.id.startsWith(prefix)).map((r) => r.body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '';
    if (url.startsWith('/response/')) {
      if (this.expiredResponseUrls) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('expired_url');
        return;
      }
      this.responses.push({ id: url.slice('/response/'.length), body: JSON.parse(raw || '{}') });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    const method = url.replace(/^\/api\//, '').split('?')[0]!;
    const args: Record<string, unknown> = {};
    const type = req.headers['content-type'] ?? '';
    if (type.includes('application/json')) Object.assign(args, JSON.parse(raw || '{}'));
    else
      for (const [k, v] of new URLSearchParams(raw)) {
        args[k] = JSON_FIELDS.has(k) ? JSON.parse(v) : v;
      }
    this.calls.push({ method, args, authorization: req.headers.authorization, at: Date.now() });
    const scripted = this.script.get(method)?.shift();
    if (scripted) {
      res.writeHead(scripted.status, { 'Content-Type': 'application/json', ...scripted.headers });
      res.end(JSON.stringify(scripted.body));
      return;
    }
    const reply = (body: Record<string, unknown>) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    reply(this.answer(method, args));
  }

  private answer(method: string, a: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001', team: 'Oficina', url: 'https://oficina.slack.com/' };
      case 'chat.postMessage': {
        let channel = String(a.channel ?? '');
        if (this.unknownChannels.has(channel)) return { ok: false, error: 'channel_not_found' };
        if (/^[UW]/.test(channel)) channel = `D${channel}`; // a user id posts into the app's DM with that person
        const ts = `1700000000.${String(++this.seq).padStart(6, '0')}`;
        const msg: StoredMessage = { channel, ts, text: String(a.text ?? ''), blocks: (a.blocks as never) ?? [] };
        if (a.thread_ts) msg.thread_ts = String(a.thread_ts);
        this.messages.set(`${channel}:${ts}`, msg);
        return { ok: true, channel, ts, message: { ts, text: msg.text } };
      }
      case 'chat.update': {
        const key = `${a.channel}:${a.ts}`;
        const msg = this.messages.get(key);
        if (!msg) return { ok: false, error: 'message_not_found' };
        msg.text = String(a.text ?? '');
        msg.blocks = (a.blocks as never) ?? [];
        return { ok: true, channel: a.channel, ts: a.ts, text: msg.text };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1700000000.${String(++this.seq).padStart(6, '0')}` };
      case 'views.open':
        return { ok: true, view: { id: `V${++this.seq}`, hash: 'h', ...(a.view as object) } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
