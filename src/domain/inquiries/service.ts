import { SYSTEM, type PersonId } from '../people/types.js';
import type { Effect } from '../shared/effects.js';
import { DomainError } from '../shared/errors.js';
import type { FireResult, PlannedJob } from '../shared/jobs.js';
import { isLocalDate, localDateOf, type LocalDate } from '../shared/time.js';
import { levelOf, pageRecipients, stepDueAt } from './escalation.js';
import { dueDate as legalDueDate, maxExtendedDueDate, termFor } from './legal-terms.js';
import { InquiryQueries, type InquiryDeps } from './queries.js';
import { dueOf, type Inquiry, type InquiryEventName } from './types.js';
import { validateInquiry, type InquiryInput, type InquiryProblem } from './validate.js';

export const PAGE_KIND = 'inquiry.page';
/** The proof of an answer: a link to it, or a reference such as the number of the «oficio» sent. */
export const isProof = (s: string): boolean =>
  /^https?:\/\//i.test(s) ? /^https?:\/\/[^\s/]+\.[^\s]+$/i.test(s) : s.length >= 3 && s.length <= 200 && /\d/.test(s) && !/:\/\//.test(s) && !/^mailto:/i.test(s);

export const subjectOf = (id: number): string => `inquiry:${id}`;

export type { InquiryDeps };

export type RegisterResult =
  | { ok: true; inquiry: Inquiry; created: boolean }
  | { ok: false; problems: InquiryProblem[] }
  /** the same origin key came with a different request */
  | { ok: false; conflict: Inquiry };

export interface Origin {
  key: string;
  /** a digest of what was asked (a reused key with another request is refused) */
  request: string;
}

/**
 * Inquiries from the public: registered with a folio and a legal due date in business days, paged
 * to whoever is on call until someone takes them, answered, extended or transferred — each action
 * once (guarded by the version), audited, and told to the surfaces through the outbox.
 */
export class InquiryService extends InquiryQueries {
  register(input: InquiryInput, actorId: string, platform: string, origin?: Origin): RegisterResult {
    const now = this.d.clock.now();
    if (origin) {
      const seen = this.d.repo.origin(origin.key);
      if (seen) {
        const first = this.d.repo.get(seen.inquiryId)!;
        return seen.request === origin.request ? { ok: true, inquiry: first, created: false } : { ok: false, conflict: first };
      }
    }
    const v = validateInquiry(input, now);
    if (!v.ok) return v;
    const n = v.value;
    const receiptDate = this.d.calendar.receiptDate(n.receivedAt, this.d.tz);
    const term = termFor(this.d.legal, n.type);
    const dueDate = term ? legalDueDate(this.d.calendar, receiptDate, term) : null;
    return this.d.repo.transaction(() => {
      // Checked again inside the transaction: two copies of one request arriving together make one inquiry.
      if (origin) {
        const seen = this.d.repo.origin(origin.key);
        if (seen) {
          const first = this.d.repo.get(seen.inquiryId)!;
          return seen.request === origin.request ? { ok: true as const, inquiry: first, created: false } : { ok: false as const, conflict: first };
        }
      }
      const inquiry = this.d.repo.insert(
        {
          channel: n.channel,
          type: n.type,
          requester: { name: n.name, contact: n.contact },
          text: n.text,
          sourceLink: n.sourceLink,
          receivedAt: n.receivedAt,
          receiptDate,
          dueDate,
          extendedDueDate: null,
          term,
          policy: { ...this.d.policy },
          state: 'open',
          assigneeId: null,
          takenAt: null,
          closedAt: null,
          answeredDate: null,
          round: 0,
          createdBy: actorId,
          createdAt: now,
        },
        Number(localDateOf(now, this.d.tz).slice(0, 4)),
      );
      if (origin) this.d.repo.recordOrigin(origin.key, inquiry.id, origin.request, now);
      this.event(inquiry, 'registered', actorId, platform, now, { channel: n.channel, type: n.type, receivedAt: n.receivedAt, receiptDate, dueDate });
      if (this.d.inquiryPlace) this.d.enqueue({ type: 'inquiry_card', inquiryId: inquiry.id }, now);
      this.startEscalation(inquiry, now);
      return { ok: true as const, inquiry, created: true };
    });
  }

  take(id: number, actorId: PersonId, platform: string): Inquiry {
    return this.act(id, actorId, platform, (i, now) => {
      this.requireOpen(i);
      if (i.state === 'taken') throw new DomainError('inquiry.taken', { folio: i.folio, by: i.assigneeId, at: i.takenAt, self: i.assigneeId === actorId });
      if (!this.d.oncall.isResponder(actorId)) throw new DomainError('inquiry.not_allowed', { folio: i.folio });
      const next: Inquiry = { ...i, state: 'taken', assigneeId: actorId, takenAt: now };
      return { next, event: 'taken', data: {}, effects: [{ type: 'inquiry_assigned', to: { person: actorId }, inquiryId: i.id, actorId, returned: false }] };
    });
  }

  /** Soltar: back into escalation, from the first page. */
  release(id: number, actorId: PersonId, platform: string): Inquiry {
    return this.act(id, actorId, platform, (i) => {
      this.requireOpen(i);
      if (i.state !== 'taken') throw new DomainError('inquiry.not_taken', { folio: i.folio });
      this.requireAssigneeOrAdmin(i, actorId);
      return { next: { ...i, state: 'open', assigneeId: null, takenAt: null, round: i.round + 1 }, event: 'released', data: { from: i.assigneeId }, effects: [], escalate: true };
    });
  }

  /** Responder: the answer's summary and a link to it (the proof). Untaken, a responder takes it by answering. */
  /**
   * Responder: a summary, the proof (a link to the answer sent, or the number of the «oficio» when it
   * went on paper or by phone) and the day it was sent — today unless said otherwise: an answer
   * mailed on the due date and recorded on Monday was on time.
   */
  respond(id: number, actorId: PersonId, platform: string, input: { summary: string; link: string; answeredDate?: LocalDate | null }): Inquiry {
    const summary = input.summary.trim();
    const link = input.link.trim();
    const bad = { summary: !summary, link: !isProof(link) };
    if (bad.summary || bad.link) throw new DomainError('inquiry.invalid_input', bad);
    return this.act(id, actorId, platform, (i, now) => {
      this.requireOpen(i);
      this.requireHandler(i, actorId);
      const answeredDate = this.sentOn(i, input.answeredDate, now);
      const next: Inquiry = { ...i, state: 'answered', assigneeId: i.assigneeId ?? actorId, takenAt: i.takenAt ?? now, closedAt: now, answeredDate };
      return { next, event: 'answered', data: { summary, link, answeredDate, onTime: onTime(i, answeredDate) }, effects: [] };
    });
  }

  /** The day an answer or a transfer went out: today unless said; never future, never before it came in. */
  private sentOn(i: Inquiry, date: LocalDate | null | undefined, now: number): LocalDate {
    const today = this.today(now);
    const sent = date ?? today;
    const received = localDateOf(i.receivedAt, this.d.tz);
    if (!isLocalDate(sent) || sent > today || sent < received) throw new DomainError('inquiry.invalid_answer_date', { folio: i.folio, date: sent, received, today });
    return sent;
  }

  /** Prórroga: the new date within the legal maximum, only before the term ends, once. */
  extend(id: number, actorId: PersonId, platform: string, input: { reason: string }): Inquiry {
    const reason = input.reason.trim();
    if (!reason) throw new DomainError('inquiry.invalid_input', { reason: true });
    return this.act(id, actorId, platform, (i, now) => {
      this.requireOpen(i);
      this.requireHandler(i, actorId);
      if (!i.term || !i.dueDate) throw new DomainError('inquiry.no_term', { folio: i.folio, type: i.type });
      if (i.extendedDueDate) throw new DomainError('inquiry.already_extended', { folio: i.folio, until: i.extendedDueDate });
      if (i.term.extensionDays <= 0) throw new DomainError('inquiry.no_term', { folio: i.folio, type: i.type, noExtension: true });
      const today = this.today(now);
      if (today > i.dueDate) throw new DomainError('inquiry.extension_late', { folio: i.folio, due: i.dueDate });
      const until = maxExtendedDueDate(this.d.calendar, i.receiptDate, i.term);
      return { next: { ...i, extendedDueDate: until }, event: 'extended', data: { reason, from: i.dueDate, to: until, article: i.term.article }, effects: [] };
    });
  }

  /** Trasladar: sent to the entity that must answer it (closes it here). */
  transfer(id: number, actorId: PersonId, platform: string, input: { entity: string; reason?: string; transferredDate?: LocalDate | null }): Inquiry {
    const entity = input.entity.trim();
    if (!entity) throw new DomainError('inquiry.invalid_input', { entity: true });
    return this.act(id, actorId, platform, (i, now) => {
      this.requireOpen(i);
      this.requireHandler(i, actorId);
      const today = this.sentOn(i, input.transferredDate, now);
      const next: Inquiry = { ...i, state: 'transferred', assigneeId: i.assigneeId ?? actorId, takenAt: i.takenAt ?? now, closedAt: now, answeredDate: today };
      // The law's own term for a transfer (CO art. 21: 5 business days), judged like an answer's.
      const days = this.d.legal.transferDays;
      const transferDue = days !== null && i.term ? this.d.calendar.addBusinessDays(i.receiptDate, days) : null;
      return { next, event: 'transferred', data: { entity, reason: input.reason?.trim() || null, transferDays: days, transferDue, onTime: transferDue ? today <= transferDue : null }, effects: [] };
    });
  }

  /**
   * Would this action be accepted now? Throws the same coded errors, writes nothing: checked
   * before a form opens, so nobody writes an answer only to be refused.
   */
  check(id: number, actorId: PersonId, action: 'respond' | 'extend' | 'transfer'): Inquiry {
    const i = this.get(id);
    this.requireOpen(i);
    this.requireHandler(i, actorId);
    if (action === 'extend') {
      if (!i.term || !i.dueDate || i.term.extensionDays <= 0) throw new DomainError('inquiry.no_term', { folio: i.folio, type: i.type });
      if (i.extendedDueDate) throw new DomainError('inquiry.already_extended', { folio: i.folio, until: i.extendedDueDate });
      if (this.today() > i.dueDate) throw new DomainError('inquiry.extension_late', { folio: i.folio, due: i.dueDate });
    }
    return i;
  }

  /** What the extension would give, for the form: the new date within the legal maximum. */
  extensionDate(i: Inquiry): LocalDate | null {
    return i.term && i.term.extensionDays > 0 ? maxExtendedDueDate(this.d.calendar, i.receiptDate, i.term) : null;
  }

  /** People who left the rotation: their inquiries go back into escalation (called in the rotation's transaction). */
  returnFrom(people: readonly PersonId[], actorId: string, now: number): number {
    let n = 0;
    for (const p of people) {
      for (const i of this.d.repo.takenBy(p)) {
        const next: Inquiry = { ...i, state: 'open', assigneeId: null, takenAt: null, round: i.round + 1, version: i.version + 1, updatedAt: now };
        if (!this.d.repo.updateIfVersion(next, i.version)) continue;
        this.event(i, 'returned', actorId, 'system', now, { from: p });
        this.d.jobs.cancelSubject(subjectOf(i.id), now, 'returned to escalation');
        this.d.enqueue({ type: 'inquiry_refresh', inquiryId: i.id }, now);
        this.d.enqueue({ type: 'inquiry_assigned', to: { person: p }, inquiryId: i.id, actorId, returned: true }, now);
        this.startEscalation(next, now);
        n++;
      }
    }
    return n;
  }

  /** One escalation step, when its row fires: decide who is paged now, and plan the next step. */
  fireStep(payload: Record<string, unknown>, ctx: { now: number; late: boolean }): FireResult {
    const i = this.d.repo.get(Number(payload.inquiryId));
    const round = Number(payload.round);
    const step = Number(payload.step);
    const base = Number(payload.base);
    if (!i) return { cancel: 'inquiry gone' };
    if (i.state !== 'open') return { cancel: `inquiry ${i.state}` };
    if (i.round !== round) return { cancel: 'an earlier round of escalation' };
    return this.d.repo.transaction(() => {
      const next = this.stepRow(i, base, step + 1);
      // Back after an outage with the next step already due: that one pages (levels are cumulative), this one not.
      const effects = ctx.late && next.dueAt <= ctx.now ? [] : this.pages(i, step, ctx.now, base);
      // Written last: a step that fails before here leaves nothing behind, and is tried again whole.
      this.d.jobs.schedule([next]);
      return { effects };
    });
  }

  /**
   * When the legal calendar changed since the last start (OFFICE_CLOSED_DATES, the country, the
   * region, office hours, the holidays the library knows), the open inquiries' receipt and due
   * dates are computed again from their received time and term, each change an audited event.
   * Answered and transferred ones keep the dates they were judged by. Returns how many moved.
   */
  recalculateDueDates(calendarKey: string, now = this.d.clock.now()): number {
    return this.d.repo.transaction(() => {
      const prev = this.d.repo.setting('calendar');
      if (prev === calendarKey) return 0;
      this.d.repo.setSetting('calendar', calendarKey);
      if (prev === null) return 0;
      let n = 0;
      for (const i of this.d.repo.inState(['open', 'taken'])) {
        // The country's table (or the office's rows) may have changed too: the term in force now.
        const term = termFor(this.d.legal, i.type);
        const receiptDate = this.d.calendar.receiptDate(i.receivedAt, this.d.tz);
        const dueDate = term ? legalDueDate(this.d.calendar, receiptDate, term) : null;
        // An extension granted stays granted; its date is the legal maximum under the term in force.
        const extendedDueDate = i.extendedDueDate && term && term.extensionDays > 0 ? maxExtendedDueDate(this.d.calendar, receiptDate, term) : i.extendedDueDate;
        if (receiptDate === i.receiptDate && dueDate === i.dueDate && extendedDueDate === i.extendedDueDate && JSON.stringify(term) === JSON.stringify(i.term)) continue;
        const next: Inquiry = { ...i, term, receiptDate, dueDate, extendedDueDate, version: i.version + 1, updatedAt: now };
        if (!this.d.repo.updateIfVersion(next, i.version)) continue;
        this.event(i, 'due_changed', SYSTEM.escalation, 'system', now, {
          from: dueOf(i),
          to: dueOf(next),
          receiptFrom: i.receiptDate,
          receiptTo: receiptDate,
          termFrom: i.term ? `${i.term.days} (${i.term.law}, ${i.term.article})` : null,
          termTo: term ? `${term.days} (${term.law}, ${term.article})` : null,
          reason: 'calendar',
        });
        this.d.enqueue({ type: 'inquiry_refresh', inquiryId: i.id }, now);
        n++;
      }
      return n;
    });
  }

  /**
   * The safety net of «nothing unanswered is forgotten»: an inquiry nobody has taken and with no
   * escalation step pending (a step that failed to fire, a row lost to a bug) starts a new round
   * now. Run at start and every business morning. Returns how many were revived.
   */
  reviveEscalations(now = this.d.clock.now()): number {
    let n = 0;
    const failed: unknown[] = [];
    for (const i of this.d.repo.withoutPendingPage()) {
      try {
        this.d.repo.transaction(() => {
          const cur = this.d.repo.get(i.id);
          if (!cur || cur.state !== 'open' || cur.version !== i.version) return;
          const next: Inquiry = { ...cur, round: cur.round + 1, version: cur.version + 1, updatedAt: now };
          if (!this.d.repo.updateIfVersion(next, cur.version)) return;
          this.event(cur, 'returned', SYSTEM.escalation, 'system', now, { reason: 'no escalation step pending' });
          this.d.enqueue({ type: 'inquiry_refresh', inquiryId: i.id }, now);
          this.startEscalation(next, now);
          n++;
        });
      } catch (e) {
        // One that cannot be revived must not keep the others waiting.
        failed.push(e);
      }
    }
    if (failed.length) throw new AggregateError(failed, `${failed.length} inquiries could not be paged again (${n} were)`);
    return n;
  }

  private startEscalation(i: Inquiry, now: number): void {
    for (const e of this.pages(i, 0, now, now)) this.d.enqueue(e, now);
    this.d.jobs.schedule([this.stepRow(i, now, 1)]);
  }

  private stepRow(i: Inquiry, base: number, step: number): PlannedJob {
    return {
      kind: PAGE_KIND,
      key: `${PAGE_KIND}:${i.id}:${i.round}:${step}`,
      subject: subjectOf(i.id),
      payload: { inquiryId: i.id, round: i.round, step, base },
      dueAt: stepDueAt(base, step, i.policy),
    };
  }

  private pages(i: Inquiry, step: number, now: number, base: number): Effect[] {
    const level = levelOf(step);
    const nextAt = stepDueAt(base, step + 1, i.policy);
    const onCall = this.d.oncall.onCallAt(now);
    const next = level >= 1 ? this.d.oncall.nextAfter(now) : null;
    return pageRecipients(level, now, this.d.oncall, this.d.roles.usersWith('admin')).map((person) => ({
      type: 'inquiry_page',
      to: { person },
      inquiryId: i.id,
      round: i.round,
      step,
      level,
      as: person === onCall ? 'oncall' : person === next ? 'next' : 'admin',
      nextAt,
    }));
  }

  private requireOpen(i: Inquiry): void {
    if (i.state === 'answered' || i.state === 'transferred') {
      const last = this.d.repo.events(i.id).filter((e) => e.event === i.state).at(-1);
      throw new DomainError('inquiry.closed', { folio: i.folio, state: i.state, by: last?.actorId ?? i.assigneeId, at: last?.at ?? i.closedAt });
    }
  }

  private requireAssigneeOrAdmin(i: Inquiry, actorId: PersonId): void {
    if (i.assigneeId !== actorId && !this.isAdmin(actorId)) throw new DomainError('inquiry.not_allowed', { folio: i.folio, assignee: i.assigneeId });
  }

  /** Taken: its assignee or an admin. Untaken: anyone who answers the public. */
  private requireHandler(i: Inquiry, actorId: PersonId): void {
    if (i.state === 'taken') return this.requireAssigneeOrAdmin(i, actorId);
    if (!this.d.oncall.isResponder(actorId)) throw new DomainError('inquiry.not_allowed', { folio: i.folio });
  }

  /**
   * One action in one transaction: the current state is read, the decision is written if the
   * version is still the one read, with its audit event and its messages.
   */
  private act(
    id: number,
    actorId: PersonId,
    platform: string,
    decide: (i: Inquiry, now: number) => { next: Inquiry; event: InquiryEventName; data: Record<string, unknown>; effects: Effect[]; escalate?: boolean },
  ): Inquiry {
    const now = this.d.clock.now();
    return this.d.repo.transaction(() => {
      const i = this.get(id);
      const r = decide(i, now);
      const next: Inquiry = { ...r.next, version: i.version + 1, updatedAt: now };
      if (!this.d.repo.updateIfVersion(next, i.version)) throw new DomainError('inquiry.taken', { folio: i.folio, by: null, at: null });
      this.event(i, r.event, actorId, platform, now, r.data);
      // Whoever had it taken hears it from the bot when someone else acts on it.
      if (i.state === 'taken' && i.assigneeId && i.assigneeId !== actorId && (r.event === 'answered' || r.event === 'transferred' || r.event === 'extended' || r.event === 'released')) {
        this.d.enqueue({ type: 'inquiry_notice', to: { person: i.assigneeId }, inquiryId: i.id, actorId, event: r.event }, now);
      }
      // Pages stop at once: the pending steps are cancelled in this transaction.
      if (next.state !== 'open' || r.escalate) this.d.jobs.cancelSubject(subjectOf(i.id), now, `inquiry ${r.event}`);
      this.d.enqueue({ type: 'inquiry_refresh', inquiryId: i.id }, now);
      for (const e of r.effects) this.d.enqueue(e, now);
      if (r.escalate) this.startEscalation(next, now);
      return next;
    });
  }

  private event(i: Inquiry, event: InquiryEventName, actorId: string, platform: string, now: number, data: Record<string, unknown>): void {
    this.d.repo.appendEvent({ inquiryId: i.id, event, actorId, data, platform, at: now });
  }

}

/** Answered by the due date in force. */
export const onTime = (i: Inquiry, answeredDate: LocalDate): boolean | null => {
  const due = dueOf(i);
  return due ? answeredDate <= due : null;
};
