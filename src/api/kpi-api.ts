import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Core } from '../core.js';
import { SYSTEM } from '../domain/people/types.js';
import { isLocalDate } from '../domain/shared/time.js';
import type { Mount } from '../http/server.js';
import { bearerMatches, MAX_BODY_BYTES, readJsonBody, sendErrors, sendJson, type ApiError } from './http.js';
import { campaignErrorsJson, campaignJson, observationErrorsJson, summaryJson } from './kpi-json.js';
import { apiMessagesFor } from './messages.js';

export const API_PREFIX = '/api/v1';

type Handler = (req: IncomingMessage, res: ServerResponse, params: string[], url: URL) => Promise<void> | void;
interface ApiRoute {
  pattern: RegExp;
  methods: Record<string, Handler>;
}

/**
 * The KPI API for the CRM, the ad platforms' exports and spreadsheet scripts, mounted under /api/v1
 * only when KPI_API_TOKEN is set (otherwise /api/v1/… is 404, as any unknown path):
 *
 *   PUT  /api/v1/campaigns/{key}                    create (201) or replace (200) a campaign
 *   POST /api/v1/metrics                            a batch of observations, all or nothing
 *   GET  /api/v1/campaigns/{key}/summary?date=…     what /kpi shows, as JSON
 *
 * Every request needs `Authorization: Bearer <KPI_API_TOKEN>`; without it: 401 and nothing else.
 * Errors are `{"errors":[{"index","field","message"}]}`. The token is never logged.
 */
export function kpiApiMount(core: Core, token: string): Mount {
  const m = core.fmt.m;
  const api = apiMessagesFor(core.fmt.locale);
  const log = core.log.child({ component: 'kpi-api' });
  const problem = (field: string, message: string): ApiError[] => [{ index: null, field, message }];

  /** A body, or the answer already sent (413, 415, 400). */
  async function body(req: IncomingMessage, res: ServerResponse): Promise<{ value: unknown } | null> {
    const b = await readJsonBody(req);
    if (b.ok) return { value: b.value };
    if (b.reason === 'too_large') sendErrors(res, 413, problem('body', api.tooLarge(MAX_BODY_BYTES / 1024 / 1024)), { Connection: 'close' });
    else if (b.reason === 'content_type') sendErrors(res, 415, problem('body', api.contentType), { Connection: 'close' });
    else sendErrors(res, 400, problem('body', api.malformed));
    return null;
  }

  const putCampaign: Handler = async (req, res, [key]) => {
    const b = await body(req, res);
    if (!b) return;
    const r = core.kpis.define(key!, b.value, SYSTEM.kpiApi);
    if (!r.ok) return sendErrors(res, 400, campaignErrorsJson(m, r.errors));
    core.kickOutbox();
    sendJson(res, r.created ? 201 : 200, campaignJson(r.campaign), r.created ? { Location: `${API_PREFIX}/campaigns/${encodeURIComponent(r.campaign.key)}` } : {});
  };

  const postMetrics: Handler = async (req, res) => {
    const b = await body(req, res);
    if (!b) return;
    const v = b.value as { observations?: unknown } | null;
    const items = typeof v === 'object' && v !== null && !Array.isArray(v) ? v.observations : undefined;
    if (!Array.isArray(items)) return sendErrors(res, 400, problem('observations', api.observationsRequired));
    const r = core.kpis.record(items, SYSTEM.kpiApi);
    if (!r.ok) return sendErrors(res, 400, observationErrorsJson(m, r.errors));
    core.kickOutbox();
    sendJson(res, 200, { stored: r.stored, replaced: r.replaced, unchanged: r.unchanged });
  };

  const getSummary: Handler = (_req, res, [key], url) => {
    const campaign = core.kpis.campaign(key!);
    if (!campaign) return sendErrors(res, 404, problem('campaign', m.kpi.problem({ code: 'unknown_campaign', known: core.kpis.campaigns().map((c) => c.key) })));
    const date = url.searchParams.get('date')?.trim() || core.kpis.today();
    if (!isLocalDate(date)) return sendErrors(res, 400, problem('date', m.kpi.problem({ code: 'invalid_date' })));
    sendJson(res, 200, summaryJson(m, core.config.kpi.currency, core.kpis.summary(campaign, date)));
  };

  const routes: ApiRoute[] = [
    { pattern: /^\/api\/v1\/campaigns\/([^/]+)$/, methods: { PUT: putCampaign } },
    { pattern: /^\/api\/v1\/campaigns\/([^/]+)\/summary$/, methods: { GET: getSummary } },
    { pattern: /^\/api\/v1\/metrics$/, methods: { POST: postMetrics } },
  ];

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // Nothing about the API (not even which paths exist) before the token is right.
    if (!bearerMatches(req.headers.authorization, token)) return sendJson(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer', Connection: 'close' });
    for (const r of routes) {
      const match = r.pattern.exec(url.pathname);
      if (!match) continue;
      let params: string[];
      try {
        params = match.slice(1).map((p) => decodeURIComponent(p));
      } catch {
        return sendErrors(res, 404, problem('path', api.notFound));
      }
      const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
      const handler = r.methods[method];
      const allowed = Object.keys(r.methods);
      if (!handler) return sendErrors(res, 405, problem('method', api.method(allowed)), { Allow: allowed.join(', ') });
      return handler(req, res, params, url);
    }
    sendErrors(res, 404, problem('path', api.notFound));
  }

  const listener: RequestListener = (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    // What is logged: method, path, status, time. Never headers (the token is in one) nor the body.
    res.once('finish', () => log.info({ method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10 }, 'kpi api request'));
    handle(req, res, url).catch((e: unknown) => {
      log.error({ err: e, method: req.method, path: url.pathname }, 'kpi api request failed');
      if (!res.headersSent) sendErrors(res, 500, problem('body', api.internal));
      else res.end();
    });
  };
  return { prefix: API_PREFIX, listener };
}
