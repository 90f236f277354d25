import type { IncomingMessage, ServerResponse } from 'node:http';
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import { readJsonBody, sendJson } from '../../api/http.js';
import type { TeamsConfig } from '../../config-teams.js';
import type { Core } from '../../core.js';
import type { Mount } from '../../http/server.js';
import { SqliteTeamsConversations } from '../../store/teams-repo.js';
import { buildDigest } from '../../domain/calendar/digest.js';
import { DEFAULT_OUTBOX_OPTIONS, OutboxWorker, type OutboxOptions } from '../../scheduler/outbox.js';
import { DIGEST_WAITING_SHOWN } from '../../views/calendar-views.js';
import { VistoBuenoTeamsBot } from './bot.js';
import { TeamsConnector } from './connector.js';
import { TeamsReplies } from './replies.js';
import { TeamsDeliverer } from './deliver.js';
import type { TeamsRenderContext } from './render/adaptive-card.js';

/** Where the Bot Framework posts activities (the messaging endpoint registered in Azure). */
export const TEAMS_PATH = '/api/messages';

export interface TeamsSurface {
  mount: Mount;
  /** how Teams answered the lane lately (for /healthz) */
  status(): { state: string; error?: string; since: number };
  adapter: CloudAdapter;
  worker: OutboxWorker;
  start(): void;
  stop(): Promise<void>;
}

export interface TeamsSurfaceOptions {
  outbox?: Partial<OutboxOptions>;
  /** per connector call (default TEAMS_TIMEOUT_MS) */
  timeoutMs?: number;
}

/**
 * Microsoft Teams on the project's HTTP server: botbuilder's CloudAdapter at /api/messages. With an
 * app id, botbuilder validates each request's token (never turned off); without one (TEAMS=on) it
 * authenticates nothing, and the bot listens on 127.0.0.1 only. Every botbuilder import stays in
 * src/adapters/teams/. Its own outbox lane delivers what the core decided, as Adaptive Cards.
 */
export function createTeamsSurface(core: Core, cfg: TeamsConfig, o: TeamsSurfaceOptions = {}): TeamsSurface {
  const log = core.log.child({ component: 'teams' });
  // An empty app id is botbuilder's own «authentication disabled» (TEAMS=on, local testing only).
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: cfg.authenticated ? (cfg.appId ?? '') : '',
      MicrosoftAppPassword: cfg.authenticated ? (cfg.appPassword ?? '') : '',
      MicrosoftAppType: cfg.authenticated ? cfg.appType : 'MultiTenant',
      MicrosoftAppTenantId: cfg.authenticated ? (cfg.tenantId ?? '') : '',
    }),
  );
  adapter.onTurnError = async (context, error) => {
    log.error({ err: error, activityType: context.activity.type }, 'teams turn failed');
    if (context.activity.type === ActivityTypes.Message) await context.sendActivity(core.fmt.m.reply.internal).catch(() => undefined);
  };
  const conversations = new SqliteTeamsConversations(core.db);
  const connector = new TeamsConnector(adapter, cfg.authenticated ? (cfg.appId ?? '') : '', o.timeoutMs);
  const ctx = renderContext(core);
  const fmt = core.fmt;
  const deliverer = new TeamsDeliverer({
    connector,
    conversations,
    people: core.people,
    pieces: core.pieces,
    messages: core.messages,
    clock: core.clock,
    fmt,
    ctx,
    places: cfg.channels,
    serviceUrl: cfg.serviceUrl,
    botId: `28:${cfg.appId ?? 'visto-bueno'}`,
    tenantId: cfg.tenantId,
    roles: core.roles,
    calendar: core.calendar,
    entries: core.entries,
    digest: (date) => buildDigest(core.calendar, core.pieces, fmt.tz, date, core.clock.now(), DIGEST_WAITING_SHOWN),
    outbox: core.outbox,
    titles: { piece: (id) => core.pieces.get(id)?.title ?? null, entry: (id) => core.entries.get(id)?.title ?? null, inquiry: (id) => core.inquiries.getById(id)?.folio ?? null },
    kpis: core.kpis,
    inquiries: core.inquiries,
    inquiryRepo: core.inquiryRepo,
    log,
  });
  const worker = new OutboxWorker(core.outbox, 'teams', deliverer, core.clock, log.child({ component: 'outbox', lane: 'teams' }), (row) => core.reportFailure(row), { ...DEFAULT_OUTBOX_OPTIONS, ...o.outbox });
  core.onKick(() => worker.kick());
  const replies = new TeamsReplies(connector, log);
  const bot = new VistoBuenoTeamsBot({ core, conversations, deliverer, ctx, log, tenantId: cfg.tenantId, replies });

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'POST' });
      const body = await readJsonBody(req);
      if (!body.ok) return sendJson(res, body.status, { error: body.reason });
      const activity = body.value as Partial<Activity> | null;
      // botbuilder throws (outside its own try) on an activity without a type: answer 400, never crash.
      if (!activity || typeof activity !== 'object' || Array.isArray(activity) || typeof activity.type !== 'string' || !activity.type) {
        return sendJson(res, 400, { error: 'invalid_activity' });
      }
      await adapter.process({ body: activity as Record<string, unknown>, headers: req.headers as Record<string, string | string[] | undefined>, method: req.method }, nodeResponse(res), (c) => bot.run(c));
    })().catch((e: unknown) => {
      log.error({ err: e }, 'teams request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal' });
      else res.end();
    });
  };
  return {
    mount: { prefix: TEAMS_PATH, listener },
    status: () => deliverer.status,
    adapter,
    worker,
    start: () => {
      worker.start();
      // Names of people named in settings (Azure AD ids), asked of Teams once, without delaying the start.
      void deliverer
        .learnUnnamed()
        .then((n) => n && log.info({ learned: n }, 'names of people named in settings learned from Teams'))
        .catch((e: unknown) => log.warn({ err: e }, 'could not ask Teams for the names of people named in settings'));
    },
    stop: async () => {
      await worker.stop();
      await replies.idle();
    },
  };
}

/** botbuilder's Response over Node's ServerResponse. */
function nodeResponse(res: ServerResponse) {
  return {
    socket: res.socket,
    status(code: number) {
      res.statusCode = code;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
    },
    send(body?: unknown) {
      if (body === undefined || body === null) return;
      if (typeof body === 'string' || Buffer.isBuffer(body)) res.write(body);
      else {
        if (!res.getHeader('content-type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.write(JSON.stringify(body));
      }
    },
    end() {
      res.end();
    },
  };
}

export const renderContext = (core: Core): TeamsRenderContext => ({ nameOf: (id) => core.people.label(id), more: core.fmt.m.teams.more });
