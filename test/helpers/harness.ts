import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startVistoBueno, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/domain/shared/clock.js';
import { createLogger } from '../../src/logger.js';
import type { OutboxOptions } from '../../src/scheduler/outbox.js';
import { FakeSlack, type StoredMessage } from './fake-slack.js';
import { SIGNING_SECRET, blockActionPayload, commandBody, payloadBody, postSigned, viewSubmissionPayload, type FieldValue } from './slack-client.js';

export const U = {
  author: 'UAUTHOR',
  author2: 'UAUTHOR2',
  approver: 'UAPPROVER1',
  approver2: 'UAPPROVER2',
  designer: 'UDESIGNER',
  admin: 'UADMIN',
  other: 'UOTHER',
} as const;
export const REVIEW = 'CREVIEW';
/** The channel commands are typed in unless a test says otherwise. */
export const GENERAL = 'CGENERAL';

export const tempDbPath = (): string => join(mkdtempSync(join(tmpdir(), 'vistobueno-')), 'test.db');

export const baseEnv = (slack: FakeSlack, dbPath: string): Record<string, string> => ({
  SLACK_BOT_TOKEN: 'xoxb-test-not-a-real-token',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: slack.apiUrl,
  REVIEW_CHANNEL_ID: REVIEW,
  APPROVER_IDS: `${U.approver},${U.approver2}`,
  DESIGNER_IDS: U.designer,
  ADMIN_IDS: U.admin,
  PORT: '0',
  HOST: '127.0.0.1',
  DATABASE_PATH: dbPath,
  TIMEZONE: 'America/Mexico_City',
  LOG_LEVEL: 'silent',
});

let seq = 0;

/** The real app over HTTP, a fake Slack on loopback, a real SQLite file. */
export class Harness {
  private constructor(
    readonly slack: FakeSlack,
    readonly app: RunningApp,
    readonly dbPath: string,
    /** Every log line the app wrote, when started with `captureLogs`. */
    readonly logs: string[],
  ) {}

  static async start(opts: { slack?: FakeSlack; dbPath?: string; env?: Record<string, string>; clock?: Clock; captureLogs?: boolean; slackOptions?: { timeoutMs?: number; retryMs?: number }; outbox?: Partial<OutboxOptions> } = {}): Promise<Harness> {
    const logs: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    });
    const slack = opts.slack ?? (await new FakeSlack().start());
    const dbPath = opts.dbPath ?? tempDbPath();
    const env = { ...baseEnv(slack, dbPath), ...opts.env };
    // The fake Slack knows the workspace the env describes, and nothing else (channel_not_found).
    slack.knowChannels(GENERAL, env.REVIEW_CHANNEL_ID ?? '', env.CALENDAR_CHANNEL_ID ?? '', env.DIGEST_CHANNEL_ID ?? '', env.KPI_CHANNEL_ID ?? '', env.INQUIRY_CHANNEL_ID ?? '');
    const ids = (v: string | undefined) => (v ?? '').split(',').map((x) => x.trim());
    slack.knowUsers(...Object.values(U), ...ids(env.APPROVER_IDS), ...ids(env.DESIGNER_IDS), ...ids(env.ADMIN_IDS), ...ids(env.KPI_EDITOR_IDS), ...ids(env.ONCALL_IDS));
    const config = loadConfig(env);
    const app = await startVistoBueno(config, {
      logger: opts.captureLogs ? createLogger('trace', sink) : createLogger('silent'),
      clock: opts.clock,
      outbox: { pollMs: 25, baseBackoffMs: 50, maxBackoffMs: 400, maxAttempts: 4, giveUpAfterMs: 0, ...opts.outbox },
      // With a test clock the scheduler ticks only when the test says so.
      schedulerTickMs: opts.clock ? 0 : 1000,
      slack: { retryMs: 100, ...opts.slackOptions },
    });
    return new Harness(slack, app, dbPath, logs);
  }

  /** The person of ours behind a Slack user id (created on first sight, as the bot does). */
  personOf(slackUserId: string): string {
    return this.app.core.people.ensure('slack', slackUserId);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.app.port}`;
  }

  /** Stops the app only (the fake Slack and the database file stay, for restarts). */
  async stopApp(): Promise<void> {
    await this.app.stop();
  }

  /**
   * Stops the app and the fake Slack. A payload Slack would have refused (invalid_blocks,
   * msg_too_long…) fails the test here, unless the test said it expects one.
   */
  async stop(): Promise<void> {
    await this.app.stop();
    await this.slack.stop();
    const refused = this.slack.rejections;
    if (refused.length && !this.slack.rejectionsExpected) {
      throw new Error(`Slack would have refused ${refused.length} payload(s): ${JSON.stringify(refused.slice(0, 3), null, 1)}`);
    }
  }

  /** Runs `/pieza text` as `user`; returns the HTTP answer and the id of its response_url. */
  async command(user: string, text: string, command = '/pieza') {
    const rid = `cmd-${++seq}`;
    const res = await postSigned(this.baseUrl, commandBody({ user, text, command, responseUrl: this.slack.responseUrl(rid) }));
    return { ...res, rid };
  }

  /** What the app answered through a response_url, once it has. */
  async reply(rid: string): Promise<Record<string, unknown>> {
    return waitFor(() => this.slack.responsesTo(rid)[0]);
  }

  /** Clicks the button with `actionId` on a message the bot posted, as `user`. */
  async click(user: string, message: StoredMessage, actionId: string) {
    const button = buttonsOf(message).find((b) => b.action_id === actionId);
    if (!button) throw new Error(`no ${actionId} button on message ${message.ts}: ${buttonsOf(message).map((b) => b.action_id).join(', ')}`);
    return this.clickValue(user, message, actionId, String(button.value));
  }

  async clickValue(user: string, message: StoredMessage, actionId: string, value: string) {
    const rid = `act-${++seq}`;
    const payload = blockActionPayload({ user, actionId, value, channel: message.channel, messageTs: message.ts, responseUrl: this.slack.responseUrl(rid) });
    const res = await postSigned(this.baseUrl, payloadBody(payload));
    return { ...res, rid, payload };
  }

  /** The last modal the app opened, after `since` views.open calls. */
  async openedView(since: number): Promise<Record<string, unknown>> {
    const call = await waitFor(() => this.slack.callsOf('views.open')[since]);
    return call.args.view as Record<string, unknown>;
  }

  async submit(user: string, view: Record<string, unknown>, values: Record<string, FieldValue>, viewId = `V${++seq}`) {
    const payload = viewSubmissionPayload({ user, view, values, viewId });
    const res = await postSigned(this.baseUrl, payloadBody(payload));
    return { ...res, payload };
  }

  /** Creates a piece through /pieza → modal → submit, as a person does. Returns its card. */
  async createPiece(user: string, values: Partial<Record<string, FieldValue>> = {}): Promise<{ id: number; card: StoredMessage }> {
    const opened = this.slack.callsOf('views.open').length;
    const before = this.slack.inChannel(REVIEW).filter((m) => !m.thread_ts).length;
    await this.command(user, '');
    const view = await this.openedView(opened);
    const res = await this.submit(user, view, {
      title: 'Jornada de vacunación en Ciudad Bolívar',
      body: 'Este sábado hay jornada de vacunación gratuita. Consulte los puntos en el sitio web.',
      kind: 'post',
      networks: ['x', 'facebook'],
      date: '2030-03-14',
      time: '10:00',
      materials: null,
      needs_design: [],
      ...values,
    });
    if (res.status !== 200 || res.text) throw new Error(`submission refused: ${res.status} ${res.text}`);
    const card = await waitFor(() => this.slack.inChannel(REVIEW).filter((m) => !m.thread_ts)[before]);
    const id = Number(/#(\d+)/.exec(headerOf(card))?.[1]);
    return { id, card };
  }

  /** The review card of a piece as Slack shows it now. */
  card(pieceId: number): StoredMessage {
    const card = this.slack.inChannel(REVIEW).find((m) => !m.thread_ts && headerOf(m).startsWith(`#${pieceId} `));
    if (!card) throw new Error(`no card for piece ${pieceId}`);
    return card;
  }

  /** Waits until every due outbox row has been delivered. */
  async settle(): Promise<void> {
    await waitFor(() => {
      const n = this.app.db.prepare(`SELECT count(*) AS n FROM outbox WHERE status IN ('pending','sending') AND next_attempt_at <= ?`).get(Date.now()) as { n: number };
      return n.n === 0 ? true : undefined;
    });
    for (const w of Object.values(this.app.workers)) await w.idle();
  }
}

export function buttonsOf(m: StoredMessage): { action_id: string; value: string; text: { text: string } }[] {
  return m.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements as never[]);
}

export function headerOf(m: StoredMessage): string {
  const h = m.blocks.find((b) => b.type === 'header') as { text: { text: string } } | undefined;
  return h?.text.text ?? '';
}

/** Every mrkdwn text of a message, joined: what a person reads. */
export function textOf(m: { text?: string; blocks?: Record<string, unknown>[] }): string {
  const parts: string[] = [m.text ?? ''];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.text === 'string') parts.push(o.text);
      for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') walk(v);
    }
  };
  walk(m.blocks ?? []);
  return parts.join('\n');
}

export async function waitFor<T>(fn: () => T | undefined | null | false, timeoutMs = 8000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${fn.toString().slice(0, 120)}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** A clock the test moves by hand (xstate's SimulatedClock idea). */
export class SteppingClock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(ms: number): void {
    this.t = ms;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
