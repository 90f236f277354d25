import type { RoleDirectory } from '../approvals/ports.js';
import { isPerson, type Address } from '../people/types.js';
import type { Effect } from '../shared/effects.js';
import type { CalendarEntry } from './types.js';
import type { FireResult, JobKind, JobRow, PlannedJob } from '../shared/jobs.js';
import { addDays, isoWeekday, localDateOf, localToEpoch, type LocalDate } from '../shared/time.js';
import { entryReminderRows, HORIZON_DAYS, REMINDER_KIND, type ReminderPayload } from './plan.js';
import type { CalendarRepository, DigestSubscriptions } from './ports.js';
import { reminderTimes } from './recurrence.js';
import type { CalendarService } from './service.js';

const DAY_MS = 86_400_000;
/** Entries read per page while planning; each slice stops earlier when its time is up. */
const PAGE = 100;

export interface CalendarJobSettings {
  tz: string;
  /** the time-zone data the runtime carries (a data update can move local times) */
  tzData: string;
  graceMs: number;
  /** some surface has a calendar channel («calendar» place) */
  calendarPlace: boolean;
}

/** Calendar reminders: planned when an entry is written, and by the horizon as days pass. */
export function calendarReminderKind(d: { calendar: CalendarService; entries: CalendarRepository; roles: RoleDirectory; settings: CalendarJobSettings }): JobKind {
  const s = d.settings;
  return {
    kind: REMINDER_KIND,
    horizonMs: HORIZON_DAYS * DAY_MS,
    plannedWith: `${s.tz}|${s.tzData}`,
    graceMs: s.graceMs,
    plan(from, to, cursor, more) {
      const rows: PlannedJob[] = [];
      // Occurrences up to a week after the window have reminders inside it.
      const [first, last] = [localDateOf(from, s.tz), addDays(localDateOf(to, s.tz), 7)];
      let after = cursor === null ? 0 : Number(cursor);
      for (;;) {
        const page = d.entries.activePage(first, last, after, PAGE);
        if (page.length === 0) return { rows, next: null };
        const ex = d.entries.exceptionsFor(page.map((e) => e.id));
        for (const e of page) {
          rows.push(...entryReminderRows(e, ex, from, to, s.tz));
          after = e.id;
          if (!more()) return { rows, next: String(after) };
        }
      }
    },
    fire(row, { now, late }) {
      const p = row.payload as unknown as ReminderPayload;
      const entry = d.entries.get(p.entryId);
      if (!entry) return { cancel: 'entry deleted' };
      if (entry.updatedAt !== p.v) return { cancel: 'entry changed' };
      const occ = d.calendar.occurrencesOfEntry(entry, p.occurrenceDate);
      if (!occ) return { cancel: 'occurrence removed' };
      const r = reminderTimes(occ, entry.reminders, s.tz).find((x) => x.code === p.code);
      if (!r) return { cancel: 'reminder removed' };
      // Time-zone data moved the local time: still wanted, at the new instant.
      if (r.dueAt !== row.dueAt && r.dueAt > now) return { rescheduleAt: r.dueAt };
      const effects: Effect[] = reminderRecipients(entry, s.calendarPlace, d.roles).map((to) => ({ type: 'calendar_reminder', to, entryId: entry.id, occurrenceDate: p.occurrenceDate, late }));
      return effects.length ? { effects } : { cancel: 'nobody to remind' };
    },
  };
}

/**
 * Who is reminded of an entry: its owner, or else the person who created it (a process, such as
 * the CSV import, is never messaged); the calendar channel too when there is one; and when that
 * leaves nobody, the admins — a reminder is never sent into the void.
 */
export function reminderRecipients(entry: Pick<CalendarEntry, 'ownerId' | 'createdBy'>, calendarPlace: boolean, roles: RoleDirectory): Address[] {
  const person = entry.ownerId ?? (isPerson(entry.createdBy) ? entry.createdBy : null);
  const to: Address[] = person ? [{ person }] : [];
  if (calendarPlace) to.push({ place: 'calendar' });
  if (to.length === 0) for (const a of roles.usersWith('admin')) to.push({ person: a });
  return to;
}

export interface DigestJobSettings {
  tz: string;
  tzData: string;
  graceMs: number;
  /** some surface has a digest channel («digest» place) */
  digestPlace: boolean;
  digestTime: string;
  digestDays: readonly number[];
}

export const DIGEST_KIND = 'digest.daily';

/** The daily digest: one row per digest day; a change of time, days or zone re-plans them. */
export function digestKind(d: { subscriptions: DigestSubscriptions; settings: DigestJobSettings }): JobKind {
  const s = d.settings;
  const dueOf = (date: LocalDate) => localToEpoch(date, s.digestTime, s.tz)!;
  return {
    kind: DIGEST_KIND,
    horizonMs: 8 * DAY_MS,
    plannedWith: `${s.tz}|${s.tzData}|${s.digestTime}|${s.digestDays.join(',')}`,
    graceMs: s.graceMs,
    plan(from, to) {
      const rows: PlannedJob[] = [];
      for (let date = localDateOf(from, s.tz); date <= localDateOf(to, s.tz); date = addDays(date, 1)) {
        const dueAt = dueOf(date);
        if (s.digestDays.includes(isoWeekday(date)) && dueAt > from && dueAt <= to) rows.push({ kind: DIGEST_KIND, key: `digest:${date}`, payload: { date }, dueAt });
      }
      return { rows, next: null };
    },
    fire(row: JobRow, { late }): FireResult {
      const date = String(row.payload.date);
      if (!s.digestDays.includes(isoWeekday(date)) || dueOf(date) !== row.dueAt) return { cancel: 'digest settings changed' };
      const effects: Effect[] = [];
      if (s.digestPlace) effects.push({ type: 'digest', to: { place: 'digest' }, date, personal: false, late });
      for (const u of d.subscriptions.subscribers()) effects.push({ type: 'digest', to: { person: u }, date, personal: true, late });
      return effects.length ? { effects } : { cancel: 'nobody to send it to' };
    },
  };
}
