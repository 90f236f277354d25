import type { Logger } from '../../logger.js';
import type { OutgoingActivity, TeamsConnector } from './connector.js';
import { classifyTeamsError } from './errors.js';

/**
 * Answers to typed commands, sent after Teams' request is answered: the command is done (and its
 * answer decided) before the HTTP 200, but waiting for Teams to accept the reply would hold the
 * request — and Teams sends an activity again when it waits more than 15 s. A reply that Teams
 * refuses for a moment (429, 5xx) is tried again (Retry-After honoured), up to four times; one that
 * still fails is logged (the command itself was done, and its effects are in the outbox).
 */
export class TeamsReplies {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly connector: TeamsConnector,
    private readonly log: Logger,
    private readonly waits = [1000, 3000, 10_000],
  ) {}

  send(r: { serviceUrl: string; conversationId: string; replyToId: string; activity: OutgoingActivity }): void {
    const p = this.deliver(r).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private async deliver(r: { serviceUrl: string; conversationId: string; replyToId: string; activity: OutgoingActivity }): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (r.replyToId) await this.connector.reply(r.serviceUrl, r.conversationId, r.replyToId, r.activity);
        else await this.connector.post(r.serviceUrl, r.conversationId, r.activity);
        return;
      } catch (e) {
        const c = classifyTeamsError(e);
        if (c.failure === 'permanent' || attempt >= this.waits.length) {
          this.log.warn({ err: e, error: c.code, conversationId: r.conversationId, attempt }, 'the answer to a command could not be sent to Teams');
          return;
        }
        await new Promise((ok) => setTimeout(ok, c.failure === 'rate_limited' ? Math.min(c.retryAfterMs ?? 1000, 30_000) : this.waits[attempt]).unref());
      }
    }
  }

  /** Waits for the replies on their way (a clean stop), for a few seconds at most: one waiting out a Retry-After is given up. */
  async idle(maxMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([...this.pending]), new Promise<void>((r) => (timer = setTimeout(r, maxMs)))]);
    clearTimeout(timer);
  }
}

/** Activity ids seen lately: Teams sends one again when the bot took long to answer it. */
export class RecentActivities {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly keepMs = 30 * 60_000,
    private readonly max = 10_000,
  ) {}

  /** True the first time an id is seen (within keepMs). */
  first(id: string | undefined, now: number): boolean {
    if (!id) return true;
    if (this.seen.has(id)) return false;
    this.seen.set(id, now);
    if (this.seen.size > this.max) {
      for (const [k, t] of this.seen) {
        if (now - t < this.keepMs && this.seen.size <= this.max) break;
        this.seen.delete(k);
      }
    }
    return true;
  }
}
