import type { PersonId } from '../people/types.js';
import { addDays, daysBetween, isLocalDate, isoWeekday, isTime, localDateOf, localToEpoch, type LocalDate } from '../shared/time.js';

/**
 * Who is on call at an instant: a weekly rotation handing off at a local weekday and time, and
 * overrides («cubrir») that give whole days to someone else. Pure: the same rotation, overrides
 * and instant always give the same person. Hand-offs are computed on the local calendar
 * (anchor + 7k days at the hand-off time), so a daylight-saving change moves no hand-off.
 */
export interface Handoff {
  /** ISO weekday: 1 Monday … 7 Sunday */
  weekday: number;
  /** local 'HH:MM' */
  time: string;
}

export interface Rotation {
  people: readonly PersonId[];
  /** a hand-off date: people[0] was on call from this date's hand-off time */
  anchor: LocalDate;
}

export interface Override {
  id: number;
  personId: PersonId;
  /** whole days: from 00:00 of `from` to 00:00 of the day after `to`; the most recent (highest id) wins */
  from: LocalDate;
  to: LocalDate;
}

export interface Shift {
  personId: PersonId;
  start: number;
  end: number;
  source: 'rotation' | 'override';
  overrideId: number | null;
}

const DAYS: Record<string, number> = {
  lun: 1, lunes: 1, mon: 1, monday: 1,
  mar: 2, martes: 2, tue: 2, tuesday: 2,
  mie: 3, miercoles: 3, wed: 3, wednesday: 3,
  jue: 4, jueves: 4, thu: 4, thursday: 4,
  vie: 5, viernes: 5, fri: 5, friday: 5,
  sab: 6, sabado: 6, sat: 6, saturday: 6,
  dom: 7, domingo: 7, sun: 7, sunday: 7,
};

/** 'lun 09:00', 'lunes 9:00', 'mié' (09:00), 'mon 09:00'; null when it is not a weekday and a time. */
export function parseHandoff(s: string): Handoff | null {
  const m = /^([\p{L}.]+)(?:\s+(\d{1,2}):(\d{2}))?$/u.exec(s.trim());
  if (!m) return null;
  const day = DAYS[m[1]!.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f.]/g, '')];
  if (!day) return null;
  const time = m[2] ? `${m[2].padStart(2, '0')}:${m[3]}` : '09:00';
  return isTime(time) ? { weekday: day, time } : null;
}

/** The date of the latest hand-off at or before `now`. */
export function anchorFor(now: number, handoff: Handoff, tz: string): LocalDate {
  const today = localDateOf(now, tz);
  let d = addDays(today, -((isoWeekday(today) - handoff.weekday + 7) % 7));
  if (localToEpoch(d, handoff.time, tz)! > now) d = addDays(d, -7);
  return d;
}

interface Segment {
  personId: PersonId | null;
  start: number;
  end: number;
  source: 'rotation' | 'override' | null;
  overrideId: number | null;
}

interface TimedOverride extends Override {
  start: number;
  end: number;
}

/** Merging a shift looks this many segments each way (a one-person rotation would merge forever). */
const MERGE_LIMIT = 60;
/** Hand-offs are looked for across this many segments at most (about ten years of weeks). */
const SCAN_LIMIT = 600;

export class OnCallSchedule {
  private readonly anchor: LocalDate | null;
  private readonly overrides: TimedOverride[];

  constructor(
    private readonly rotation: Rotation | null,
    overrides: readonly Override[],
    private readonly handoff: Handoff,
    private readonly tz: string,
  ) {
    if (rotation && rotation.people.length && isLocalDate(rotation.anchor)) {
      // An anchor on another weekday (the hand-off setting changed) moves back to the hand-off's weekday.
      this.anchor = addDays(rotation.anchor, -((isoWeekday(rotation.anchor) - handoff.weekday + 7) % 7));
    } else this.anchor = null;
    this.overrides = overrides
      .map((o) => ({ ...o, start: localToEpoch(o.from, null, tz)!, end: localToEpoch(addDays(o.to, 1), null, tz)! }))
      .filter((o) => Number.isFinite(o.start) && Number.isFinite(o.end) && o.end > o.start)
      .sort((a, b) => b.id - a.id);
  }

  private handoffAt(k: number): number {
    return localToEpoch(addDays(this.anchor!, 7 * k), this.handoff.time, this.tz)!;
  }

  /** The rotation's person at t, the week's index and its bounds; null without a rotation. */
  rotationAt(t: number): { personId: PersonId; index: number; start: number; end: number } | null {
    if (!this.anchor || !this.rotation) return null;
    let k = Math.floor(daysBetween(this.anchor, localDateOf(t, this.tz)) / 7);
    if (this.handoffAt(k) > t) k--;
    else if (this.handoffAt(k + 1) <= t) k++;
    const n = this.rotation.people.length;
    const index = ((k % n) + n) % n;
    return { personId: this.rotation.people[index]!, index, start: this.handoffAt(k), end: this.handoffAt(k + 1) };
  }

  /** The stretch around t in which nobody changes: bounded by hand-offs and by overrides' edges. */
  private segmentAt(t: number): Segment {
    const r = this.rotationAt(t);
    let start = r ? r.start : -Infinity;
    let end = r ? r.end : Infinity;
    let winner: TimedOverride | null = null;
    for (const o of this.overrides) {
      if (o.start <= t) start = Math.max(start, o.end <= t ? o.end : o.start);
      else end = Math.min(end, o.start);
      if (o.end > t) end = Math.min(end, o.end);
      if (!winner && o.start <= t && t < o.end) winner = o;
    }
    if (winner) return { personId: winner.personId, start, end, source: 'override', overrideId: winner.id };
    if (r) return { personId: r.personId, start, end, source: 'rotation', overrideId: null };
    return { personId: null, start, end, source: null, overrideId: null };
  }

  /** Who is on call at t, from when and until when (the whole stretch of that person). */
  at(t: number): Shift | null {
    const seg = this.segmentAt(t);
    if (seg.personId === null) return null;
    let { start, end } = seg;
    for (let i = 0; i < MERGE_LIMIT && Number.isFinite(end); i++) {
      const next = this.segmentAt(end);
      if (next.personId !== seg.personId) break;
      end = next.end;
    }
    for (let i = 0; i < MERGE_LIMIT && Number.isFinite(start); i++) {
      const prev = this.segmentAt(start - 1);
      if (prev.personId !== seg.personId) break;
      start = prev.start;
    }
    return { personId: seg.personId, start, end, source: seg.source!, overrideId: seg.overrideId };
  }

  /**
   * Who escalation pages next: the person after this week's in the rotation, skipping whoever is
   * on call now (a cover may have given the shift to someone later in the list). Null when the
   * rotation has nobody else.
   */
  nextAfter(t: number): PersonId | null {
    const r = this.rotationAt(t);
    if (!r || !this.rotation) return null;
    const onCall = this.at(t)?.personId ?? null;
    const n = this.rotation.people.length;
    for (let j = 1; j < n + 1; j++) {
      const p = this.rotation.people[(r.index + j) % n]!;
      if (p !== onCall && p !== r.personId) return p;
    }
    // Covered by someone else: the rotation's own person of the week is the next one up.
    return r.personId !== onCall ? r.personId : null;
  }

  /** The shifts that touch [from, to), merged per person. */
  shifts(from: number, to: number): Shift[] {
    const out: Shift[] = [];
    let t = from;
    for (let i = 0; i < SCAN_LIMIT && t < to; i++) {
      const s = this.at(t);
      if (s) {
        out.push(s);
        t = s.end;
      } else t = this.segmentAt(t).end;
      if (!Number.isFinite(t)) break;
    }
    return out;
  }

  /** The next `count` moments, strictly after `from`, at which someone else goes on call. */
  handoffs(from: number, count: number): { at: number; from: PersonId | null; to: PersonId }[] {
    const out: { at: number; from: PersonId | null; to: PersonId }[] = [];
    let seg = this.segmentAt(from);
    for (let i = 0; i < SCAN_LIMIT && out.length < count && Number.isFinite(seg.end); i++) {
      const next = this.segmentAt(seg.end);
      if (next.personId !== null && next.personId !== seg.personId) out.push({ at: seg.end, from: seg.personId, to: next.personId });
      seg = next;
    }
    return out;
  }
}
