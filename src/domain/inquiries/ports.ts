import type { PersonId } from '../people/types.js';
import type { LocalDate } from '../shared/time.js';
import type { Inquiry, InquiryEvent, InquiryState } from './types.js';

export type NewInquiryRow = Omit<Inquiry, 'id' | 'year' | 'number' | 'folio' | 'version' | 'updatedAt'>;

/** Storage of inquiries, their folios, their audit trail and the messages posted about them. */
export interface InquiryRepository {
  transaction<T>(fn: () => T): T;
  /** A new inquiry with the next folio of `year`. */
  insert(row: NewInquiryRow, year: number): Inquiry;
  get(id: number): Inquiry | null;
  byFolio(year: number, number: number): Inquiry | null;
  /** the newest inquiry with this number, any year */
  latestByNumber(number: number): Inquiry | null;
  /** Writes the new state if the stored version is still `expected`; false otherwise. */
  updateIfVersion(next: Inquiry, expected: number): boolean;
  appendEvent(e: Omit<InquiryEvent, 'id'>): void;
  events(inquiryId: number): InquiryEvent[];
  origin(key: string): { inquiryId: number; request: string } | null;
  recordOrigin(key: string, inquiryId: number, request: string, now: number): void;
  /** open and taken ones, by the due date in force (no due date last), then by folio */
  open(limit: number): { inquiries: Inquiry[]; total: number };
  /** open and taken ones whose due date in force is in [from, to] */
  dueBetween(from: LocalDate, to: LocalDate, limit: number): Inquiry[];
  countDueBetween(from: LocalDate, to: LocalDate): number;
  /** open and taken ones whose due date in force is before `date` */
  overdue(date: LocalDate, limit: number): { inquiries: Inquiry[]; total: number };
  /** nobody has them */
  unassigned(limit: number): { inquiries: Inquiry[]; total: number };
  takenBy(personId: PersonId): Inquiry[];
  /** assignee → ids of the inquiries they have taken and not answered */
  takenIds(): Map<PersonId, number[]>;
  setting(key: string): string | null;
  setSetting(key: string, value: string): void;
  /** open (not taken) inquiries with no pending escalation step */
  withoutPendingPage(): Inquiry[];
  inState(states: readonly InquiryState[]): Inquiry[];
  /** received in [from, to) (epoch ms), oldest first */
  receivedBetween(from: number, to: number): Inquiry[];
  /** closed (answered or transferred) with answered_date in [from, to] */
  closedBetween(from: LocalDate, to: LocalDate): Inquiry[];
  /** events of these inquiries, in order */
  eventsOf(ids: readonly number[]): InquiryEvent[];
}
