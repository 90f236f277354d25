import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The console's HTTP edge: its headers, its session cookie, who may reach it, its form bodies. */

const MAX_FORM_BYTES = 64 * 1024;

export const HEADERS: Record<string, string> = {
  // Nothing inline, nothing from elsewhere: a title that slipped past escaping could still not run.
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

export const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
  res.writeHead(status, { ...HEADERS, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...extra });
  res.end(body);
};
export const redirect = (res: ServerResponse, to: string, extra: Record<string, string> = {}) => {
  res.writeHead(303, { ...HEADERS, Location: to, 'Content-Length': '0', ...extra });
  res.end();
};

/** The browser's session (a cookie): made on first sight; the CSRF token is derived from it. */
export const sessionOf = (req: IncomingMessage): string | null => {
  const m = /(?:^|;\s*)vb_console=([A-Za-z0-9_-]{20,})/.exec(req.headers.cookie ?? '');
  return m?.[1] ?? null;
};
export const newSessionCookie = (): { session: string; cookie: string } => {
  const session = randomBytes(24).toString('base64url');
  return { session, cookie: `vb_console=${session}; Path=/; HttpOnly; SameSite=Strict` };
};

/**
 * Only this machine, by a name that is this machine: a page of another site that resolves its own
 * name to 127.0.0.1 (DNS rebinding) is refused by its Host header.
 */
export const hostOk = (req: IncomingMessage): boolean => {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host)) return false;
  // A request a proxy forwarded (Slack's events reach a bot behind one on this machine) comes from
  // elsewhere: the console is for whoever sits at this machine, never through a proxy.
  const h = req.headers;
  if (h['x-forwarded-for'] || h['x-forwarded-host'] || h.forwarded || h['x-real-ip'] || h.via || h['cf-connecting-ip']) return false;
  const peer = req.socket.remoteAddress ?? '';
  return peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1' || peer.startsWith('127.');
};

/** A POST's form fields (urlencoded), every value kept (checkboxes send several). */
export const readForm = (req: IncomingMessage): Promise<Map<string, string[]> | null> =>
  new Promise((resolve) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') return resolve(null);
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_FORM_BYTES) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      const out = new Map<string, string[]>();
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) out.set(k, [...(out.get(k) ?? []), v]);
      resolve(out);
    });
    req.on('error', () => resolve(null));
  });

