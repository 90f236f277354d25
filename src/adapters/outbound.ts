import type { PieceRepository } from '../domain/approvals/ports.js';
import type { DigestData } from '../domain/calendar/digest.js';
import type { CalendarService } from '../domain/calendar/service.js';
import type { CalendarEntry } from '../domain/calendar/types.js';
import type { InquiryService } from '../domain/inquiries/service.js';
import type { Inquiry } from '../domain/inquiries/types.js';
import type { KpiService } from '../domain/kpis/service.js';
import type { Effect } from '../domain/shared/effects.js';
import type { LocalDate } from '../domain/shared/time.js';
import { DeliveryError } from '../scheduler/delivery-error.js';
import { digestList, pieceAlertCard, reminderCard } from '../views/calendar-views.js';
import { failureAlert, type FailedMessage, type Titles } from '../views/delivery-views.js';
import type { Fmt } from '../views/format.js';
import { inquiryDigestLines } from '../views/inquiry-digest.js';
import { inquiryDetail, inquiryList, warningCard } from '../views/inquiry-views.js';
import { alertText, closingList, digestKpiLines } from '../views/kpi-views.js';
import { withMention, type CardView, type ListView, type Rich } from '../views/model.js';
import { handoffText } from '../views/oncall-views.js';

/** What one outbox row says, as a neutral view: every surface renders it its own way. */
export type Outbound = { kind: 'card'; view: CardView } | { kind: 'list'; view: ListView } | { kind: 'text'; lines: Rich[] };

export interface OutboundDeps {
  fmt: Fmt;
  pieces: PieceRepository;
  calendar: CalendarService;
  entries: { get(id: number): CalendarEntry | null };
  digest: (date: LocalDate) => DigestData;
  kpis: KpiService;
  inquiries: InquiryService;
  /** the failed rows an admin alert tells about */
  outbox: { row(id: number): FailedMessage | null };
  titles: Titles;
}

const inquiryOf = (d: OutboundDeps, id: number): Inquiry => {
  const i = d.inquiries.getById(id);
  if (!i) throw new DeliveryError('permanent', 'inquiry_not_found');
  return i;
};

/**
 * The messages that are simply posted to their address, rendered from the current state when they
 * are delivered: `null` when there is nothing to say any more (deleted, answered, pruned), and
 * `undefined` for the effects each surface handles itself (cards it keeps and updates, pages, charts).
 */
export function outboundFor(d: OutboundDeps, e: Effect): Outbound | null | undefined {
  const { fmt } = d;
  switch (e.type) {
    case 'admin_alert': {
      const failed = d.outbox.row(e.failedId);
      return failed ? { kind: 'text', lines: [failureAlert(fmt, failed, d.titles)] } : null;
    }
    case 'unassigned': {
      const p = d.pieces.get(e.pieceId);
      if (!p) throw new DeliveryError('permanent', 'piece_not_found');
      return { kind: 'text', lines: [fmt.m.admin.unassigned(p.id, p.title, fmt.m.party[e.role], fmt.m.roleCommandWord[e.role])] };
    }
    case 'calendar_reminder': {
      const entry = d.entries.get(e.entryId);
      const occ = entry && d.calendar.occurrencesOfEntry(entry, e.occurrenceDate);
      // Deleted or moved after the reminder fired: nothing to say any more.
      return entry && occ ? { kind: 'card', view: reminderCard(fmt, entry, occ, e.late) } : null;
    }
    case 'piece_alert': {
      const p = d.pieces.get(e.pieceId);
      if (!p) throw new DeliveryError('permanent', 'piece_not_found');
      return { kind: 'card', view: pieceAlertCard(fmt, p, e.late) };
    }
    case 'digest': {
      const view = digestList(fmt, d.digest(e.date), e.late);
      // Campaigns at risk or behind, and inquiries due, overdue or not taken: short sections.
      const kpi = digestKpiLines(fmt, d.kpis.atRisk(e.date));
      if (kpi.length) view.sections.push({ heading: fmt.m.kpiView.digestHeading, items: kpi });
      const inq = inquiryDigestLines(fmt, d.inquiries, e.date);
      if (inq.length) view.sections.push({ heading: fmt.m.inq.digestHeading, items: inq });
      return { kind: 'list', view };
    }
    case 'kpi_alert': {
      const c = d.kpis.campaignById(e.campaignId);
      return c ? { kind: 'text', lines: [alertText(fmt, e.alert, e.metric, d.kpis.summary(c, e.date, true))] } : null;
    }
    case 'kpi_closing': {
      const c = d.kpis.campaignById(e.campaignId);
      return c ? { kind: 'list', view: closingList(fmt, d.kpis.summary(c, c.end)) } : null;
    }
    case 'inquiry_assigned': {
      const i = inquiryOf(d, e.inquiryId);
      const events = d.inquiries.history(i.id).events;
      const q = fmt.m.inq;
      const card = e.returned
        ? { ...inquiryDetail(fmt, i, events, d.inquiries.daysLeft(i), false, q.returnedTitle(i.folio)), body: [q.returnedText], actions: [] }
        : // Built when delivered: someone who took it and let it go before this went out sees no personal data.
          inquiryDetail(fmt, i, events, d.inquiries.daysLeft(i), 'person' in e.to && d.inquiries.maySeePersonalData(i, e.to.person), q.assignedTitle(i.folio));
      return { kind: 'card', view: card };
    }
    case 'inquiry_warning': {
      const i = inquiryOf(d, e.inquiryId);
      if (i.state !== 'open' && i.state !== 'taken') return null; // answered since: nothing to warn about
      return { kind: 'card', view: warningCard(fmt, i, d.inquiries.daysLeft(i) ?? e.daysLeft, d.inquiries.history(i.id).events) };
    }
    case 'inquiry_reminder': {
      if (!('person' in e.to)) return null;
      const mine = d.inquiries.takenBy(e.to.person).filter((i) => !e.except.includes(i.id));
      if (!mine.length) return null;
      return { kind: 'list', view: inquiryList(fmt, fmt.m.inq.reminderTitle, fmt.m.inq.listEmpty, mine.slice(0, 25).map((i) => ({ i, left: d.inquiries.daysLeft(i) })), mine.length) };
    }
    case 'inquiry_overdue': {
      const r = d.inquiries.overdue(d.inquiries.today(), 25);
      if (!r.total) return null;
      return { kind: 'list', view: inquiryList(fmt, fmt.m.inq.overdueTitle, fmt.m.inq.listEmpty, r.inquiries.map((i) => ({ i, left: d.inquiries.daysLeft(i) })), r.total, fmt.m.inq.overdueNote) };
    }
    case 'inquiry_notice': {
      const i = inquiryOf(d, e.inquiryId);
      return { kind: 'text', lines: [withMention((who) => fmt.m.inq.notice(who, i.folio, e.event), e.actorId)] };
    }
    case 'oncall_handoff':
      return { kind: 'text', lines: [handoffText(fmt, e.personId, e.end, 'place' in e.to)] };
    default:
      return undefined;
  }
}
