import type { Notice } from '../../domain/approvals/effects.js';
import type { Address } from '../../domain/people/types.js';
import { DeliveryError } from '../../scheduler/delivery-error.js';
import type { Deliverer } from '../../scheduler/outbox.js';
import type { SqliteConsoleMessages } from '../../store/console-repo.js';
import type { OutboxRow } from '../../store/outbox-repo.js';
import { detailList, overviewList } from '../../views/kpi-views.js';
import { formatDay } from '../../views/kpi-format.js';
import { threadNote } from '../../views/piece-views.js';
import { outboundFor, type Outbound, type OutboundDeps } from '../outbound.js';

const SURFACE = 'console';

export interface ConsoleDelivererDeps extends OutboundDeps {
  store: SqliteConsoleMessages;
  clock: { now(): number };
  outboxOpen: (kind: string, pieceId: number, lane: string) => boolean;
  /** the conversations that changed: their viewers are told at once (server-sent events) */
  changed: (conversations: string[]) => void;
}

/** A console conversation: a place's channel by its name, or a person's direct messages. */
export const conversationOf = (to: Address): string => ('place' in to ? to.place : `dm:${to.person}`);

/** What a notice message keeps: which notice, by whom, why (rendered from the piece as it is now). */
export interface NoticeBody {
  notice: Notice;
  actorId: string;
  reason: string | null;
}
/** What a chart message keeps: the campaign's figures as of `date`, and the metric drawn. */
export interface ChartBody {
  metric: string | null;
  date: string;
}

/**
 * The console's lane of the outbox: each row becomes a message in a console conversation. Cards of
 * pieces and inquiries are kept as references and drawn from the current state whenever someone looks
 * (so a refresh only tells the viewers); everything else keeps the neutral view it was delivered with.
 * Nothing leaves the machine, so nothing here can be rate limited; a row about something deleted since
 * fails for good, and reaches the admins, as on the other surfaces.
 */
export class ConsoleDeliverer implements Deliverer {
  constructor(private readonly d: ConsoleDelivererDeps) {}

  async deliver(row: OutboxRow): Promise<void> {
    const touched = this.send(row);
    if (touched.length) this.d.changed(touched);
    return Promise.resolve();
  }

  private add(conversation: string, m: Parameters<SqliteConsoleMessages['add']>[0] extends infer T ? Omit<T & object, 'conversation'> : never): string[] {
    this.d.store.add({ ...m, conversation }, this.d.clock.now());
    return [conversation];
  }

  private view(to: Address, out: Outbound): string[] {
    return this.add(conversationOf(to), { kind: 'view', body: out });
  }

  private send(row: OutboxRow): string[] {
    const e = row.effect;
    const { fmt, store } = this.d;
    switch (e.type) {
      case 'post_card': {
        if (!this.d.pieces.get(e.pieceId)) throw new DeliveryError('permanent', 'piece_not_found');
        if (store.find('review', 'piece', e.pieceId)) return []; // already posted: never a second card
        return this.add('review', { kind: 'piece', ref: e.pieceId, body: {} });
      }
      case 'refresh':
        // Drawn from the current state: the viewers of its card and its notices only need telling.
        return store.conversationsAbout(['piece', 'notice'], e.pieceId);
      case 'notify': {
        if (!this.d.pieces.get(e.pieceId)) throw new DeliveryError('permanent', 'piece_not_found');
        const body: NoticeBody = { notice: e.notice, actorId: e.actorId, reason: e.reason };
        return this.add(conversationOf(e.to), { kind: 'notice', ref: e.pieceId, body });
      }
      case 'thread_note': {
        const card = store.find('review', 'piece', e.pieceId);
        if (!card) {
          // Its card is on its way: the note waits for it.
          if (this.d.outboxOpen('post_card', e.pieceId, SURFACE)) throw new DeliveryError('retryable', 'card_not_posted_yet');
          return [];
        }
        const out: Outbound = { kind: 'text', lines: [threadNote(fmt, e.note, e.actorId)] };
        return this.add('review', { kind: 'view', parentId: card.id, body: out });
      }
      case 'kpi_report': {
        const summaries = this.d.kpis.activeSummaries(e.date);
        if (!summaries.length) return [];
        return this.view(e.to, { kind: 'list', view: overviewList(fmt, summaries, { title: fmt.m.kpiView.reportTitle(formatDay(fmt, e.date)) }) });
      }
      case 'kpi_chart': {
        const c = this.d.kpis.campaignById(e.campaignId);
        if (!c) return [];
        // The figures, and the chart drawn from them (served as a PNG by the console, with its alt text).
        const body: ChartBody & { list: Outbound } = { metric: e.metric, date: e.date, list: { kind: 'list', view: detailList(fmt, this.d.kpis.summary(c, e.date)) } };
        return this.add(conversationOf(e.to), { kind: 'chart', ref: c.id, body });
      }
      case 'inquiry_card': {
        const i = this.d.inquiries.getById(e.inquiryId);
        if (!i) throw new DeliveryError('permanent', 'inquiry_not_found');
        if (store.find('inquiries', 'inquiry', i.id)) return [];
        return this.add('inquiries', { kind: 'inquiry', ref: i.id, body: { as: 'card' } });
      }
      case 'inquiry_refresh':
        return store.conversationsAbout(['inquiry'], e.inquiryId);
      case 'inquiry_page': {
        const i = this.d.inquiries.getById(e.inquiryId);
        if (!i) throw new DeliveryError('permanent', 'inquiry_not_found');
        // Taken, or a later step already due: this page has nothing to ask any more.
        if (i.state !== 'open' || i.round !== e.round) return [];
        if (e.nextAt !== undefined && this.d.clock.now() >= e.nextAt) return [];
        return this.add(conversationOf(e.to), { kind: 'inquiry', ref: i.id, body: { as: `page:${e.level}:${e.step}${e.as ? `:${e.as}` : ''}` } });
      }
      default: {
        const out = outboundFor(this.d, e);
        if (!out || !('to' in e)) return [];
        return this.view(e.to, out);
      }
    }
  }
}
