import type { WebClient } from '@slack/web-api';
import type { Notice } from '../../domain/approvals/effects.js';
import type { PieceRepository } from '../../domain/approvals/ports.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Deliverer } from '../../scheduler/outbox.js';
import type { Address, Place } from '../../domain/people/types.js';
import type { Piece, PieceEventRecord } from '../../domain/approvals/types.js';
import type { SlackPeople } from './people.js';
import { DeliveryError } from '../../scheduler/delivery-error.js';
import type { SqliteMessageRepository } from '../../store/message-repo.js';
import type { OutboxRow } from '../../store/outbox-repo.js';
import type { Fmt } from '../../views/format.js';
import { noticeCard, pieceCard, threadNote } from '../../views/piece-views.js';
import { cardMessage, listBlocks } from './render/block-kit.js';
import type { CalendarService } from '../../domain/calendar/service.js';
import type { DigestData } from '../../domain/calendar/digest.js';
import type { LocalDate } from '../../domain/shared/time.js';
import type { CalendarEntry } from '../../domain/calendar/types.js';
import { escapeMrkdwn, richToMrkdwn } from './render/mrkdwn.js';
import { classifySlackError } from './errors.js';
import type { FailedMessage, Titles } from '../../views/delivery-views.js';
import type { KpiService } from '../../domain/kpis/service.js';
import type { Effect } from '../../domain/shared/effects.js';
import { formatDay } from '../../views/kpi-format.js';
import { overviewBlocks } from './listeners/kpi.js';
import { outboundFor } from '../outbound.js';
import type { InquiryService } from '../../domain/inquiries/service.js';
import type { SqliteInquiryRepository } from '../../store/inquiry-repo.js';
import type { Inquiry } from '../../domain/inquiries/types.js';
import { inquiryCard, pageCard } from '../../views/inquiry-views.js';

export interface SlackDelivererDeps {
  client: WebClient;
  pieces: PieceRepository;
  messages: SqliteMessageRepository;
  clock: Clock;
  fmt: Fmt;
  /** the Slack channel of each named place (review, calendar, digest); null when not configured */
  places: Record<Place, string | null>;
  people: SlackPeople;
  calendar: CalendarService;
  entries: { get(id: number): CalendarEntry | null };
  digest: (date: LocalDate) => DigestData;
  /** the failed rows an admin alert tells about */
  outbox: { row(id: number): FailedMessage | null; hasOpen(kind: string, pieceId: number, lane: string): boolean };
  titles: Titles;
  connection: { ready: boolean; markUnreachable(error: string): void; markRefused(error: string): void; probe(): void };
  kpis: KpiService;
  /** renders a campaign chart to PNG and uploads it to the channel (the person's DM) */
  sendChart: (channel: string, effect: Extract<Effect, { type: 'kpi_chart' }>) => Promise<void>;
  inquiries: InquiryService;
  inquiryRepo: SqliteInquiryRepository;
  log?: { warn(o: object, msg: string): void };
}

const NOTICE_PREFIX = 'notice:';
const TERMINAL = new Set(['published', 'cancelled']);
const OUTAGE = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
const TOKEN_REFUSED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);
const SURFACE = 'slack';

/** Renders an outbox row from the piece's current state and sends it to Slack. */
export class SlackDeliverer implements Deliverer {
  constructor(private readonly d: SlackDelivererDeps) {}

  /** Nothing is sent while Slack does not answer auth.test (an outage, a start without network). */
  ready(): boolean {
    return this.d.connection.ready;
  }

  /** Slack rate-limits each Web API method on its own. */
  scopeOf(row: OutboxRow): string {
    if (row.effect.type === 'kpi_chart') return 'files.getUploadURLExternal';
    return row.effect.type === 'refresh' || row.effect.type === 'inquiry_refresh' ? 'chat.update' : 'chat.postMessage';
  }

  async deliver(row: OutboxRow): Promise<void> {
    try {
      await this.send(row);
    } catch (e) {
      const err = e instanceof DeliveryError ? e : classifySlackError(e);
      // The token stopped working while running: /healthz says so, and the rows wait (no attempt
      // spent) until a restored token answers auth.test.
      if (TOKEN_REFUSED.has(err.code)) {
        this.d.connection.markRefused(err.code);
        throw new DeliveryError('unavailable', err.code);
      }
      // No answer at all: the lane waits for auth.test before sending more.
      if (err.code === 'network_error') this.d.connection.markUnreachable(err.code);
      // A 5xx may be this method only: ask auth.test; the lane pauses only if Slack is down as a whole.
      if (/^http_5\d\d$/.test(err.code) || OUTAGE.has(err.code)) this.d.connection.probe();
      throw err;
    }
  }

  private piece(id: number) {
    const p = this.d.pieces.get(id);
    if (!p) throw new DeliveryError('permanent', 'piece_not_found');
    return p;
  }

  /** Where an address is in Slack: a person's user id (Slack opens the DM) or a place's channel. */
  private channelOf(to: Address): string {
    if ('person' in to) {
      const id = this.d.people.slackId(to.person);
      if (!id) throw new DeliveryError('permanent', 'not_on_slack');
      return id;
    }
    const ch = this.d.places[to.place];
    if (!ch) throw new DeliveryError('permanent', 'place_not_configured');
    return ch;
  }

  private async repostCard(old: { channel: string; ts: string }, p: Piece, last: PieceEventRecord | null): Promise<void> {
    const res = await this.d.client.chat.postMessage({ channel: this.channelOf({ place: 'review' }), ...cardMessage(pieceCard(this.d.fmt, p, last)), unfurl_links: false });
    this.d.messages.replace({ surface: SURFACE, channel: old.channel, ts: old.ts }, { surface: SURFACE, channel: res.channel!, ts: res.ts!, pieceId: p.id, kind: 'card', params: {} }, this.d.clock.now());
  }

  private inquiry(id: number): Inquiry {
    const i = this.d.inquiries.getById(id);
    if (!i) throw new DeliveryError('permanent', 'inquiry_not_found');
    return i;
  }

  /** A card or page of an inquiry as it stands now. */
  private inquiryView(i: Inquiry, kind: string) {
    const events = this.d.inquiries.history(i.id).events;
    const left = this.d.inquiries.daysLeft(i);
    const page = /^page:(\d+):(\d+)(?::(oncall|next|admin))?$/.exec(kind);
    if (page) return pageCard(this.d.fmt, i, Number(page[1]), Number(page[2]), events, left, page[3] as 'oncall' | 'next' | 'admin' | undefined);
    return inquiryCard(this.d.fmt, i, events, left);
  }

  private async postInquiryCard(i: Inquiry): Promise<void> {
    const res = await this.d.client.chat.postMessage({ channel: this.channelOf({ place: 'inquiries' }), ...cardMessage(this.inquiryView(i, 'card')), unfurl_links: false });
    this.d.inquiryRepo.recordMessage({ surface: SURFACE, channel: res.channel!, ts: res.ts!, inquiryId: i.id, kind: 'card', version: i.version }, this.d.clock.now());
  }

  /** A row that is simply posted: its neutral view (outbound.ts) as Block Kit, or nothing when it has nothing to say any more. */
  private async postOutbound(e: Effect): Promise<void> {
    const out = outboundFor(this.d, e);
    if (!out || !('to' in e)) return;
    const channel = this.channelOf(e.to);
    if (out.kind === 'card') await this.d.client.chat.postMessage({ channel, ...cardMessage(out.view), unfurl_links: false });
    else if (out.kind === 'list') await this.d.client.chat.postMessage({ channel, text: escapeMrkdwn(out.view.title), blocks: listBlocks(out.view) as never, unfurl_links: false });
    else await this.d.client.chat.postMessage({ channel, text: out.lines.map(richToMrkdwn).join('\n') });
  }

  private lastEvent(id: number) {
    return this.d.pieces.events(id).at(-1) ?? null;
  }

  private async send(row: OutboxRow): Promise<void> {
    const e = row.effect;
    const { client, fmt } = this.d;
    switch (e.type) {
      case 'post_card': {
        if (this.d.messages.card(e.pieceId, SURFACE)) return; // already posted: never a second card
        const p = this.piece(e.pieceId);
        const res = await client.chat.postMessage({
          channel: this.channelOf({ place: 'review' }),
          ...cardMessage(pieceCard(fmt, p, this.lastEvent(p.id))),
          unfurl_links: false,
        });
        this.d.messages.record({ surface: SURFACE, channel: res.channel!, ts: res.ts!, pieceId: p.id, kind: 'card', params: {} }, this.d.clock.now());
        return;
      }
      case 'refresh': {
        const p = this.piece(e.pieceId);
        const last = this.lastEvent(p.id);
        for (const m of this.d.messages.forPiece(p.id, SURFACE)) {
          const card =
            m.kind === 'card'
              ? pieceCard(fmt, p, last)
              : noticeCard(fmt, p, m.kind.slice(NOTICE_PREFIX.length) as Notice, m.params as { actorId: string; reason: string | null });
          try {
            await client.chat.update({ channel: m.channel, ts: m.ts, ...cardMessage(card) });
          } catch (err) {
            const c = classifySlackError(err);
            if (c.failure === 'permanent' && (c.code === 'message_not_found' || c.code === 'cant_update_message')) {
              // Someone deleted the review card: without it nobody can act on the piece, so it is
              // posted again with the current state. A deleted DM is simply not refreshed.
              if (m.kind === 'card' && c.code === 'message_not_found' && !TERMINAL.has(p.stage)) await this.repostCard(m, p, last);
              continue;
            }
            throw c;
          }
        }
        return;
      }
      case 'notify': {
        const p = this.piece(e.pieceId);
        const params = { actorId: e.actorId, reason: e.reason };
        const res = await client.chat.postMessage({ channel: this.channelOf(e.to), ...cardMessage(noticeCard(fmt, p, e.notice, params)), unfurl_links: false });
        this.d.messages.record({ surface: SURFACE, channel: res.channel!, ts: res.ts!, pieceId: p.id, kind: `${NOTICE_PREFIX}${e.notice}`, params }, this.d.clock.now());
        return;
      }
      case 'thread_note': {
        const card = this.d.messages.card(e.pieceId, SURFACE);
        if (!card) {
          // Its card is on its way: the note waits for it. A piece from before Slack was turned on has
          // no card here, and never will: nothing to add a note to.
          if (this.d.outbox.hasOpen('post_card', e.pieceId, SURFACE)) throw new DeliveryError('retryable', 'card_not_posted_yet');
          return;
        }
        await client.chat.postMessage({ channel: card.channel, thread_ts: card.ts, text: richToMrkdwn(threadNote(fmt, e.note, e.actorId)) });
        return;
      }
      case 'admin_alert': {
        // Rows written before alerts were rendered at delivery carry their text.
        const legacy = (e as { what?: unknown }).what;
        if (typeof legacy === 'string') {
          await client.chat.postMessage({ channel: this.channelOf(e.to), text: escapeMrkdwn(legacy) });
          return;
        }
        return this.postOutbound(e);
      }
      case 'kpi_report': {
        const summaries = this.d.kpis.activeSummaries(e.date);
        if (!summaries.length) return;
        const { view, blocks } = overviewBlocks(this.d, summaries, { title: fmt.m.kpiView.reportTitle(formatDay(fmt, e.date)) });
        await client.chat.postMessage({ channel: this.channelOf(e.to), text: escapeMrkdwn(view.title), blocks: blocks as never, unfurl_links: false });
        return;
      }
      case 'kpi_chart':
        await this.d.sendChart(this.channelOf(e.to), e);
        return;
      case 'inquiry_card': {
        if (this.d.inquiryRepo.messagesFor(e.inquiryId, SURFACE).some((m) => m.kind === 'card')) return; // never a second card
        await this.postInquiryCard(this.inquiry(e.inquiryId));
        return;
      }
      case 'inquiry_refresh': {
        const i = this.inquiry(e.inquiryId);
        // Resumable: a message already showing this version is not updated again, so a retry after a
        // rate limit goes on from where it stopped instead of starting over (an inquiry paged all
        // weekend has hundreds of pages).
        for (const m of this.d.inquiryRepo.messagesFor(i.id, SURFACE)) {
          if (m.rendered >= i.version) continue;
          // Changed again meanwhile: the refresh queued behind this one paints the newer state.
          if (this.d.inquiries.getById(i.id)?.version !== i.version) return;
          try {
            await client.chat.update({ channel: m.channel, ts: m.ts, ...cardMessage(this.inquiryView(i, m.kind)) });
            this.d.inquiryRepo.markRendered(SURFACE, m.channel, m.ts, i.version);
          } catch (err) {
            const c = classifySlackError(err);
            if (c.failure === 'permanent' && (c.code === 'message_not_found' || c.code === 'cant_update_message')) {
              // A deleted card of an open inquiry is posted again: without it nobody can act on it.
              this.d.inquiryRepo.forgetMessage(SURFACE, m.channel, m.ts);
              if (m.kind === 'card' && c.code === 'message_not_found' && (i.state === 'open' || i.state === 'taken')) await this.postInquiryCard(i);
              continue;
            }
            throw c;
          }
        }
        return;
      }
      case 'inquiry_page': {
        const i = this.inquiry(e.inquiryId);
        // Taken (or closed, or back in a new round) since the step fired: this page is not sent.
        if (i.state !== 'open' || i.round !== e.round) return;
        // Held back (Slack down, rate limited) past the next step: that step pages the same people
        // and more, so this one would only be a second buzz for the same thing.
        if (e.nextAt !== undefined && this.d.clock.now() >= e.nextAt) return;
        const kind = `page:${e.level}:${e.step}${e.as ? `:${e.as}` : ''}`;
        const res = await client.chat.postMessage({ channel: this.channelOf(e.to), ...cardMessage(this.inquiryView(i, kind)), unfurl_links: false });
        this.d.inquiryRepo.recordMessage({ surface: SURFACE, channel: res.channel!, ts: res.ts!, inquiryId: i.id, kind, version: i.version }, this.d.clock.now());
        // Taken while this page was on its way (its refresh may have run before this message was
        // recorded): its Tomar button goes now. Best effort: the page itself was delivered.
        const current = this.d.inquiries.getById(i.id);
        if (current && current.version !== i.version) {
          try {
            await client.chat.update({ channel: res.channel!, ts: res.ts!, ...cardMessage(this.inquiryView(current, kind)) });
            this.d.inquiryRepo.markRendered(SURFACE, res.channel!, res.ts!, current.version);
          } catch (err) {
            this.d.log?.warn({ err, inquiryId: i.id }, 'a page sent as the inquiry was taken could not be updated');
          }
        }
        return;
      }
      default:
        // Everything else is simply posted to its address (src/adapters/outbound.ts, shared with Teams).
        return this.postOutbound(e);
    }
  }
}
