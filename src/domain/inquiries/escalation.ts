import type { PersonId } from '../people/types.js';
import type { EscalationPolicy } from './types.js';

/**
 * The escalation ladder of an inquiry nobody has taken, counted from when it (re)opened:
 *   step 0, at once ............ whoever is on call
 *   step 1, + ACK minutes ...... the next person in the rotation too
 *   step 2, + 2 × ACK minutes .. the admins (head of office) too
 *   step 3, 4…, every REPEAT minutes after that: everyone of step 2 again, until someone takes it.
 * Levels are cumulative, so a late step that stands for several missed ones leaves nobody out.
 */
export const TOP_LEVEL = 2;

export function stepDueAt(base: number, step: number, p: EscalationPolicy): number {
  const ack = p.ackMinutes * 60_000;
  if (step <= TOP_LEVEL) return base + step * ack;
  return base + TOP_LEVEL * ack + (step - TOP_LEVEL) * p.repeatMinutes * 60_000;
}

export const levelOf = (step: number): number => Math.min(step, TOP_LEVEL);

/** Who is on call, as escalation needs it; decided when a step fires. */
export interface OnCallView {
  onCallAt(t: number): PersonId | null;
  nextAfter(t: number): PersonId | null;
}

/** The people a step pages, decided when it fires (a hand-off between steps pages the new person). */
export function pageRecipients(level: number, at: number, oncall: OnCallView, admins: readonly PersonId[]): PersonId[] {
  const out: PersonId[] = [];
  const add = (p: PersonId | null) => {
    if (p && !out.includes(p)) out.push(p);
  };
  add(oncall.onCallAt(at));
  if (level >= 1) add(oncall.nextAfter(at));
  // Nobody on call (no rotation yet): the admins from the first page, so nothing waits unseen.
  if (level >= 2 || out.length === 0) admins.forEach(add);
  return out;
}
