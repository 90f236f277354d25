import type { Notice } from '../../domain/approvals/effects.js';
import type { PieceRepository } from '../../domain/approvals/ports.js';
import { TRANSITIONS } from '../../domain/approvals/transitions.js';
import type { Piece } from '../../domain/approvals/types.js';
import type { DigestData } from '../../domain/calendar/digest.js';
import type { CalendarService } from '../../domain/calendar/service.js';
import type { CalendarEntry } from '../../domain/calendar/types.js';
import type { Inquiry } from '../../domain/inquiries/types.js';
import type { InquiryService } from '../../domain/inquiries/service.js';
import type { KpiService } from '../../domain/kpis/service.js';
import type { Address, Place } from '../../domain/people/types.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Role } from '../../domain/shared/roles.js';
import type { LocalDate } from '../../domain/shared/time.js';
import { DeliveryError } from '../../scheduler/delivery-error.js';
import type { Deliverer } from '../../scheduler/outbox.js';
import type { SqliteInquiryRepository } from '../../store/inquiry-repo.js';
import type { SqliteMessageRepository } from '../../store/message-repo.js';
import type { OutboxRow } from '../../store/outbox-repo.js';
import type { SqlitePeopleRepository } from '../../store/people-repo.js';
import type { SqliteTeamsConversations } from '../../store/teams-repo.js';
import type { FailedMessage, Titles } from '../../views/delivery-views.js';
import type { Fmt } from '../../views/format.js';
import { inquiryCard, pageCard } from '../../views/inquiry-views.js';
import { detailList, overviewList } from '../../views/kpi-views.js';
import { formatDay } from '../../views/kpi-format.js';
import type { CardView, ListView, Rich } from '../../views/model.js';
import { noticeCard, pieceCard, threadNote } from '../../views/piece-views.js';
import type { OutgoingActivity, TeamsConnector } from './connector.js';
import { classifyTeamsError } from './errors.js';
import { PIECE_VIEW } from '../chat/piece-actions.js';
import { outboundFor } from '../outbound.js';
import { CARD_CONTENT_TYPE, cardOf, listOf, textOf, type CardOptions, type Json, type TeamsRenderContext } from './render/adaptive-card.js';

const SURFACE = 'teams';
const NOTICE_PREFIX = 'notice:';
const TERMINAL = new Set(['published', 'cancelled']);
/** The verb Teams sends when someone in `refresh.userIds` opens a piece's card. */
export const REFRESH_VERB = PIECE_VIEW;

export interface TeamsDelivererDeps {
  connector: TeamsConnector;
  conversations: SqliteTeamsConversations;
  people: SqlitePeopleRepository;
  pieces: PieceRepository;
  messages: SqliteMessageRepository;
  clock: Clock;
  fmt: Fmt;
  ctx: TeamsRenderContext;
  /** Teams channel conversation id of each named place; null when not configured */
  places: Record<Place, string | null>;
  /** TEAMS_SERVICE_URL: where a channel or a new chat is written to when Teams has not told us better */
  serviceUrl: string;
  /** the bot's own id in Teams (28:<app id>) and the tenant, for opening a 1:1 chat */
  botId: string;
  tenantId: string | null;
  roles: { usersWith(role: Role): string[] };
  calendar: CalendarService;
  entries: { get(id: number): CalendarEntry | null };
  digest: (date: LocalDate) => DigestData;
  outbox: { row(id: number): FailedMessage | null; hasOpen(kind: string, pieceId: number, lane: string): boolean };
  titles: Titles;
  kpis: KpiService;
  inquiries: InquiryService;
  inquiryRepo: SqliteInquiryRepository;
  log?: { warn(o: object, msg: string): void };
}

export const cardActivity = (content: Json, summary?: string): OutgoingActivity => ({
  type: 'message',
  attachments: [{ contentType: CARD_CONTENT_TYPE, content }],
  ...(summary ? { summary: summary.slice(0, 200) } : {}),
});

/**
 * Teams' lane of the outbox: renders each row from the current state as an Adaptive Card and sends
 * it through the Bot Framework connector — channel messages for places, 1:1 chats for people (opened
 * when a person has none yet). Errors are sorted like Slack's (429 waits, 5xx retries, 403/404/413
 * are permanent and reach the admins).
 */
export class TeamsDeliverer implements Deliverer {
  constructor(private readonly d: TeamsDelivererDeps) {}

  /**
   * Teams throttles per conversation: a 429 in one chat or channel holds the rows for that one only
   * (a person's chat, a place's channel; cards and their refreshes with their channel).
   */
  scopeOf(row: OutboxRow): string {
    const e = row.effect as { type: string; to?: Address };
    if (e.to) return 'person' in e.to ? `person:${e.to.person}` : `place:${e.to.place}`;
    return e.type.startsWith('inquiry') ? 'place:inquiries' : 'place:review';
  }

  /** How Teams answered lately, for /healthz: ok, or failing since when and why (5xx, network, credentials). */
  status: { state: 'ok' | 'failing'; error?: string; since: number } = { state: 'ok', since: Date.now() };

  async deliver(row: OutboxRow): Promise<void> {
    try {
      await this.send(row);
      if (this.status.state !== 'ok') this.status = { state: 'ok', since: this.d.clock.now() };
    } catch (e) {
      const err = e instanceof DeliveryError ? e : classifyTeamsError(e);
      // Teams itself not answering (not one person or chat): what an operator must see.
      const whole = err.failure === 'retryable' && !err.code.endsWith('_reopening') && err.code !== 'card_not_posted_yet';
      if ((whole || err.code === 'unauthorized') && this.status.state === 'ok') this.status = { state: 'failing', error: err.code, since: this.d.clock.now() };
      throw err;
    }
  }

  /** The Teams user ids (29:…) of the people who may act on a piece now: its card refreshes for them. */
  actorsNow(p: Piece): string[] {
    const rules = TRANSITIONS[p.stage] ?? {};
    const people = new Set<string>();
    for (const rule of Object.values(rules)) {
      for (const who of rule!.who) {
        if (who === 'author') people.add(p.authorId);
        else for (const id of this.d.roles.usersWith(who)) people.add(id);
      }
    }
    const out: string[] = [];
    for (const person of people) {
      const aad = this.d.people.identity(person, 'teams');
      const user = aad ? this.d.conversations.user(aad) : null;
      if (user) out.push(user.userId);
    }
    return out;
  }

  /** A piece's card as Teams shows it: refreshed for whoever may act on it now. */
  pieceCardJson(p: Piece, extra: Pick<CardOptions, 'notice'> & { history?: ListView; may?: (actionId: string) => boolean } = {}): Json {
    const last = this.d.pieces.events(p.id).at(-1) ?? null;
    const full = pieceCard(this.d.fmt, p, last);
    // For one person (a refresh, the answer to their click): only the buttons they may use now.
    const base = extra.may ? { ...full, actions: full.actions.filter((a) => extra.may!(a.id)) } : full;
    const h = extra.history;
    const view = h ? { ...base, context: [...base.context, [{ b: h.title }], ...h.sections.flatMap((s) => s.items)] } : base;
    return cardOf(view, this.d.ctx, { ...(extra.notice ? { notice: extra.notice } : {}), refresh: { verb: REFRESH_VERB, data: { piece: p.id }, userIds: TERMINAL.has(p.stage) ? [] : this.actorsNow(p) } });
  }

  private piece(id: number): Piece {
    const p = this.d.pieces.get(id);
    if (!p) throw new DeliveryError('permanent', 'piece_not_found');
    return p;
  }

  private inquiry(id: number): Inquiry {
    const i = this.d.inquiries.getById(id);
    if (!i) throw new DeliveryError('permanent', 'inquiry_not_found');
    return i;
  }

  /**
   * A person named in a setting by their Azure AD object id, never seen by the bot: the team of a
   * configured channel knows their name, e-mail and Teams id. False when Teams does not know them.
   */
  async learnMember(aad: string): Promise<boolean> {
    const channel = Object.values(this.d.places).find((c): c is string => Boolean(c));
    const m = channel ? await this.d.connector.member(this.serviceUrlOf(channel), channel, aad) : null;
    if (!m) return false;
    const latest = this.d.conversations.latest();
    this.d.people.ensure('teams', aad, { name: m.name, email: m.email && /@/.test(m.email) ? m.email : null });
    this.d.conversations.rememberUser({ aadObjectId: aad, userId: m.id, tenantId: this.d.tenantId ?? latest.tenantId, serviceUrl: this.serviceUrlOf(channel!) }, this.d.clock.now());
    return true;
  }

  /**
   * At start (best effort): the people named in settings whom the bot has not met yet. A Teams id gets
   * its name and Teams user id; an e-mail gets its Teams identity from the roster of a configured
   * channel's team — so someone named by e-mail is paged and messaged before they ever write.
   */
  async learnUnnamed(): Promise<number> {
    let learned = 0;
    for (const aad of this.d.people.unnamed('teams')) if (!this.d.conversations.user(aad) && (await this.learnMember(aad))) learned++;
    const waiting = this.d.people.placeholders();
    const channel = Object.values(this.d.places).find((c): c is string => Boolean(c));
    if (waiting.length && channel) {
      const byEmail = new Map(waiting.map((p) => [p.email.toLowerCase(), p.id]));
      const latest = this.d.conversations.latest();
      for (const m of await this.d.connector.roster(this.serviceUrlOf(channel), channel)) {
        if (!m.email || !byEmail.has(m.email.toLowerCase()) || this.d.people.find('teams', m.aadObjectId)) continue;
        this.d.people.ensure('teams', m.aadObjectId, { name: m.name, email: m.email });
        this.d.conversations.rememberUser({ aadObjectId: m.aadObjectId, userId: m.id, tenantId: this.d.tenantId ?? latest.tenantId, serviceUrl: this.serviceUrlOf(channel) }, this.d.clock.now());
        learned++;
      }
    }
    return learned;
  }

  /** Where a conversation lives: the service address Teams gave with it, else the configured one. */
  private serviceUrlOf(conversationId: string): string {
    const ref = this.d.conversations.byId(conversationId) as { serviceUrl?: string } | null;
    return ref?.serviceUrl ?? this.d.serviceUrl;
  }

  /** The conversation an address is: a place's channel, or the person's 1:1 chat (opened if need be). */
  private async conversationOf(to: Address): Promise<string> {
    if ('place' in to) {
      const ch = this.d.places[to.place];
      if (!ch) throw new DeliveryError('permanent', 'place_not_configured');
      return ch;
    }
    const ref = this.d.conversations.personal(to.person) as { conversation?: { id?: string } } | null;
    if (ref?.conversation?.id) return ref.conversation.id;
    const aad = this.d.people.identity(to.person, 'teams');
    if (!aad) throw new DeliveryError('permanent', 'not_on_teams');
    let user = this.d.conversations.user(aad);
    const latest = this.d.conversations.latest();
    const serviceUrl = user?.serviceUrl ?? latest.serviceUrl ?? this.d.serviceUrl;
    const tenantId = user?.tenantId ?? this.d.tenantId ?? latest.tenantId;
    if (!user && (await this.learnMember(aad))) user = this.d.conversations.user(aad);
    // Teams accepts the user's Bot Framework id or their Azure AD object id as the member.
    const id = await this.d.connector.openPersonal(serviceUrl, { userId: user?.userId ?? aad, tenantId, botId: latest.botId ?? this.d.botId });
    this.d.conversations.remember(
      {
        conversationId: id,
        kind: 'personal',
        personId: to.person,
        reference: { serviceUrl, channelId: 'msteams', conversation: { id, conversationType: 'personal', ...(tenantId ? { tenantId } : {}) }, user: { id: user?.userId ?? aad, aadObjectId: aad }, bot: { id: latest.botId ?? this.d.botId } },
      },
      this.d.clock.now(),
    );
    return id;
  }

  private async post(to: Address, activity: OutgoingActivity): Promise<{ conversationId: string; id: string }> {
    const conversationId = await this.conversationOf(to);
    try {
      return { conversationId, id: await this.d.connector.post(this.serviceUrlOf(conversationId), conversationId, activity) };
    } catch (e) {
      const c = classifyTeamsError(e);
      // A 1:1 chat that is gone (the app was removed and added again, the chat deleted): forgotten,
      // and this message tried again at once in a new one — which fails for good only if Teams
      // will not open one either.
      if ('person' in to && (c.code === 'conversation_not_found' || c.code === 'bot_removed') && this.d.conversations.byId(conversationId)) {
        this.d.conversations.forget(conversationId);
        throw new DeliveryError('retryable', `${c.code}_reopening`);
      }
      throw c;
    }
  }

  private postCard(to: Address, view: CardView) {
    return this.post(to, cardActivity(cardOf(view, this.d.ctx), view.fallback));
  }

  private postList(to: Address, view: ListView) {
    return this.post(to, cardActivity(listOf(view, this.d.ctx), view.title));
  }

  private postText(to: Address, lines: Rich[]) {
    return this.post(to, cardActivity(textOf(lines, this.d.ctx)));
  }

  private async update(conversationId: string, activityId: string, content: Json): Promise<'ok' | 'gone'> {
    try {
      await this.d.connector.update(this.serviceUrlOf(conversationId), conversationId, activityId, cardActivity(content));
      return 'ok';
    } catch (e) {
      const c = classifyTeamsError(e);
      if (c.code === 'conversation_not_found') return 'gone';
      throw c;
    }
  }

  private inquiryView(i: Inquiry, kind: string): CardView {
    const events = this.d.inquiries.history(i.id).events;
    const left = this.d.inquiries.daysLeft(i);
    const page = /^page:(\d+):(\d+)(?::(oncall|next|admin))?$/.exec(kind);
    if (page) return pageCard(this.d.fmt, i, Number(page[1]), Number(page[2]), events, left, page[3] as 'oncall' | 'next' | 'admin' | undefined);
    return inquiryCard(this.d.fmt, i, events, left);
  }

  private async postInquiryCard(i: Inquiry): Promise<void> {
    const res = await this.postCard({ place: 'inquiries' }, this.inquiryView(i, 'card'));
    this.d.inquiryRepo.recordMessage({ surface: SURFACE, channel: res.conversationId, ts: res.id, inquiryId: i.id, kind: 'card', version: i.version }, this.d.clock.now());
  }

  private async send(row: OutboxRow): Promise<void> {
    const e = row.effect;
    const { fmt } = this.d;
    const now = () => this.d.clock.now();
    switch (e.type) {
      case 'post_card': {
        if (this.d.messages.card(e.pieceId, SURFACE)) return; // already posted: never a second card
        const p = this.piece(e.pieceId);
        const view = pieceCard(fmt, p, this.d.pieces.events(p.id).at(-1) ?? null);
        const res = await this.post({ place: 'review' }, cardActivity(this.pieceCardJson(p), view.fallback));
        this.d.messages.record({ surface: SURFACE, channel: res.conversationId, ts: res.id, pieceId: p.id, kind: 'card', params: {} }, now());
        return;
      }
      case 'refresh': {
        const p = this.piece(e.pieceId);
        for (const m of this.d.messages.forPiece(p.id, SURFACE)) {
          const content =
            m.kind === 'card' ? this.pieceCardJson(p) : cardOf(noticeCard(fmt, p, m.kind.slice(NOTICE_PREFIX.length) as Notice, m.params as { actorId: string; reason: string | null }), this.d.ctx);
          if ((await this.update(m.channel, m.ts, content)) === 'gone' && m.kind === 'card' && !TERMINAL.has(p.stage) && this.d.places.review) {
            // The review card's conversation is gone: without a card nobody in Teams can act on the piece.
            const res = await this.post({ place: 'review' }, cardActivity(this.pieceCardJson(p)));
            this.d.messages.replace({ surface: SURFACE, channel: m.channel, ts: m.ts }, { surface: SURFACE, channel: res.conversationId, ts: res.id, pieceId: p.id, kind: 'card', params: {} }, now());
          }
        }
        return;
      }
      case 'notify': {
        const p = this.piece(e.pieceId);
        const params = { actorId: e.actorId, reason: e.reason };
        const res = await this.postCard(e.to, noticeCard(fmt, p, e.notice, params));
        this.d.messages.record({ surface: SURFACE, channel: res.conversationId, ts: res.id, pieceId: p.id, kind: `${NOTICE_PREFIX}${e.notice}`, params }, now());
        return;
      }
      case 'thread_note': {
        if (!this.d.places.review) return; // no review channel in Teams: the note lives on the other surface
        const card = this.d.messages.card(e.pieceId, SURFACE);
        if (!card) {
          // Its card is on its way: the note waits for it. A piece from before Teams was turned on has
          // no card here, and never will: nothing to add a note to.
          if (this.d.outbox.hasOpen('post_card', e.pieceId, SURFACE)) throw new DeliveryError('retryable', 'card_not_posted_yet');
          return;
        }
        // A reply in the card's thread: the channel conversation id with the root message's id.
        const thread = `${card.channel};messageid=${card.ts}`;
        await this.d.connector.post(this.serviceUrlOf(card.channel), thread, cardActivity(textOf([threadNote(fmt, e.note, e.actorId)], this.d.ctx)));
        return;
      }
      case 'kpi_report': {
        const summaries = this.d.kpis.activeSummaries(e.date);
        if (!summaries.length) return;
        await this.postList(e.to, overviewList(fmt, summaries, { title: fmt.m.kpiView.reportTitle(formatDay(fmt, e.date)) }));
        return;
      }
      case 'kpi_chart': {
        // A card cannot carry an uploaded image: Teams gets the campaign's figures as a list instead.
        const c = this.d.kpis.campaignById(e.campaignId);
        if (!c) return;
        await this.postList(e.to, detailList(fmt, this.d.kpis.summary(c, e.date)));
        return;
      }
      case 'inquiry_card': {
        if (this.d.inquiryRepo.messagesFor(e.inquiryId, SURFACE).some((m) => m.kind === 'card')) return;
        await this.postInquiryCard(this.inquiry(e.inquiryId));
        return;
      }
      case 'inquiry_refresh': {
        const i = this.inquiry(e.inquiryId);
        for (const m of this.d.inquiryRepo.messagesFor(i.id, SURFACE)) {
          if (m.rendered >= i.version) continue;
          if (this.d.inquiries.getById(i.id)?.version !== i.version) return;
          if ((await this.update(m.channel, m.ts, cardOf(this.inquiryView(i, m.kind), this.d.ctx))) === 'gone') {
            this.d.inquiryRepo.forgetMessage(SURFACE, m.channel, m.ts);
            if (m.kind === 'card' && (i.state === 'open' || i.state === 'taken') && this.d.places.inquiries) await this.postInquiryCard(i);
            continue;
          }
          this.d.inquiryRepo.markRendered(SURFACE, m.channel, m.ts, i.version);
        }
        return;
      }
      case 'inquiry_page': {
        const i = this.inquiry(e.inquiryId);
        if (i.state !== 'open' || i.round !== e.round) return;
        if (e.nextAt !== undefined && now() >= e.nextAt) return;
        const kind = `page:${e.level}:${e.step}${e.as ? `:${e.as}` : ''}`;
        const res = await this.postCard(e.to, this.inquiryView(i, kind));
        this.d.inquiryRepo.recordMessage({ surface: SURFACE, channel: res.conversationId, ts: res.id, inquiryId: i.id, kind, version: i.version }, now());
        const current = this.d.inquiries.getById(i.id);
        if (current && current.version !== i.version) {
          try {
            await this.update(res.conversationId, res.id, cardOf(this.inquiryView(current, kind), this.d.ctx));
            this.d.inquiryRepo.markRendered(SURFACE, res.conversationId, res.id, current.version);
          } catch (err) {
            this.d.log?.warn({ err, inquiryId: i.id }, 'a page sent as the inquiry was taken could not be updated');
          }
        }
        return;
      }
      default: {
        // Everything else is simply posted to its address (src/adapters/outbound.ts, shared with Slack).
        const out = outboundFor(this.d, e);
        if (!out || !('to' in e)) return;
        if (out.kind === 'card') await this.postCard(e.to, out.view);
        else if (out.kind === 'list') await this.postList(e.to, out.view);
        else await this.postText(e.to, out.lines);
        return;
      }
    }
  }
}
