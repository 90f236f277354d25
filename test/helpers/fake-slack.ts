import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SLACK_LIMITS, checkMessageBlocks, checkModal } from './block-kit-rules.js';
import { FakeSlackFiles, type FakeFile } from './fake-slack-files.js';

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

/** What the fake does with one request instead of answering it normally. */
type Fault =
  | { kind: 'answer'; answer: Scripted }
  | { kind: 'hold'; arrive: (c: ApiCall) => void; bind: (release: () => void) => void }
  | { kind: 'reset' }
  | { kind: 'slow'; ms: number };

/** A request the fake keeps open: released (answered normally) when the test says, or never. */
export interface Hold {
  /** Resolves when the held request has arrived. */
  arrived: Promise<ApiCall>;
  /** Answers the held request now, as the fake would have. */
  release(): void;
}

/** A payload the fake refused as Slack would (invalid_blocks, msg_too_long, no_text…). */
export interface Rejection {
  method: string;
  error: string;
  messages: string[];
}

export interface Ephemeral {
  channel: string;
  user: string;
  text: string;
  blocks: Record<string, unknown>[];
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
 * A fake Slack Web API on loopback, as strict as Slack. It speaks the wire format @slack/web-api
 * uses (form-encoded POSTs, JSON-encoded blocks), records every call, keeps the messages it was
 * asked to post and update, and refuses what Slack refuses:
 * - `channel_not_found` for channels and users it was not told about (`knowChannels`, `knowUsers`),
 *   `not_in_channel` / `is_archived` for channels marked so;
 * - `invalid_blocks` for blocks or modals that break @slack/types or Block Kit's limits, naming the
 *   problem in `response_metadata.messages`; `msg_too_long`, `no_text`.
 * Every refusal is kept in `rejections` (the harness fails a test that produced one unexpectedly).
 * Faults on demand: `failNext` (429 with Retry-After, 5xx, ok:false), `holdNext` (no answer until
 * released, or ever), `resetNext` (the connection is destroyed), `slowNext` (answers late).
 * Use the method name `response_url` for posts to response URLs, `upload_url` for file bytes posted
 * to an upload URL (files.getUploadURLExternal / completeUploadExternal: see fake-slack-files.ts).
 */
export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: { id: string; body: Record<string, unknown> }[] = [];
  readonly messages = new Map<string, StoredMessage>();
  /** Messages people wrote (not the bot), so a shortcut on them finds a permalink: `channel:ts`. */
  readonly foreignMessages = new Set<string>();
  readonly ephemerals: Ephemeral[] = [];
  /** Channels that answer channel_not_found even when known (a deleted channel). */
  readonly unknownChannels = new Set<string>();
  /** Channels and users that exist in this workspace. */
  readonly channels = new Set<string>();
  readonly users = new Set<string>();
  /** Channels that exist but the bot is not a member of. */
  readonly notInChannel = new Set<string>();
  readonly archived = new Set<string>();
  readonly rejections: Rejection[] = [];
  /** Set by a test that sends what Slack refuses on purpose; otherwise the harness fails on any rejection. */
  rejectionsExpected = false;
  /** When set, response_url posts answer 404 (an expired or used-up response_url). */
  expiredResponseUrls = false;
  private readonly script = new Map<string, Fault[]>();
  private readonly held = new Set<() => void>();
  private server: Server | null = null;
  private readonly uploads = new FakeSlackFiles({ port: () => this.port, rejections: this.rejections, resolveChannel: (c) => this.resolveChannel(c) });
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
    this.held.clear();
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

  /** Channels (C…, G…) that exist; the bot is a member unless marked with `notInChannel`. */
  knowChannels(...ids: string[]): this {
    for (const id of ids) if (id) this.channels.add(id);
    return this;
  }

  /** Profiles users.info answers with (a name, an e-mail); a known user without one has neither. */
  readonly profiles = new Map<string, { name?: string; email?: string }>();

  /** A person of the workspace with a name and e-mail (users.info, with users:read.email). */
  knowProfile(id: string, p: { name?: string; email?: string }): this {
    this.users.add(id);
    this.profiles.set(id, p);
    return this;
  }

  /** People of the workspace: posting to their id opens the bot's DM with them. */
  knowUsers(...ids: string[]): this {
    for (const id of ids) if (id) this.users.add(id);
    return this;
  }

  private enqueue(method: string, times: number, fault: () => Fault): void {
    const q = this.script.get(method) ?? [];
    for (let i = 0; i < times; i++) q.push(fault());
    this.script.set(method, q);
  }

  /** The next `times` calls of `method` answer with this instead of succeeding. */
  failNext(method: string, times: number, answer: Scripted): void {
    this.enqueue(method, times, () => ({ kind: 'answer', answer }));
  }

  /** The next call of `method` gets no answer until `release()` (or ever: the socket stays open). */
  holdNext(method: string): Hold {
    let arrive!: (c: ApiCall) => void;
    let bound: (() => void) | null = null;
    let releasedEarly = false;
    const hold: Hold = {
      arrived: new Promise((r) => (arrive = r)),
      release: () => (bound ? bound() : (releasedEarly = true)),
    };
    const bind = (release: () => void) => {
      bound = release;
      if (releasedEarly) release();
    };
    this.enqueue(method, 1, () => ({ kind: 'hold', arrive, bind }));
    return hold;
  }

  /** The next `times` calls of `method` have their connection destroyed without an answer. */
  resetNext(method: string, times = 1): void {
    this.enqueue(method, times, () => ({ kind: 'reset' }));
  }

  /** The next `times` calls of `method` are answered normally, but only after `ms`. */
  slowNext(method: string, ms: number, times = 1): void {
    this.enqueue(method, times, () => ({ kind: 'slow', ms }));
  }

  clearFailures(): void {
    this.script.clear();
  }

  /** Files shared with files.uploadV2 (the external upload flow), oldest first. */
  get files(): FakeFile[] {
    return this.uploads.files;
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages in a channel, oldest first (threads included). */
  inChannel(channel: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel);
  }

  /** Ephemeral messages shown to a user (anywhere). */
  ephemeralsTo(user: string): Ephemeral[] {
    return this.ephemerals.filter((e) => e.user === user);
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
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const url = req.url ?? '';
    const isResponseUrl = url.startsWith('/response/');
    const upload = url.startsWith('/upload/') ? url.slice('/upload/'.length) : null;
    const method = isResponseUrl ? 'response_url' : upload !== null ? 'upload_url' : url.replace(/^\/api\//, '').split('?')[0]!;
    const args: Record<string, unknown> = {};
    const type = req.headers['content-type'] ?? '';
    try {
      if (upload !== null) Object.assign(args, { file_id: upload, bytes: bytes.length });
      else if (isResponseUrl || type.includes('application/json')) Object.assign(args, JSON.parse(raw || '{}'));
      else
        for (const [k, v] of new URLSearchParams(raw)) {
          args[k] = JSON_FIELDS.has(k) ? JSON.parse(v) : v;
        }
    } catch {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'invalid_json' }));
      return;
    }
    const call: ApiCall = { method, args, authorization: req.headers.authorization, at: Date.now() };
    if (!isResponseUrl) this.calls.push(call);
    const fault = this.script.get(method)?.shift();
    const answerNow = () =>
      upload !== null ? this.uploads.receive(upload, type, bytes, res) : isResponseUrl ? this.answerResponseUrl(url.slice('/response/'.length), args, res) : this.reply(res, this.answer(method, args));
    if (!fault) return answerNow();
    switch (fault.kind) {
      case 'answer':
        res.writeHead(fault.answer.status, { 'Content-Type': 'application/json', ...fault.answer.headers });
        res.end(JSON.stringify(fault.answer.body));
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'slow':
        setTimeout(() => {
          if (!res.destroyed) answerNow();
        }, fault.ms);
        return;
      case 'hold': {
        const release = () => {
          this.held.delete(release);
          if (!res.destroyed && !res.writableEnded) answerNow();
        };
        this.held.add(release);
        fault.arrive(call);
        fault.bind(release);
        return;
      }
    }
  }

  private reply(res: ServerResponse, body: Record<string, unknown>): void {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  /**
   * A response_url answers in plain text; a bad body is refused with 400 and the error's name
   * (as Slack's incoming webhooks do), which Bolt's respond() turns into a RespondError.
   */
  private answerResponseUrl(id: string, body: Record<string, unknown>, res: ServerResponse): void {
    if (this.expiredResponseUrls) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('expired_url');
      return;
    }
    const refused = this.checkContent('response_url', body, false);
    if (refused) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(String(refused.error));
      return;
    }
    this.responses.push({ id, body });
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
  }

  /** Checks text and blocks as Slack does; returns the error answer, or null when acceptable. */
  private checkContent(method: string, a: Record<string, unknown>, needText = true): Record<string, unknown> | null {
    const refuse = (error: string, messages: string[]) => {
      this.rejections.push({ method, error, messages });
      return { ok: false, error, response_metadata: { messages } };
    };
    const text = a.text;
    const blocks = a.blocks;
    if (needText && (text === undefined || text === '') && (blocks === undefined || (Array.isArray(blocks) && blocks.length === 0))) return refuse('no_text', ['[ERROR] text or blocks is required']);
    if (typeof text === 'string' && [...text].length > SLACK_LIMITS.messageText) return refuse('msg_too_long', [`[ERROR] text is ${[...text].length} characters; the limit is ${SLACK_LIMITS.messageText}`]);
    const problems = checkMessageBlocks(blocks);
    return problems.length ? refuse('invalid_blocks', problems) : null;
  }

  /** Where a message to `channel` would go, or the error Slack gives. */
  private resolveChannel(channel: string): { channel: string } | { error: string } {
    if (this.unknownChannels.has(channel)) return { error: 'channel_not_found' };
    if (/^[UW]/.test(channel)) return this.users.has(channel) ? { channel: `D${channel}` } : { error: 'channel_not_found' };
    if (/^D[UW]/.test(channel) && this.users.has(channel.slice(1))) return { channel };
    if (!this.channels.has(channel)) return { error: 'channel_not_found' };
    if (this.archived.has(channel)) return { error: 'is_archived' };
    if (this.notInChannel.has(channel)) return { error: 'not_in_channel' };
    return { channel };
  }

  private answer(method: string, a: Record<string, unknown>): Record<string, unknown> {
    const ts = () => `1700000000.${String(++this.seq).padStart(6, '0')}`;
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001', team: 'Oficina', url: 'https://oficina.slack.com/' };
      case 'chat.postMessage': {
        const to = this.resolveChannel(String(a.channel ?? ''));
        if ('error' in to) return { ok: false, error: to.error };
        const refused = this.checkContent(method, a);
        if (refused) return refused;
        const msg: StoredMessage = { channel: to.channel, ts: ts(), text: String(a.text ?? ''), blocks: (a.blocks as never) ?? [] };
        if (a.thread_ts) msg.thread_ts = String(a.thread_ts);
        this.messages.set(`${to.channel}:${msg.ts}`, msg);
        return { ok: true, channel: to.channel, ts: msg.ts, message: { ts: msg.ts, text: msg.text } };
      }
      case 'chat.update': {
        const key = `${a.channel}:${a.ts}`;
        const msg = this.messages.get(key);
        if (!msg) return { ok: false, error: 'message_not_found' };
        const refused = this.checkContent(method, a);
        if (refused) return refused;
        msg.text = String(a.text ?? '');
        msg.blocks = (a.blocks as never) ?? [];
        return { ok: true, channel: a.channel, ts: a.ts, text: msg.text };
      }
      case 'chat.postEphemeral': {
        const channel = String(a.channel ?? '');
        const user = String(a.user ?? '');
        // Ephemerals go only to channels the bot is in; a DM between two people is not one of them.
        const to = /^[UW]/.test(channel) ? { error: 'channel_not_found' } : this.resolveChannel(channel);
        if ('error' in to) return { ok: false, error: to.error };
        if (!this.users.has(user)) return { ok: false, error: 'user_not_in_channel' };
        const refused = this.checkContent(method, a);
        if (refused) return refused;
        this.ephemerals.push({ channel: to.channel, user, text: String(a.text ?? ''), blocks: (a.blocks as never) ?? [] });
        return { ok: true, message_ts: ts() };
      }
      case 'chat.getPermalink': {
        // As Slack: the message must exist in a channel the bot can see.
        const channel = String(a.channel ?? '');
        const to = this.resolveChannel(channel);
        if ('error' in to) return { ok: false, error: to.error };
        const known = this.messages.has(`${to.channel}:${a.message_ts}`) || this.foreignMessages.has(`${to.channel}:${a.message_ts}`);
        if (!known) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel: to.channel, permalink: `https://oficina.slack.com/archives/${to.channel}/p${String(a.message_ts).replace('.', '')}` };
      }
      case 'users.lookupByEmail': {
        const email = String(a.email ?? '').toLowerCase();
        const hit = [...this.profiles.entries()].find(([, p]) => p.email?.toLowerCase() === email);
        if (!hit) return { ok: false, error: 'users_not_found' };
        return { ok: true, user: { id: hit[0], name: hit[0].toLowerCase(), real_name: hit[1].name ?? '', profile: { real_name: hit[1].name ?? '', email: hit[1].email } } };
      }
      case 'users.info': {
        const user = String(a.user ?? '');
        if (!this.users.has(user)) return { ok: false, error: 'user_not_found' };
        const p = this.profiles.get(user) ?? {};
        return { ok: true, user: { id: user, name: user.toLowerCase(), real_name: p.name ?? '', profile: { real_name: p.name ?? '', ...(p.email ? { email: p.email } : {}) } } };
      }
      case 'conversations.open': {
        const user = String(a.users ?? '').split(',')[0] ?? '';
        if (!this.users.has(user)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: `D${user}` } };
      }
      case 'views.open':
      case 'views.update': {
        if (method === 'views.open' && !a.trigger_id && !a.interactivity_pointer) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } };
        const problems = checkModal(a.view);
        if (problems.length) {
          this.rejections.push({ method, error: 'invalid_blocks', messages: problems });
          return { ok: false, error: 'invalid_blocks', response_metadata: { messages: problems } };
        }
        return { ok: true, view: { id: a.view_id ?? `V${++this.seq}`, hash: 'h', ...(a.view as object) } };
      }
      default:
        return this.uploads.answer(method, a) ?? { ok: false, error: 'unknown_method' };
    }
  }
}
