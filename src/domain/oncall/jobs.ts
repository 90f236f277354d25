import type { Effect } from '../shared/effects.js';
import type { JobKind } from '../shared/jobs.js';
import { HANDOFF_KIND, type OnCallService } from './service.js';

const DAY_MS = 86_400_000;

export interface HandoffSettings {
  tz: string;
  tzData: string;
  /** ONCALL_HANDOFF as configured */
  handoff: string;
  graceMs: number;
  /** some surface has an inquiry channel */
  inquiryPlace: boolean;
}

/** At each hand-off the incoming person gets a DM and the inquiry channel a note. */
export function handoffKind(d: { oncall: OnCallService; settings: HandoffSettings }): JobKind {
  const s = d.settings;
  return {
    kind: HANDOFF_KIND,
    horizonMs: 8 * DAY_MS,
    plannedWith: `${s.tz}|${s.tzData}|${s.handoff}|${s.inquiryPlace}`,
    graceMs: s.graceMs,
    plan(from, to) {
      return { rows: d.oncall.handoffRows(from, to), next: null };
    },
    fire(row) {
      if (row.payload.version !== d.oncall.version()) return { cancel: 'on-call schedule changed' };
      const shift = d.oncall.shiftAt(row.dueAt);
      const personId = String(row.payload.personId);
      if (!shift || shift.personId !== personId) return { cancel: 'someone else is on call' };
      const effects: Effect[] = [{ type: 'oncall_handoff', to: { person: personId }, personId, start: shift.start, end: shift.end }];
      if (s.inquiryPlace) effects.push({ type: 'oncall_handoff', to: { place: 'inquiries' }, personId, start: shift.start, end: shift.end });
      return { effects };
    },
  };
}
