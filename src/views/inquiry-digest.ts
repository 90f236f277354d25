import type { InquiryService } from '../domain/inquiries/service.js';
import type { LocalDate } from '../domain/shared/time.js';
import type { Fmt } from './format.js';
import { inquiryItem } from './inquiry-views.js';
import type { Rich } from './model.js';

const SHOWN = 5;

/** The digest's inquiry section: due today, overdue, not taken — counts and the first few. */
export function inquiryDigestLines(f: Fmt, inquiries: InquiryService, date: LocalDate): Rich[] {
  const q = f.m.inq;
  const lines: Rich[] = [];
  const dueToday = inquiries.dueOn(date, SHOWN + 1);
  const overdue = inquiries.overdue(date, SHOWN);
  const unassigned = inquiries.unassigned(SHOWN);
  const left = (i: Parameters<typeof inquiryItem>[1]) => inquiries.daysLeft(i, date);
  if (dueToday.length) lines.push([{ b: q.digestDueToday(dueToday.length > SHOWN ? inquiries.dueBetween(date, date).length : dueToday.length) }], ...dueToday.slice(0, SHOWN).map((i) => inquiryItem(f, i, left(i))));
  if (overdue.total) lines.push([{ b: q.digestOverdue(overdue.total) }], ...overdue.inquiries.map((i) => inquiryItem(f, i, left(i))));
  if (unassigned.total) lines.push([{ b: q.digestUnassigned(unassigned.total) }], ...unassigned.inquiries.map((i) => inquiryItem(f, i, left(i))));
  if (lines.length) lines.push(q.digestMore());
  return lines;
}
