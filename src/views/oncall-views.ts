import type { PersonId } from '../domain/people/types.js';
import type { StoredOverride, StoredRotation } from '../domain/oncall/ports.js';
import type { Shift } from '../domain/oncall/rotation.js';
import { formatDateTime, type Fmt } from './format.js';
import { dayText } from './inquiry-views.js';
import { withMention, type ListView, type Rich } from './model.js';

export interface OnCallViewData {
  current: Shift | null;
  handoffs: { at: number; from: PersonId | null; to: PersonId }[];
  rotation: StoredRotation | null;
  overrides: StoredOverride[];
}

/** `/guardia`: who is on call now and until when, the next hand-offs, the rotation and the covers. */
export function oncallList(f: Fmt, d: OnCallViewData): ListView {
  const o = f.m.inq.oncall;
  const sections: ListView['sections'] = [];
  const now: Rich = d.current
    ? withMention((who) => (d.current!.source === 'override' ? o.nowCovering(who, formatDateTime(f, d.current!.end)) : o.now(who, formatDateTime(f, d.current!.end))), d.current.personId)
    : [o.nobody];
  sections.push({ items: [now] });
  if (d.handoffs.length) sections.push({ heading: o.nextHeading, items: d.handoffs.map((h) => withMention((who) => o.handoffItem(formatDateTime(f, h.at), who), h.to)) });
  if (d.rotation?.people.length) sections.push({ heading: o.rotationHeading, items: d.rotation.people.map((p, n) => withMention((who) => o.rotationItem(n + 1, who), p)) });
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: f.tz }).format(f.now());
  const covers = d.overrides.filter((x) => x.to >= today);
  if (covers.length) sections.push({ heading: o.overridesHeading, items: covers.map((x) => withMention((who) => o.overrideItem(x.id, who, dayText(f, x.from), dayText(f, x.to)), x.personId)) });
  return { title: o.title, sections, empty: o.nobody };
}

/** The hand-off message: to the incoming person, or the note in the inquiry channel. */
export function handoffText(f: Fmt, personId: PersonId, end: number, toPlace: boolean): Rich {
  const o = f.m.inq.oncall;
  const until = formatDateTime(f, end);
  return toPlace ? withMention((who) => o.handoffNote(who, until), personId) : [o.handoffDm(until)];
}
