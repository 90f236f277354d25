// Per-function and per-locale entry points: see views/format.ts.
import { formatDistanceStrict } from 'date-fns/formatDistanceStrict';
import { enUS } from 'date-fns/locale/en-US';
import { es as esLocale } from 'date-fns/locale/es';
import type { Piece } from '../domain/approvals/types.js';
import type { AgendaDay } from '../domain/calendar/agenda.js';
import type { DigestData } from '../domain/calendar/digest.js';
import type { CalendarEntry, Occurrence } from '../domain/calendar/types.js';
import { localToEpoch, type LocalDate } from '../domain/shared/time.js';
import { formatDateTime, truncate, type Fmt } from './format.js';
import { CAL_ACTION, encodeEntryRef } from './ids.js';
import type { CardView, ListView, Rich } from './model.js';
import { plannedText } from './piece-views.js';

/** «lunes 7 de diciembre» for a local date. */
export const dayLabel = (f: Fmt, date: LocalDate): string => formatDateTime(f, localToEpoch(date, null, f.tz)!, false);

export function occurrenceWhen(f: Fmt, o: Pick<Occurrence, 'date' | 'time'>): string {
  return o.time ? formatDateTime(f, localToEpoch(o.date, o.time, f.tz)!) : `${dayLabel(f, o.date)} (${f.m.cal.allDay})`;
}

const occurrenceItem = (f: Fmt, o: Occurrence): Rich => {
  const line: Rich = [`${o.time ?? f.m.cal.allDay} · ${f.m.cal.kind[o.kind]} · `, { b: truncate(o.title, 120) }, ` · #${o.entryId}`];
  if (o.ownerId) line.push(' · ', { user: o.ownerId });
  return line;
};

const pieceAgendaItem = (f: Fmt, p: Piece): Rich => {
  const time = p.plannedHasTime && p.plannedAt !== null ? formatDateTime(f, p.plannedAt).split(', ').at(-1)! : f.m.cal.allDay;
  return [`${time} · ${f.m.cal.piece} #${p.id} `, { b: truncate(p.title, 120) }, ` · ${f.m.stage[p.stage]} · `, { user: p.authorId }];
};

/** Days as headings, entries and planned pieces in time order, days without anything left out. */
export function agendaList(f: Fmt, title: string, days: AgendaDay[]): ListView {
  const sections = days
    .filter((d) => d.occurrences.length || d.pieces.length)
    .map((d) => {
      const timed = [
        ...d.occurrences.map((o) => ({ at: o.time ? o.startsAt : -1, item: occurrenceItem(f, o) })),
        ...d.pieces.map((p) => ({ at: p.plannedHasTime ? p.plannedAt! : -1, item: pieceAgendaItem(f, p) })),
      ].sort((a, b) => a.at - b.at);
      return { heading: dayLabel(f, d.date), items: timed.map((t) => t.item) };
    });
  return { title, sections, empty: f.m.cal.view.empty };
}

export function describeRecurrence(f: Fmt, e: CalendarEntry): string {
  const c = f.m.cal;
  const r = e.recurrence;
  let text = c.recurrence[r.freq];
  if (r.freq === 'weekly') text += `: ${r.weekdays.map((d) => c.weekdays[d - 1]).join(', ')}`;
  if (r.freq !== 'none' && e.untilDate) text += `, ${c.until} ${dayLabel(f, e.untilDate)}`;
  return text;
}

/** `/calendario 45`: the entry with Editar and Borrar. */
export function entryCard(f: Fmt, e: CalendarEntry, next: Occurrence | null, canEdit: boolean): CardView {
  const c = f.m.cal;
  const fields: CardView['fields'] = [
    { label: c.form.kind, value: [c.kind[e.kind]] },
    { label: e.recurrence.freq === 'none' ? c.form.date : c.next, value: [next ? occurrenceWhen(f, next) : '—'] },
    { label: c.owner, value: e.ownerId ? [{ user: e.ownerId }] : ['—'] },
    { label: c.form.recurrence, value: [describeRecurrence(f, e)] },
    { label: c.form.reminders, value: [e.reminders.map((r) => c.reminder[r]).join(', ') || '—'] },
  ];
  const ref = encodeEntryRef({ e: e.id, d: next?.occurrenceDate ?? e.startDate, v: e.version });
  return {
    header: truncate(`#${e.id} ${e.title}`, 150),
    fields,
    body: e.notes ? [e.notes] : undefined,
    context: [],
    actions: canEdit
      ? [
          { id: CAL_ACTION.edit, label: c.edit, value: ref },
          { id: CAL_ACTION.remove, label: c.form.delete, value: ref, style: 'danger' },
        ]
      : [],
    fallback: `#${e.id} ${e.title}`,
  };
}

export function reminderCard(f: Fmt, e: CalendarEntry, o: Occurrence, late: boolean): CardView {
  const c = f.m.cal;
  const when = occurrenceWhen(f, o);
  return {
    header: truncate(`#${e.id} ${o.title}`, 150),
    body: [c.reminderText(o.title, when)],
    fields: [
      { label: c.form.kind, value: [c.kind[e.kind]] },
      { label: c.owner, value: e.ownerId ? [{ user: e.ownerId }] : ['—'] },
    ],
    context: late ? [[c.late]] : [],
    actions: [],
    fallback: c.reminderText(o.title, when),
  };
}

export function pieceAlertCard(f: Fmt, p: Piece, late: boolean): CardView {
  const text = f.m.cal.pieceAlert(p.id, p.title, f.m.stage[p.stage]);
  return {
    header: truncate(`#${p.id} ${p.title}`, 150),
    body: [text],
    fields: [
      { label: f.m.card.planned, value: [plannedText(f, p)] },
      { label: f.m.card.author, value: [{ user: p.authorId }] },
      { label: f.m.card.stage, value: [{ b: f.m.stage[p.stage] }] },
    ],
    context: late ? [[f.m.cal.late]] : [],
    actions: [],
    fallback: text,
  };
}

/** How many waiting pieces a digest lists before pointing to /pieza pendientes. */
export const DIGEST_WAITING_SHOWN = 20;
const DIGEST_DUE_SHOWN = 15;

export function digestList(f: Fmt, d: DigestData, late: boolean): ListView {
  const c = f.m.cal.digest;
  const locale = f.locale === 'es' ? esLocale : enUS;
  const sections: ListView['sections'] = [];
  const today = d.today.occurrences.length || d.today.pieces.length ? agendaList(f, '', [d.today]).sections[0] : undefined;
  if (today) sections.push({ heading: c.today, items: today.items });
  if (d.dueSoon.length) {
    sections.push({
      heading: c.dueSoon,
      items: d.dueSoon.slice(0, DIGEST_DUE_SHOWN).map((p) => [{ b: `#${p.id}` }, ` ${truncate(p.title, 100)} · ${plannedText(f, p)} · ${f.m.stage[p.stage]} · `, { user: p.authorId }]),
      ...(d.dueSoon.length > DIGEST_DUE_SHOWN ? { more: c.more(d.dueSoon.length - DIGEST_DUE_SHOWN) } : {}),
    });
  }
  if (d.waiting.length) {
    sections.push({
      heading: c.waiting,
      items: d.waiting.map((p) => [
        `${f.m.stage[p.stage]} · `,
        { b: `#${p.id}` },
        ` ${truncate(p.title, 100)} · ${c.waited(formatDistanceStrict(p.updatedAt, d.now, { locale }))}`,
      ]),
      ...(d.waitingTotal > d.waiting.length ? { more: c.more(d.waitingTotal - d.waiting.length) } : {}),
    });
  }
  if (d.publishedYesterday.length) {
    sections.push({
      heading: c.published,
      items: d.publishedYesterday.map((p) => [{ b: `#${p.id}` }, ` ${truncate(p.title, 100)} · `, ...(p.publishedUrl ? [{ link: p.publishedUrl }] : [])]),
    });
  }
  return { title: c.title(dayLabel(f, d.date)), ...(late ? { note: f.m.cal.late } : {}), sections, empty: c.nothing };
}
