import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Shared pieces of the HTTP API (src/api/): bearer auth, JSON in with a size cap, JSON out. */

/** One problem with a request, as every API error body lists them. */
export interface ApiError {
  /** the item's position in its list (observations, targets, metrics); null for the request as a whole */
  index: number | null;
  field: string;
  message: string;
}

/** Bodies larger than this are refused with 413 (a batch of ~10,000 observations fits). */
export const MAX_BODY_BYTES = 1024 * 1024;

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Whether `Authorization: Bearer <token>` carries the configured token. Both sides are hashed first,
 * so the comparison is constant-time and the length of the secret does not leak either.
 */
export function bearerMatches(header: string | string[] | undefined, token: string): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^Bearer[ \t]+(.+?)[ \t]*$/i.exec(value ?? '');
  const given = m?.[1] ?? '';
  // Compare even when nothing was given: the time taken says nothing about why it failed.
  const same = timingSafeEqual(digest(given), digest(token));
  return same && given.length > 0;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    // The body is data: never sniffed as HTML, never cached by a proxy.
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export const sendErrors = (res: ServerResponse, status: number, errors: ApiError[], headers: Record<string, string> = {}): void => sendJson(res, status, { errors }, headers);

export type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; reason: 'too_large' | 'malformed' | 'content_type' };

/** `application/json` (any charset) or a `+json` type; a missing Content-Type is read as JSON too. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return true;
  const type = header.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

/**
 * Reads a JSON body of at most `max` bytes. A Content-Length over the cap is refused before reading
 * anything; a body that grows past it (chunked) stops being buffered at once. Either way the
 * connection is closed after the answer, so the rest is never read into memory.
 */
export function readJsonBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<BodyResult> {
  if (!isJsonContentType(req.headers['content-type'])) return Promise.resolve({ ok: false, status: 415, reason: 'content_type' });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve({ ok: false, status: 413, reason: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        chunks.length = 0;
        finish({ ok: false, status: 413, reason: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', () => finish({ ok: false, status: 400, reason: 'malformed' }));
    req.once('end', () => {
      if (done) return;
      try {
        const text = Buffer.concat(chunks, size).toString('utf8');
        finish({ ok: true, value: JSON.parse(text) as unknown });
      } catch {
        finish({ ok: false, status: 400, reason: 'malformed' });
      }
    });
  });
}
