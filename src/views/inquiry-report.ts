import type { InquiryReport, Period, ReportFigures } from '../domain/inquiries/report.js';
import type { Inquiry } from '../domain/inquiries/types.js';
import { localToEpoch } from '../domain/shared/time.js';
import type { Fmt } from './format.js';
import { dayText } from './inquiry-views.js';
import type { ListView, Rich } from './model.js';

/** «octubre de 2026» or «3.º trimestre de 2026». */
export function periodLabel(f: Fmt, p: Period): string {
  if (p.kind === 'quarter') return f.m.inq.report.quarter(p.n, p.year);
  const ms = localToEpoch(p.from, '12:00', f.tz)!;
  return new Intl.DateTimeFormat(f.locale === 'es' ? 'es' : 'en', { month: 'long', year: 'numeric', timeZone: f.tz }).format(ms);
}

function num(f: Fmt, n: number, digits = 1): string {
  return new Intl.NumberFormat(f.numberLocale, { maximumFractionDigits: digits }).format(n);
}

function line(f: Fmt, label: string, r: ReportFigures): Rich {
  const t = f.m.inq.report;
  return [
    t.line(label, {
      received: r.received,
      answered: r.answered,
      onTime: r.onTimePct === null ? t.none : `${r.onTime} (${num(f, r.onTimePct)} %)`,
      median: r.medianDays === null ? t.none : t.medianDays(num(f, r.medianDays)),
      extended: r.extended,
      transferred: r.transferred,
      transferredLate: r.transferredLate,
      overdue: r.overdue,
    }),
  ];
}

/** `/consulta informe`: the totals, then by type and by channel. */
export function reportList(f: Fmt, r: InquiryReport, p: Period): ListView {
  const q = f.m.inq;
  const t = q.report;
  const title = t.title(periodLabel(f, p));
  if (!r.total.received) return { title, sections: [], empty: t.empty };
  return {
    title,
    note: t.note(dayText(f, p.from), dayText(f, p.to)),
    sections: [
      { items: [line(f, t.total, r.total)] },
      { heading: t.byType, items: r.byType.map(([k, v]) => line(f, q.type[k as Inquiry['type']] ?? k, v)) },
      { heading: t.byChannel, items: r.byChannel.map(([k, v]) => line(f, q.channel[k as Inquiry['channel']] ?? k, v)) },
    ],
    empty: t.empty,
  };
}
