import { daysInMonth, type LocalDate } from '../shared/time.js';
import type { BusinessCalendar } from './business-days.js';
import { dueOf, type Inquiry, type InquiryEvent } from './types.js';

/** A month ('2026-10') or a quarter ('2026-T3'), as local dates, both ends included. */
export interface Period {
  kind: 'month' | 'quarter';
  year: number;
  /** month 1–12 or quarter 1–4 */
  n: number;
  from: LocalDate;
  to: LocalDate;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function parsePeriod(s: string): Period | null {
  const t = s.trim().toUpperCase();
  const month = /^(\d{4})-(\d{1,2})$/.exec(t);
  if (month) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    if (m < 1 || m > 12 || y < 2000) return null;
    return { kind: 'month', year: y, n: m, from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(daysInMonth(y, m))}` };
  }
  const quarter = /^(\d{4})-?[TQ]([1-4])$/.exec(t);
  if (quarter) {
    const [y, q] = [Number(quarter[1]), Number(quarter[2])];
    if (y < 2000) return null;
    const last = q * 3;
    return { kind: 'quarter', year: y, n: q, from: `${y}-${pad(last - 2)}-01`, to: `${y}-${pad(last)}-${pad(daysInMonth(y, last))}` };
  }
  return null;
}

/** The figures a transparency report asks for, for one group of inquiries. */
export interface ReportFigures {
  received: number;
  answered: number;
  /** answered with a legal term */
  answeredWithTerm: number;
  /** answered on or before the due date in force (the extended one after a Prórroga) */
  onTime: number;
  /** onTime / answeredWithTerm, 0–100, one decimal; null when none was answered with a term */
  onTimePct: number | null;
  /** answered after the due date in force */
  answeredLate: number;
  /** median business days from the receipt date to the answer; null when none was answered */
  medianDays: number | null;
  extended: number;
  transferred: number;
  /** transferred after the law's term for a transfer (CO: 5 business days) */
  transferredLate: number;
  /** still open with the due date in force before `asOf` */
  overdue: number;
  /** still open (taken or not) */
  open: number;
}

export interface InquiryReport {
  asOf: LocalDate;
  total: ReportFigures;
  byType: [string, ReportFigures][];
  byChannel: [string, ReportFigures][];
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function figures(list: readonly Inquiry[], extendedIds: ReadonlySet<number>, lateTransfers: ReadonlySet<number>, cal: BusinessCalendar, asOf: LocalDate): ReportFigures {
  let answered = 0;
  let answeredWithTerm = 0;
  let onTime = 0;
  let answeredLate = 0;
  let extended = 0;
  let transferred = 0;
  let transferredLate = 0;
  let overdue = 0;
  let open = 0;
  const days: number[] = [];
  for (const i of list) {
    const due = dueOf(i);
    if (i.extendedDueDate || extendedIds.has(i.id)) extended++;
    if (i.state === 'transferred') {
      transferred++;
      if (lateTransfers.has(i.id)) transferredLate++;
    }
    if (i.state === 'answered') {
      answered++;
      const on = i.answeredDate ?? asOf;
      days.push(Math.max(0, cal.businessDaysBetween(i.receiptDate, on)));
      if (due) {
        answeredWithTerm++;
        if (on <= due) onTime++;
        else answeredLate++;
      }
    }
    if (i.state === 'open' || i.state === 'taken') {
      open++;
      if (due && due < asOf) overdue++;
    }
  }
  const m = median(days);
  return {
    received: list.length,
    answered,
    answeredWithTerm,
    onTime,
    onTimePct: answeredWithTerm ? Math.round((onTime / answeredWithTerm) * 1000) / 10 : null,
    answeredLate,
    medianDays: m,
    extended,
    transferred,
    transferredLate,
    overdue,
    open,
  };
}

function grouped(list: readonly Inquiry[], key: (i: Inquiry) => string, extendedIds: ReadonlySet<number>, lateTransfers: ReadonlySet<number>, cal: BusinessCalendar, asOf: LocalDate): [string, ReportFigures][] {
  const groups = new Map<string, Inquiry[]>();
  for (const i of list) groups.set(key(i), [...(groups.get(key(i)) ?? []), i]);
  return [...groups].map(([k, v]) => [k, figures(v, extendedIds, lateTransfers, cal, asOf)] as [string, ReportFigures]).sort((a, b) => b[1].received - a[1].received || (a[0] < b[0] ? -1 : 1));
}

/** The report of the inquiries received in a period, as things stand on `asOf`. */
export function inquiryReport(inquiries: readonly Inquiry[], events: readonly InquiryEvent[], cal: BusinessCalendar, asOf: LocalDate): InquiryReport {
  const extendedIds = new Set(events.filter((e) => e.event === 'extended').map((e) => e.inquiryId));
  const lateTransfers = new Set(events.filter((e) => e.event === 'transferred' && e.data.onTime === false).map((e) => e.inquiryId));
  return {
    asOf,
    total: figures(inquiries, extendedIds, lateTransfers, cal, asOf),
    byType: grouped(inquiries, (i) => i.type, extendedIds, lateTransfers, cal, asOf),
    byChannel: grouped(inquiries, (i) => i.channel, extendedIds, lateTransfers, cal, asOf),
  };
}
