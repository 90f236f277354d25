import type { RoleDirectory } from '../approvals/ports.js';
import type { PersonId } from '../people/types.js';
import type { Effect } from '../shared/effects.js';
import type { JobKind, PlannedJob } from '../shared/jobs.js';
import { addDays, localDateOf, localToEpoch } from '../shared/time.js';
import type { OnCallView } from './escalation.js';
import { PAGE_KIND, type InquiryService } from './service.js';
import { dueOf } from './types.js';

export const DAILY_KIND = 'inquiry.daily';
const DAY_MS = 86_400_000;
/** Warnings go out this many business days before the due date (0: on the day). */
export const WARN_DAYS: readonly number[] = [5, 2, 1, 0];
/** From this many business days left, the admins are warned too. */
const ADMINS_FROM = 1;

/**
 * Escalation steps: durable rows written when an inquiry opens (and by each step for the next),
 * never planned by a horizon. Never too late: a step missed while the bot was down still pages.
 */
export function pageKind(d: { inquiries: InquiryService; log?: { error(o: object, msg: string): void } }): JobKind {
  return {
    kind: PAGE_KIND,
    horizonMs: 0,
    plannedWith: 'v1',
    graceMs: null,
    fire: (row, ctx) => {
      try {
        return d.inquiries.fireStep(row.payload, ctx);
      } catch (e) {
        // A step that cannot fire now is tried again in a minute, never dropped: an inquiry nobody
        // took must keep paging. (The scheduler logs nothing here: say it.)
        d.log?.error({ err: e, jobId: row.id, payload: row.payload }, 'escalation step failed; retrying in a minute');
        return { rescheduleAt: ctx.now + 60_000 };
      }
    },
  };
}

export interface DailySettings {
  tz: string;
  tzData: string;
  /** the local time of the morning warnings (office opening, 09:00 by default) */
  time: string;
  graceMs: number;
  /** changes when the legal calendar (country, region, closed days) changes */
  calendarKey: string;
}

/**
 * Each business morning: warnings 5, 2 and 1 business days before the due date and on the day (to
 * the assignee, or whoever is on call; the admins too from T-1), the overdue list to the admins,
 * and a reminder to each person of what they took and have not answered.
 */
export function dailyKind(d: { inquiries: InquiryService; roles: RoleDirectory; oncall: OnCallView; settings: DailySettings; log?: { error(o: object, msg: string): void } }): JobKind {
  const s = d.settings;
  return {
    kind: DAILY_KIND,
    horizonMs: 2 * DAY_MS,
    plannedWith: `${s.tz}|${s.tzData}|${s.time}|${s.calendarKey}`,
    graceMs: s.graceMs,
    plan(from, to) {
      const rows: PlannedJob[] = [];
      for (let day = localDateOf(from, s.tz); ; day = addDays(day, 1)) {
        const dueAt = localToEpoch(day, s.time, s.tz) ?? localToEpoch(day, null, s.tz)!;
        if (dueAt > to) break;
        if (dueAt > from && d.inquiries.calendar.isBusinessDay(day)) rows.push({ kind: DAILY_KIND, key: `${DAILY_KIND}:${day}`, payload: { date: day }, dueAt });
      }
      return { rows, next: null };
    },
    fire(row, { now }) {
      const date = String(row.payload.date ?? localDateOf(row.dueAt, s.tz));
      if (!d.inquiries.calendar.isBusinessDay(date)) return { cancel: 'not a business day' };
      try {
        d.inquiries.reviveEscalations(now);
      } catch (e) {
        // The morning's warnings go out even if this check fails (it runs again at the next start).
        d.log?.error({ err: e }, 'could not check the inquiries for a pending escalation step');
      }
      return { effects: morningEffects(d, date, now) };
    },
  };
}

function morningEffects(d: { inquiries: InquiryService; roles: RoleDirectory; oncall: OnCallView }, date: string, now: number): Effect[] {
  const admins = d.roles.usersWith('admin');
  const effects: Effect[] = [];
  const warned = new Map<PersonId, number[]>();
  const horizon = d.inquiries.calendar.addBusinessDays(date, Math.max(...WARN_DAYS));
  for (const i of listDue(d.inquiries, date, horizon)) {
    const left = d.inquiries.daysLeft(i, date);
    if (left === null || !WARN_DAYS.includes(left)) continue;
    const to = new Set<PersonId>();
    const first = i.assigneeId ?? d.oncall.onCallAt(now);
    if (first) to.add(first);
    if (left <= ADMINS_FROM || to.size === 0) admins.forEach((a) => to.add(a));
    for (const person of to) {
      effects.push({ type: 'inquiry_warning', to: { person }, inquiryId: i.id, daysLeft: left, date });
      warned.set(person, [...(warned.get(person) ?? []), i.id]);
    }
  }
  if (d.inquiries.overdue(date, 1).total > 0) for (const person of admins) effects.push({ type: 'inquiry_overdue', to: { person }, date });
  for (const [person, ids] of d.inquiries.takenIds()) {
    const except = warned.get(person) ?? [];
    // Overdue ones reach the assignee here too (the admins have their own list).
    if (ids.some((id) => !except.includes(id))) effects.push({ type: 'inquiry_reminder', to: { person }, date, except });
  }
  return effects;
}

/** Open inquiries whose due date in force is in [date, horizon]. */
function listDue(inquiries: InquiryService, date: string, horizon: string) {
  return inquiries.dueBetween(date, horizon).filter((i) => dueOf(i) !== null);
}
