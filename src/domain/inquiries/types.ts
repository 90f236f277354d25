import type { PersonId } from '../people/types.js';
import type { LocalDate } from '../shared/time.js';
import type { InquiryType, LegalTerm } from './legal-terms.js';

export type { InquiryType, LegalTerm };

/** Where a request from the public came in. */
export const INQUIRY_CHANNELS = ['x', 'facebook', 'instagram', 'tiktok', 'whatsapp', 'correo', 'web', 'telefono', 'presencial'] as const;
export type InquiryChannel = (typeof INQUIRY_CHANNELS)[number];

/** open: nobody has it (pages go out) · taken: someone answers it · answered / transferred: closed. */
export type InquiryState = 'open' | 'taken' | 'answered' | 'transferred';
export const OPEN_STATES: readonly InquiryState[] = ['open', 'taken'];

/** How pages escalate; kept with each inquiry as it was when the inquiry opened. */
export interface EscalationPolicy {
  ackMinutes: number;
  repeatMinutes: number;
}

export interface Requester {
  name: string | null;
  contact: string | null;
}

export interface Inquiry {
  id: number;
  year: number;
  number: number;
  folio: string;
  channel: InquiryChannel;
  type: InquiryType;
  /** personal data: only for the assignee and admins */
  requester: Requester;
  text: string;
  sourceLink: string | null;
  receivedAt: number;
  /** the business day it counts as received (after hours or on a closed day: the next one) */
  receiptDate: LocalDate;
  dueDate: LocalDate | null;
  extendedDueDate: LocalDate | null;
  term: LegalTerm | null;
  policy: EscalationPolicy;
  state: InquiryState;
  assigneeId: PersonId | null;
  takenAt: number | null;
  closedAt: number | null;
  answeredDate: LocalDate | null;
  /** bumped each time it goes back into escalation, so the pages of an earlier round stop */
  round: number;
  version: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export type InquiryEventName = 'registered' | 'taken' | 'released' | 'answered' | 'extended' | 'transferred' | 'returned' | 'due_changed';

export interface InquiryEvent {
  id: number;
  inquiryId: number;
  event: InquiryEventName;
  actorId: string;
  data: Record<string, unknown>;
  platform: string;
  at: number;
}

export const folioOf = (year: number, number: number): string => `CONS-${year}-${String(number).padStart(4, '0')}`;

/** «CONS-2026-0042», «2026-42», «42» (this year) → { year?, number }. */
export function parseFolio(s: string): { year: number | null; number: number } | null {
  const t = s.trim().toUpperCase();
  const full = /^(?:CONS-)?(\d{4})-0*(\d{1,6})$/.exec(t);
  if (full) return { year: Number(full[1]), number: Number(full[2]) };
  const short = /^#?0*(\d{1,6})$/.exec(t);
  return short ? { year: null, number: Number(short[1]) } : null;
}

/** The due date in force: the extended one once there is an extension. */
export const dueOf = (i: Pick<Inquiry, 'dueDate' | 'extendedDueDate'>): LocalDate | null => i.extendedDueDate ?? i.dueDate;
