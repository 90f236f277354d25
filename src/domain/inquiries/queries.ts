import type { RoleDirectory } from '../approvals/ports.js';
import type { PersonId } from '../people/types.js';
import type { Clock } from '../shared/clock.js';
import type { Effect } from '../shared/effects.js';
import { DomainError } from '../shared/errors.js';
import type { JobsPort } from '../shared/jobs.js';
import { localDateOf, type LocalDate } from '../shared/time.js';
import type { BusinessCalendar } from './business-days.js';
import type { OnCallView } from './escalation.js';
import type { LegalTable } from './legal-terms.js';
import type { InquiryRepository } from './ports.js';
import { dueOf, parseFolio, type EscalationPolicy, type Inquiry, type InquiryEvent } from './types.js';

export interface InquiryDeps {
  repo: InquiryRepository;
  jobs: JobsPort;
  roles: RoleDirectory;
  clock: Clock;
  tz: string;
  enqueue: (effect: Effect, now: number) => void;
  calendar: BusinessCalendar;
  legal: LegalTable;
  /** INQUIRY_ACK_MINUTES / INQUIRY_REPEAT_MINUTES now: kept with each inquiry that opens */
  policy: EscalationPolicy;
  oncall: OnCallView & { isResponder(personId: PersonId): boolean };
  /** some surface has an inquiry channel (its card is posted there) */
  inquiryPlace: boolean;
}

/**
 * The read side of inquiries: finding one, who may see what, the lists, the business days left.
 * InquiryService adds the actions; the views and the morning job only read.
 */
export class InquiryQueries {
  constructor(protected readonly d: InquiryDeps) {}

  get calendar(): BusinessCalendar {
    return this.d.calendar;
  }

  get legal(): LegalTable {
    return this.d.legal;
  }

  today(now = this.d.clock.now()): LocalDate {
    return localDateOf(now, this.d.tz);
  }

  /** The inquiry registered under an origin key (a Slack message, an API Idempotency-Key), if any. */
  byOrigin(key: string): Inquiry | null {
    const seen = this.d.repo.origin(key);
    return seen ? this.d.repo.get(seen.inquiryId) : null;
  }

  /** An inquiry by what people type: «CONS-2026-0042», «2026-42», «42» (this year, else the latest with that number). */
  find(ref: string): Inquiry | null {
    const f = parseFolio(ref);
    if (!f) return null;
    if (f.year !== null) return this.d.repo.byFolio(f.year, f.number);
    return this.d.repo.byFolio(Number(this.today().slice(0, 4)), f.number) ?? this.d.repo.latestByNumber(f.number);
  }

  get(id: number): Inquiry {
    const i = this.d.repo.get(id);
    if (!i) throw new DomainError('inquiry.not_found', { ref: String(id) });
    return i;
  }

  getById(id: number): Inquiry | null {
    return this.d.repo.get(id);
  }

  history(id: number): { inquiry: Inquiry; events: InquiryEvent[] } {
    return { inquiry: this.get(id), events: this.d.repo.events(id) };
  }

  /** May this person see the requester's personal data? The assignee and the admins. */
  maySeePersonalData(i: Inquiry, personId: PersonId): boolean {
    return i.assigneeId === personId || this.isAdmin(personId);
  }

  mayRespond(personId: PersonId): boolean {
    return this.d.oncall.isResponder(personId);
  }

  protected isAdmin(personId: PersonId): boolean {
    return this.d.roles.usersWith('admin').includes(personId);
  }

  /** Tomar: exactly once; a second one is told who took it first. */
  // ── lists ──

  open(limit = 50) {
    return this.d.repo.open(limit);
  }

  /** Open ones due within `days` business days (overdue ones included first). */
  dueWithin(days: number, limit = 50): { inquiries: Inquiry[]; total: number } {
    const today = this.today();
    const until = this.d.calendar.addBusinessDays(today, days);
    const overdue = this.d.repo.overdue(today, limit);
    const due = this.d.repo.dueBetween(today, until, limit);
    return { inquiries: [...overdue.inquiries, ...due].slice(0, limit), total: overdue.total + this.d.repo.countDueBetween(today, until) };
  }

  overdue(date: LocalDate, limit = 50) {
    return this.d.repo.overdue(date, limit);
  }

  unassigned(limit = 50) {
    return this.d.repo.unassigned(limit);
  }

  dueOn(date: LocalDate, limit = 50): Inquiry[] {
    return this.d.repo.dueBetween(date, date, limit);
  }

  takenBy(personId: PersonId): Inquiry[] {
    return this.d.repo.takenBy(personId);
  }

  takenIds(): Map<PersonId, number[]> {
    return this.d.repo.takenIds();
  }

  /** Every open inquiry due in [from, to] (no limit: the morning warnings need them all). */
  dueBetween(from: LocalDate, to: LocalDate): Inquiry[] {
    return this.d.repo.dueBetween(from, to, 1_000_000);
  }

  /** Received in [from, to) with their events, for reports and the export. */
  receivedBetween(from: number, to: number): { inquiries: Inquiry[]; events: InquiryEvent[] } {
    const inquiries = this.d.repo.receivedBetween(from, to);
    return { inquiries, events: this.d.repo.eventsOf(inquiries.map((i) => i.id)) };
  }

  closedBetween(from: LocalDate, to: LocalDate): Inquiry[] {
    return this.d.repo.closedBetween(from, to);
  }

  /** Business days left to the due date in force (negative: overdue); null without a term. */
  daysLeft(i: Inquiry, today = this.today()): number | null {
    const due = dueOf(i);
    return due ? this.d.calendar.businessDaysBetween(today, due) : null;
  }
}
