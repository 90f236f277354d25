import { createHash } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Core } from '../core.js';
import type { Inquiry, InquiryEvent } from '../domain/inquiries/types.js';
import { dueOf } from '../domain/inquiries/types.js';
import { SYSTEM } from '../domain/people/types.js';
import { localToEpoch } from '../domain/shared/time.js';
import type { Mount } from '../http/server.js';
import { inquiryProblemText } from '../views/inquiry-forms.js';
import { bearerMatches, MAX_BODY_BYTES, readJsonBody, sendJson } from './http.js';
import { apiMessagesFor } from './messages.js';

export const INQUIRY_API_PREFIX = '/api/v1/inquiries';
const MAX_KEY = 255;

type Problem = { field: string; message: string };
const sendProblems = (res: ServerResponse, status: number, errors: Problem[], headers: Record<string, string> = {}) => sendJson(res, status, { errors }, headers);

/**
 * `received_at` as web forms and gateways send it: an ISO 8601 instant with its offset (or Z), or a
 * local date and time without one (the office's zone), or a date alone (that day). NaN: unreadable.
 */
export function parseReceivedAt(v: unknown, tz: string): number | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') return NaN;
  const s = v.trim();
  const local = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?)?$/.exec(s);
  if (local) return localToEpoch(local[1]!, local[2] ?? null, tz) ?? NaN;
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s)) return NaN;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : NaN;
}

export function inquiryJson(core: Core, i: Inquiry, events: InquiryEvent[]) {
  const person = (id: string | null) => (id ? { id, name: core.people.get(id)?.name ?? core.fmt.m.actors[id] ?? null } : null);
  return {
    id: i.id,
    folio: i.folio,
    channel: i.channel,
    type: i.type,
    state: i.state,
    assignee: person(i.assigneeId),
    received_at: new Date(i.receivedAt).toISOString(),
    receipt_date: i.receiptDate,
    due_date: i.dueDate,
    extended_due_date: i.extendedDueDate,
    due_in_force: dueOf(i),
    business_days_left: i.state === 'open' || i.state === 'taken' ? core.inquiries.daysLeft(i) : null,
    legal_basis: i.term ? { days: i.term.days, extension_days: i.term.extensionDays, law: i.term.law, article: i.term.article } : null,
    events: events.map((e) => ({ event: e.event, at: new Date(e.at).toISOString(), actor: person(e.actorId), platform: e.platform, data: e.data })),
  };
}

/**
 * The inquiry API for web forms, an e-mail gateway or a CRM, mounted only when INQUIRY_API_TOKEN is set:
 *
 *   POST /api/v1/inquiries            register one (201 {id, folio, due_date}); Idempotency-Key makes a re-send return the first answer
 *   GET  /api/v1/inquiries/{folio}    its state, assignee, due dates and events
 *
 * Every request needs `Authorization: Bearer <INQUIRY_API_TOKEN>` (401 otherwise, before anything
 * else). Errors are `{"errors":[{"field","message"}]}`. Neither the token nor the body is logged.
 */
export function inquiryApiMount(core: Core, token: string): Mount {
  const api = apiMessagesFor(core.fmt.locale);
  const q = core.fmt.m.inq;
  const log = core.log.child({ component: 'inquiry-api' });

  async function post(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawKey = req.headers['idempotency-key'];
    const key = Array.isArray(rawKey) ? rawKey[0] : rawKey;
    if (key !== undefined && key.trim() === '') return sendProblems(res, 400, [{ field: 'Idempotency-Key', message: q.problem.keyEmpty }]);
    if (key !== undefined && key.length > MAX_KEY) return sendProblems(res, 400, [{ field: 'Idempotency-Key', message: q.problem.too_long(MAX_KEY) }]);
    const b = await readJsonBody(req);
    if (!b.ok) {
      const message = b.reason === 'too_large' ? api.tooLarge(MAX_BODY_BYTES / 1024 / 1024) : b.reason === 'content_type' ? api.contentType : api.malformed;
      return sendProblems(res, b.status, [{ field: 'body', message }], b.status === 400 ? {} : { Connection: 'close' });
    }
    const v = b.value;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return sendProblems(res, 400, [{ field: 'body', message: api.malformed }]);
    const body = v as Record<string, unknown>;
    const problems: Problem[] = [];
    const requester = body.requester;
    if (requester !== undefined && requester !== null && (typeof requester !== 'object' || Array.isArray(requester))) problems.push({ field: 'requester', message: q.problem.invalid });
    const r = (requester && typeof requester === 'object' ? requester : {}) as Record<string, unknown>;
    const receivedAt = parseReceivedAt(body.received_at, core.fmt.tz);
    const origin = key ? { key: `api:${key}`, request: createHash('sha256').update(canonicalJson(v)).digest('hex') } : undefined;
    const result = problems.length
      ? null
      : core.inquiries.register({ channel: body.channel, type: body.type, name: r.name, contact: r.contact, text: body.text, receivedAt }, SYSTEM.inquiryApi, 'api', origin);
    if (!result || (!result.ok && 'problems' in result)) {
      for (const p of result && !result.ok && 'problems' in result ? result.problems : []) {
        const field = p.field === 'name' || p.field === 'contact' ? `requester.${p.field}` : p.field;
        problems.push({ field, message: inquiryProblemText(core.fmt, p) });
      }
      return sendProblems(res, 400, problems);
    }
    if (!result.ok) return sendProblems(res, 422, [{ field: 'Idempotency-Key', message: q.problem.idempotencyConflict }]);
    const i = result.inquiry;
    if (result.created) core.kickOutbox();
    const out: Record<string, unknown> = { id: i.id, folio: i.folio };
    if (i.dueDate) out.due_date = i.dueDate;
    sendJson(res, 201, out, { Location: `${INQUIRY_API_PREFIX}/${i.folio}`, ...(result.created ? {} : { 'Idempotent-Replayed': 'true' }) });
  }

  function get(res: ServerResponse, ref: string): void {
    const i = core.inquiries.find(ref);
    if (!i) return sendProblems(res, 404, [{ field: 'folio', message: q.error.not_found(ref) }]);
    sendJson(res, 200, inquiryJson(core, i, core.inquiries.history(i.id).events));
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!bearerMatches(req.headers.authorization, token)) return sendJson(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer', Connection: 'close' });
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    if (url.pathname === INQUIRY_API_PREFIX || url.pathname === `${INQUIRY_API_PREFIX}/`) {
      if (method !== 'POST') return sendProblems(res, 405, [{ field: 'method', message: api.method(['POST']) }], { Allow: 'POST' });
      return post(req, res);
    }
    const m = /^\/api\/v1\/inquiries\/([^/]+)$/.exec(url.pathname);
    if (!m) return sendProblems(res, 404, [{ field: 'path', message: api.notFound }]);
    if (method !== 'GET') return sendProblems(res, 405, [{ field: 'method', message: api.method(['GET']) }], { Allow: 'GET' });
    let ref: string;
    try {
      ref = decodeURIComponent(m[1]!);
    } catch {
      return sendProblems(res, 404, [{ field: 'path', message: api.notFound }]);
    }
    return get(res, ref);
  }

  const listener: RequestListener = (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Method, path, status and time only: never headers (the token) nor the body (personal data).
    res.once('finish', () => log.info({ method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10 }, 'inquiry api request'));
    handle(req, res, url).catch((e: unknown) => {
      log.error({ err: e, method: req.method, path: url.pathname }, 'inquiry api request failed');
      if (!res.headersSent) sendProblems(res, 500, [{ field: 'body', message: api.internal }]);
      else res.end();
    });
  };
  return { prefix: INQUIRY_API_PREFIX, listener };
}

/** JSON with every object's keys sorted: the same request re-sent by another client (other key order) is the same request. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
