import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import { classifySlackError } from './errors.js';

/** Errors of auth.test that no retry will fix: the token itself is refused. */
const REFUSED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

export type SlackState = 'starting' | 'ok' | 'unreachable' | 'refused';

export interface SlackStatus {
  state: SlackState;
  /** the last error, as Slack (or the network) said it */
  error?: string;
  /** when the state began (epoch ms) */
  since: number;
  botUserId?: string;
  botId?: string;
  team?: string;
}

export class SlackTokenRefusedError extends Error {
  constructor(readonly code: string) {
    super(
      `Slack rechazó SLACK_BOT_TOKEN (${code}): el token no es válido, fue revocado o la app se desinstaló. ` +
        'Copie de nuevo el Bot User OAuth Token (xoxb-…) de OAuth & Permissions en api.slack.com/apps y reinicie.',
    );
    this.name = 'SlackTokenRefusedError';
  }
}

/**
 * Whether Slack answers, checked with auth.test. A network outage at start does not stop the bot:
 * it keeps trying with backoff, /healthz says what is wrong, and the Slack lane of the outbox waits
 * until Slack answers. A refused token stops the start with a message naming the setting.
 */
export class SlackConnection {
  private current: SlackStatus;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;
  private probing = false;
  private readonly readyListeners: (() => void)[] = [];

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    private readonly retry = { firstMs: 2000, maxMs: 60_000 },
  ) {
    this.current = { state: 'starting', since: now() };
  }

  get status(): SlackStatus {
    return this.current;
  }

  get ready(): boolean {
    return this.current.state === 'ok';
  }

  onReady(fn: () => void): void {
    this.readyListeners.push(fn);
  }

  /** The first check, at start: throws only when Slack refuses the token. */
  async connect(): Promise<void> {
    const s = await this.check();
    if (s.state === 'refused') throw new SlackTokenRefusedError(s.error ?? 'invalid_auth');
    if (s.state !== 'ok') this.scheduleRetry();
  }

  /** Delivery hit a network failure: check again (with backoff) before sending more. */
  markUnreachable(error: string): void {
    if (this.current.state !== 'ok') return;
    this.set({ state: 'unreachable', error, since: this.now() });
    this.failures = 0;
    this.scheduleRetry();
  }

  /**
   * A send failed with a 5xx: is Slack down as a whole? One auth.test, now (not while another check
   * runs); only if it fails too does the lane pause.
   */
  probe(): void {
    if (this.probing || this.current.state !== 'ok') return;
    this.probing = true;
    void this.check().then((s) => {
      this.probing = false;
      if (s.state !== 'ok') this.scheduleRetry();
    });
  }

  /** Slack refused the token while running (revoked, app uninstalled): say so; retry slowly in case it is restored. */
  markRefused(error: string): void {
    if (this.current.state === 'refused') return;
    this.set({ state: 'refused', error, since: this.now() });
    this.failures = 3;
    this.scheduleRetry();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async check(): Promise<SlackStatus> {
    try {
      const r = await this.client.auth.test();
      this.failures = 0;
      this.set({ state: 'ok', since: this.now(), botUserId: r.user_id, botId: r.bot_id, team: r.team });
      for (const fn of this.readyListeners) fn();
    } catch (e) {
      const c = classifySlackError(e);
      const refused = c.failure === 'permanent' && REFUSED.has(c.code);
      const state: SlackState = refused ? 'refused' : 'unreachable';
      if (this.current.state !== state || this.current.error !== c.code) this.set({ state, error: c.code, since: this.now() });
    }
    return this.current;
  }

  private set(s: SlackStatus): void {
    const was = this.current.state;
    this.current = s;
    if (s.state === was) return;
    if (s.state === 'ok') this.log.info({ team: s.team, botUserId: s.botUserId }, 'Slack answers');
    else if (s.state === 'refused') this.log.error({ error: s.error }, 'Slack refused SLACK_BOT_TOKEN');
    else if (s.state === 'unreachable') this.log.warn({ error: s.error }, 'Slack does not answer; will keep trying');
  }

  private scheduleRetry(): void {
    if (this.stopped || this.timer) return;
    const wait = Math.min(this.retry.maxMs, this.retry.firstMs * 2 ** this.failures++);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.check().then((s) => {
        if (s.state !== 'ok') this.scheduleRetry();
      });
    }, wait);
    this.timer.unref?.();
  }
}
