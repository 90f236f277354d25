import { localToEpoch, startOfLocalDay } from '../shared/time.js';
import { isHttpUrl } from './transitions.js';
import { NETWORKS, PIECE_KINDS, type Network, type PieceKind } from './types.js';

/** Characters each network accepts in one post. Slack inputs stop at 3,000 anyway. */
export const NETWORK_TEXT_LIMITS: Partial<Record<Network, number>> = {
  x: 280,
  instagram: 2200,
  tiktok: 2200,
  youtube: 5000,
};
/** The office's own limits (each surface clips what it shows to its own limits). A title is read at a glance. */
export const MAX_TITLE = 150;
/** About a page of text: a post, or the body of a press release (longer documents go as a link to materials). */
export const MAX_BODY = 3000;

export type FieldError =
  | { code: 'required' }
  | { code: 'too_long'; max: number; length: number }
  | { code: 'too_long_for_network'; network: Network; max: number; length: number }
  | { code: 'invalid_date' }
  | { code: 'past_date' }
  | { code: 'invalid_time' }
  | { code: 'invalid_url' }
  | { code: 'invalid_option' };

export type PieceField = 'title' | 'body' | 'kind' | 'networks' | 'date' | 'time' | 'materials';

export interface RawPieceInput {
  title?: string | null;
  body?: string | null;
  kind?: string | null;
  networks?: string[] | null;
  date?: string | null; // YYYY-MM-DD in the office's time zone
  time?: string | null; // HH:mm
  materialsUrl?: string | null;
  needsDesign?: boolean;
}

export interface NewPiece {
  title: string;
  body: string;
  kind: PieceKind;
  networks: Network[];
  plannedAt: number;
  plannedHasTime: boolean;
  materialsUrl: string | null;
  needsDesign: boolean;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: Partial<Record<PieceField, FieldError>> };

/** Length as a person counts it: one emoji or accented letter is one character. */
export const textLength = (s: string): number => [...s].length;

export function checkBodyForNetworks(body: string, networks: readonly Network[]): FieldError | null {
  const length = textLength(body);
  if (length > MAX_BODY) return { code: 'too_long', max: MAX_BODY, length };
  for (const network of networks) {
    const max = NETWORK_TEXT_LIMITS[network];
    if (max !== undefined && length > max) return { code: 'too_long_for_network', network, max, length };
  }
  return null;
}

export function checkTitle(title: string): FieldError | null {
  if (!title) return { code: 'required' };
  const length = textLength(title);
  return length > MAX_TITLE ? { code: 'too_long', max: MAX_TITLE, length } : null;
}

export { localToEpoch, startOfLocalDay } from '../shared/time.js';

export function validateNewPiece(raw: RawPieceInput, now: number, tz: string): Validation<NewPiece> {
  const errors: Partial<Record<PieceField, FieldError>> = {};
  const title = (raw.title ?? '').trim();
  const body = (raw.body ?? '').trim();
  const titleError = checkTitle(title);
  if (titleError) errors.title = titleError;

  const kind = raw.kind ?? '';
  if (!kind) errors.kind = { code: 'required' };
  else if (!(PIECE_KINDS as readonly string[]).includes(kind)) errors.kind = { code: 'invalid_option' };

  const networks = [...new Set(raw.networks ?? [])];
  if (networks.length === 0) errors.networks = { code: 'required' };
  else if (!networks.every((n) => (NETWORKS as readonly string[]).includes(n))) errors.networks = { code: 'invalid_option' };

  if (!body) errors.body = { code: 'required' };
  else if (!errors.networks) {
    const e = checkBodyForNetworks(body, networks as Network[]);
    if (e) errors.body = e;
  }

  const time = raw.time?.trim() || null;
  let plannedAt: number | null = null;
  if (!raw.date) errors.date = { code: 'required' };
  else if (time && !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) errors.time = { code: 'invalid_time' };
  else {
    plannedAt = localToEpoch(raw.date, time, tz);
    if (plannedAt === null) errors.date = { code: 'invalid_date' };
    else if (time ? plannedAt < now : plannedAt < startOfLocalDay(now, tz)) {
      errors[time && plannedAt >= startOfLocalDay(now, tz) ? 'time' : 'date'] = { code: 'past_date' };
    }
  }

  const materialsUrl = raw.materialsUrl?.trim() || null;
  if (materialsUrl && !isHttpUrl(materialsUrl)) errors.materials = { code: 'invalid_url' };

  if (Object.keys(errors).length > 0 || plannedAt === null) return { ok: false, errors };
  return {
    ok: true,
    value: {
      title,
      body,
      kind: kind as PieceKind,
      networks: networks as Network[],
      plannedAt,
      plannedHasTime: time !== null,
      materialsUrl,
      needsDesign: raw.needsDesign === true,
    },
  };
}
