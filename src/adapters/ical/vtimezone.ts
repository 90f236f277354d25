/**
 * VTIMEZONE blocks built from the time-zone data Node itself uses (ICU), so a zone that changed its
 * rules (Mexico dropped daylight saving time in 2022) is described as it is now, not as a 1970 rule.
 * Transitions are written one by one, with explicit dates, for the years the feed covers.
 */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset in minutes at an instant. */
export function offsetMinutes(tz: string, ms: number): number {
  let f = offsetFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
    offsetFormats.set(tz, f);
  }
  const name = f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (min: number) => `${min < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(min) / 60))}${pad(Math.abs(min) % 60)}`;
/** Wall-clock time at `ms` shown in a fixed offset, as iCalendar local time. */
const wall = (ms: number, offset: number) => {
  const d = new Date(ms + offset * 60_000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
};

/** Instants in [from, to) where the offset changes, found to the minute. */
export function transitions(tz: string, from: number, to: number): { at: number; before: number; after: number }[] {
  const out: { at: number; before: number; after: number }[] = [];
  const DAY = 86_400_000;
  let prev = offsetMinutes(tz, from);
  for (let t = from + DAY; t < to; t += DAY) {
    const cur = offsetMinutes(tz, t);
    if (cur === prev) continue;
    // Offsets change on whole minutes: search minute by minute between yesterday and today.
    let lo = Math.floor((t - DAY) / 60_000);
    let hi = Math.ceil(t / 60_000);
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (offsetMinutes(tz, mid * 60_000) === prev) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi * 60_000, before: prev, after: cur });
    prev = cur;
  }
  return out;
}

export function vtimezone(tz: string, fromYear: number, toYear: number): string {
  const from = Date.UTC(fromYear, 0, 1);
  const to = Date.UTC(toYear + 1, 0, 1);
  const changes = transitions(tz, from, to);
  const offsets = [offsetMinutes(tz, from), ...changes.map((c) => c.after)];
  const standard = Math.min(...offsets);
  const component = (at: number, before: number, after: number) =>
    [
      `BEGIN:${after > standard ? 'DAYLIGHT' : 'STANDARD'}`,
      `DTSTART:${wall(at, before)}`,
      `TZOFFSETFROM:${hhmm(before)}`,
      `TZOFFSETTO:${hhmm(after)}`,
      `END:${after > standard ? 'DAYLIGHT' : 'STANDARD'}`,
    ].join('\r\n');
  const first = offsetMinutes(tz, from);
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${tz}`,
    component(from, first, first),
    ...changes.map((c) => component(c.at, c.before, c.after)),
    'END:VTIMEZONE',
  ].join('\r\n');
}
