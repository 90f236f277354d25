import type { RoleDirectory } from '../approvals/ports.js';
import type { PersonId } from '../people/types.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import type { JobsPort, PlannedJob } from '../shared/jobs.js';
import { addDays, isLocalDate, localDateOf, localToEpoch, type LocalDate } from '../shared/time.js';
import type { OnCallView } from '../inquiries/escalation.js';
import type { OnCallRepository, StoredOverride, StoredRotation } from './ports.js';
import { anchorFor, OnCallSchedule, type Handoff, type Shift } from './rotation.js';

export const HANDOFF_KIND = 'oncall.handoff';
export const ONCALL_SUBJECT = 'oncall';
/** Overrides that ended longer ago than this no longer matter to who is on call. */
const OVERRIDE_MEMORY_DAYS = 400;
/** A cover longer than this is a typo in a year, not a holiday. */
const MAX_COVER_DAYS = 92;

export interface OnCallDeps {
  repo: OnCallRepository;
  roles: RoleDirectory;
  clock: Clock;
  tz: string;
  handoff: Handoff;
  jobs: JobsPort;
  /** ONCALL_IDS, as people: the rotation until an admin sets one from chat */
  envRotation: readonly PersonId[];
  /** people who left the rotation: their inquiries go back into escalation (same transaction) */
  onLeave: (people: PersonId[], actorId: string, now: number) => void;
  /** hand-off rows are planned this far ahead when the rotation changes */
  horizonMs: number;
}

/** Who is on call: the rotation, its overrides, and the hand-offs they cause. */
export class OnCallService implements OnCallView {
  private cache: { version: string; schedule: OnCallSchedule; rotation: StoredRotation | null; overrides: StoredOverride[] } | null = null;

  constructor(private readonly d: OnCallDeps) {}

  /** ONCALL_IDS starts the rotation, and keeps it while nobody has set one from chat. */
  seedFromEnv(now: number): void {
    const env = [...this.d.envRotation];
    if (!env.length) return;
    this.d.repo.transaction(() => {
      const r = this.d.repo.rotation();
      if (r && (r.source === 'chat' || sameList(r.people, env))) return;
      const left = r ? r.people.filter((p) => !env.includes(p)) : [];
      this.d.repo.setRotation({ people: env, anchor: r?.anchor ?? anchorFor(now, this.d.handoff, this.d.tz), source: 'env', setBy: 'env', setAt: now });
      if (left.length) this.d.onLeave(left, 'env', now);
      this.replan(now);
    });
  }

  private state() {
    const version = this.d.repo.version();
    if (this.cache?.version === version) return this.cache;
    const rotation = this.d.repo.rotation();
    const since = addDays(localDateOf(this.d.clock.now(), this.d.tz), -OVERRIDE_MEMORY_DAYS);
    const overrides = this.d.repo.overrides(since);
    const schedule = new OnCallSchedule(rotation && rotation.people.length ? { people: rotation.people, anchor: rotation.anchor } : null, overrides, this.d.handoff, this.d.tz);
    this.cache = { version, schedule, rotation, overrides };
    return this.cache;
  }

  schedule(): OnCallSchedule {
    return this.state().schedule;
  }

  version(): string {
    return this.state().version;
  }

  rotation(): StoredRotation | null {
    return this.state().rotation;
  }

  overrides(): StoredOverride[] {
    return this.state().overrides;
  }

  onCallAt(t: number): PersonId | null {
    return this.schedule().at(t)?.personId ?? null;
  }

  shiftAt(t: number): Shift | null {
    return this.schedule().at(t);
  }

  nextAfter(t: number): PersonId | null {
    return this.schedule().nextAfter(t);
  }

  /** People who answer the public: the rotation, whoever covers now or later, and the admins. */
  isResponder(personId: PersonId): boolean {
    const s = this.state();
    if (s.rotation?.people.includes(personId)) return true;
    // A cover makes someone answer the public while it is current or to come, not for a year after.
    const today = localDateOf(this.d.clock.now(), this.d.tz);
    if (s.overrides.some((o) => o.personId === personId && o.from <= today && o.to >= today)) return true;
    return this.d.roles.usersWith('admin').includes(personId);
  }

  /** `/guardia rotacion @a @b @c` (admins): the new order starts at the latest hand-off. */
  setRotation(actorId: PersonId, people: PersonId[]): { rotation: StoredRotation; left: PersonId[] } {
    if (!this.d.roles.usersWith('admin').includes(actorId)) throw new DomainError('roles.not_admin');
    const list = [...new Set(people)];
    if (!list.length) throw new DomainError('oncall.empty_rotation');
    const now = this.d.clock.now();
    return this.d.repo.transaction(() => {
      const before = this.d.repo.rotation();
      const rotation = this.d.repo.setRotation({ people: list, anchor: anchorFor(now, this.d.handoff, this.d.tz), source: 'chat', setBy: actorId, setAt: now });
      const left = (before?.people ?? []).filter((p) => !list.includes(p));
      if (left.length) this.d.onLeave(left, actorId, now);
      this.replan(now);
      return { rotation, left };
    });
  }

  /** `/guardia cubrir @x desde hasta`: by an admin, or by whoever the rotation has on call those days. */
  cover(actorId: PersonId, personId: PersonId, from: LocalDate, to: LocalDate): StoredOverride {
    if (!isLocalDate(from) || !isLocalDate(to) || to < from) throw new DomainError('oncall.invalid_dates', { from, to });
    const now = this.d.clock.now();
    const today = localDateOf(now, this.d.tz);
    // Who was on call on a day gone by is a record, not something to rewrite.
    if (from < today) throw new DomainError('oncall.invalid_dates', { from, to, past: true });
    if (addDays(from, MAX_COVER_DAYS) < to) throw new DomainError('oncall.invalid_dates', { from, to, tooLong: MAX_COVER_DAYS });
    const admin = this.d.roles.usersWith('admin').includes(actorId);
    if (!admin && !this.coveredBy(actorId, from, to)) throw new DomainError('oncall.not_allowed');
    return this.d.repo.transaction(() => {
      const o = this.d.repo.addOverride({ personId, from, to, createdBy: actorId, createdAt: now });
      this.replan(now);
      return o;
    });
  }

  /**
   * Does the rotation have this person on call on every one of these days (at some moment of each)?
   * Whoever is covered may hand their own days to someone; not anyone else's.
   */
  private coveredBy(personId: PersonId, from: LocalDate, to: LocalDate): boolean {
    const s = this.schedule();
    for (let day = from; day <= to; day = addDays(day, 1)) {
      const start = localToEpoch(day, null, this.d.tz)!;
      const end = localToEpoch(addDays(day, 1), null, this.d.tz)!;
      let theirs = false;
      for (let t = start; t < end && !theirs; ) {
        const r = s.rotationAt(t);
        if (!r) return false;
        theirs = r.personId === personId;
        t = r.end;
      }
      if (!theirs) return false;
    }
    return true;
  }

  /** Cancels a cover (admins, or who created it, or who covers). */
  uncover(actorId: PersonId, id: number): StoredOverride {
    const o = this.d.repo.getOverride(id);
    if (!o || o.cancelledAt !== null) throw new DomainError('oncall.invalid_dates', { missing: id });
    const admin = this.d.roles.usersWith('admin').includes(actorId);
    if (!admin && o.createdBy !== actorId && o.personId !== actorId) throw new DomainError('oncall.not_allowed');
    const now = this.d.clock.now();
    this.d.repo.transaction(() => {
      this.d.repo.cancelOverride(id, actorId, now);
      this.replan(now);
    });
    return o;
  }

  /** Who is on call now, until when, and the next hand-offs. */
  view(now: number, count = 4): { current: Shift | null; handoffs: { at: number; from: PersonId | null; to: PersonId }[] } {
    const s = this.schedule();
    return { current: s.at(now), handoffs: s.handoffs(now, count) };
  }

  /** Hand-off rows in (from, to], keyed by the schedule's version (a change plans them anew). */
  handoffRows(from: number, to: number): PlannedJob[] {
    const s = this.state();
    const rows: PlannedJob[] = [];
    let t = from;
    for (;;) {
      const next = s.schedule.handoffs(t, 16).filter((h) => h.at <= to);
      for (const h of next) {
        rows.push({ kind: HANDOFF_KIND, key: `${HANDOFF_KIND}:${s.version}:${h.at}:${h.to}`, subject: ONCALL_SUBJECT, payload: { personId: h.to, from: h.from, version: s.version }, dueAt: h.at });
      }
      if (next.length < 16) return rows;
      t = next[next.length - 1]!.at;
    }
  }

  /** After a change: the hand-offs planned under the old schedule are cancelled and planned anew. */
  private replan(now: number): void {
    this.cache = null;
    this.d.jobs.cancelSubject(ONCALL_SUBJECT, now, 'on-call schedule changed');
    this.d.jobs.schedule(this.handoffRows(now, now + this.d.horizonMs));
  }
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
