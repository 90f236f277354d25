import type { InquiryService } from '../domain/inquiries/service.js';
import { inquiryReport, parsePeriod } from '../domain/inquiries/report.js';
import { addDays, localToEpoch } from '../domain/shared/time.js';
import type { Fmt } from './format.js';
import { reportList } from './inquiry-report.js';
import type { ListView } from './model.js';

/** `/consulta informe 2026-10` or `2026-T3`: the figures of the inquiries received in the period; null for a period it cannot read. */
export function inquiryReportView(f: Fmt, inquiries: InquiryService, arg: string): ListView | null {
  const p = parsePeriod(arg);
  if (!p) return null;
  const from = localToEpoch(p.from, null, f.tz)!;
  const to = localToEpoch(addDays(p.to, 1), null, f.tz)!;
  const { inquiries: list, events } = inquiries.receivedBetween(from, to);
  return reportList(f, inquiryReport(list, events, inquiries.calendar, inquiries.today()), p);
}
