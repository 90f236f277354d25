import { INQUIRY_TYPES, type InquiryType } from './legal-terms.js';
import { INQUIRY_CHANNELS, type InquiryChannel } from './types.js';

export const MAX_TEXT = 4000;
export const MAX_NAME = 200;
export const MAX_CONTACT = 200;
/** A request «received» this far in the future is a typo, not a clock difference. */
const FUTURE_SLACK_MS = 5 * 60_000;
/** Registering something received over a year ago is almost certainly a wrong year. */
const MAX_AGE_MS = 366 * 86_400_000;

export type InquiryField = 'channel' | 'type' | 'name' | 'contact' | 'text' | 'received_at' | 'source_link';
export type InquiryProblem =
  | { field: InquiryField; code: 'required' }
  | { field: InquiryField; code: 'unknown'; options: readonly string[] }
  | { field: InquiryField; code: 'too_long'; max: number }
  | { field: InquiryField; code: 'future' | 'too_old' | 'invalid' };

export interface InquiryInput {
  channel: unknown;
  type: unknown;
  name?: unknown;
  contact?: unknown;
  text: unknown;
  /** epoch ms; null/undefined = now. A string that could not be read is passed as NaN. */
  receivedAt?: number | null;
  sourceLink?: unknown;
}

export interface NewInquiry {
  channel: InquiryChannel;
  type: InquiryType;
  name: string | null;
  contact: string | null;
  text: string;
  receivedAt: number;
  sourceLink: string | null;
}

/** Words people type for channels and types, folded (no accents, lower case). */
const fold = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase();
const CHANNEL_WORDS: Record<string, InquiryChannel> = { twitter: 'x', email: 'correo', 'correo electronico': 'correo', mail: 'correo', formulario: 'web', 'sitio web': 'web', phone: 'telefono', llamada: 'telefono', 'en persona': 'presencial' };
const TYPE_WORDS: Record<string, InquiryType> = {
  'derecho de peticion': 'peticion',
  'solicitud de informacion': 'informacion',
  'acceso a la informacion': 'informacion',
  documentos: 'informacion',
  'consulta general': 'general',
  reclamo: 'queja',
};

export function readChannel(v: unknown): InquiryChannel | null {
  if (typeof v !== 'string') return null;
  const f = fold(v);
  return (INQUIRY_CHANNELS as readonly string[]).includes(f) ? (f as InquiryChannel) : (CHANNEL_WORDS[f] ?? null);
}

export function readType(v: unknown): InquiryType | null {
  if (typeof v !== 'string') return null;
  const f = fold(v);
  return (INQUIRY_TYPES as readonly string[]).includes(f) ? (f as InquiryType) : (TYPE_WORDS[f] ?? null);
}

const optionalText = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** What people type, checked once for every way in (the form, the message shortcut, the API). */
export function validateInquiry(raw: InquiryInput, now: number): { ok: true; value: NewInquiry } | { ok: false; problems: InquiryProblem[] } {
  const problems: InquiryProblem[] = [];
  const channel = readChannel(raw.channel);
  if (!channel) problems.push(raw.channel === undefined || raw.channel === null || raw.channel === '' ? { field: 'channel', code: 'required' } : { field: 'channel', code: 'unknown', options: INQUIRY_CHANNELS });
  const type = readType(raw.type);
  if (!type) problems.push(raw.type === undefined || raw.type === null || raw.type === '' ? { field: 'type', code: 'required' } : { field: 'type', code: 'unknown', options: INQUIRY_TYPES });
  const text = typeof raw.text === 'string' ? raw.text.trim() : '';
  if (!text) problems.push({ field: 'text', code: 'required' });
  else if ([...text].length > MAX_TEXT) problems.push({ field: 'text', code: 'too_long', max: MAX_TEXT });
  const name = optionalText(raw.name);
  if (raw.name !== undefined && raw.name !== null && typeof raw.name !== 'string') problems.push({ field: 'name', code: 'invalid' });
  else if (name && [...name].length > MAX_NAME) problems.push({ field: 'name', code: 'too_long', max: MAX_NAME });
  const contact = optionalText(raw.contact);
  if (raw.contact !== undefined && raw.contact !== null && typeof raw.contact !== 'string') problems.push({ field: 'contact', code: 'invalid' });
  else if (contact && [...contact].length > MAX_CONTACT) problems.push({ field: 'contact', code: 'too_long', max: MAX_CONTACT });
  const sourceLink = optionalText(raw.sourceLink);
  if (sourceLink && !/^https?:\/\/\S+$/i.test(sourceLink)) problems.push({ field: 'source_link', code: 'invalid' });
  const receivedAt = raw.receivedAt ?? now;
  if (!Number.isFinite(receivedAt)) problems.push({ field: 'received_at', code: 'invalid' });
  else if (receivedAt > now + FUTURE_SLACK_MS) problems.push({ field: 'received_at', code: 'future' });
  else if (receivedAt < now - MAX_AGE_MS) problems.push({ field: 'received_at', code: 'too_old' });
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { channel: channel!, type: type!, name, contact, text, receivedAt: Math.min(receivedAt, now), sourceLink } };
}
