import { App, HTTPReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from '../../config.js';
import type { Core } from '../../core.js';
import { localDateOf } from '../../domain/shared/time.js';
import { buildDigest } from '../../domain/calendar/digest.js';
import { boltLogger } from '../../logger.js';
import type { Mount } from '../../http/server.js';
import { DEFAULT_OUTBOX_OPTIONS, OutboxWorker, type OutboxOptions } from '../../scheduler/outbox.js';
import { DIGEST_WAITING_SHOWN } from '../../views/calendar-views.js';
import { SlackConnection, type SlackStatus } from './connection.js';
import { SlackDeliverer } from './deliver.js';
import { registerCalendar } from './listeners/calendar.js';
import { registerPieceActions } from './listeners/piece-actions.js';
import { registerPieceCommand } from './listeners/piece-command.js';
import { registerPieceForms } from './listeners/piece-forms.js';
import { registerOutdated } from './listeners/outdated.js';
import { registerKpi } from './listeners/kpi.js';
import { registerInquiries } from './listeners/inquiries.js';
import { registerOnCall } from './listeners/oncall.js';
import type { Effect } from '../../domain/shared/effects.js';
import { kpiChart } from '../../views/kpi-chart.js';
import { renderChartPng } from '../chart/png.js';
import { uploadPng } from './upload.js';
import { SlackPeople, useSlackPeople } from './people.js';
import type { Address, Place } from '../../domain/people/types.js';

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** A Slack user's display name and e-mail (users.info; the e-mail needs users:read.email), or null. */
export async function slackProfile(client: WebClient, userId: string, timeoutMs: number): Promise<{ name: string | null; email: string | null } | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const res = await Promise.race([client.users.info({ user: userId }), timeout]);
    if (!res || !res.user) return null;
    const u = res.user as { real_name?: string; name?: string; profile?: { email?: string; real_name?: string; display_name?: string } };
    const email = u.profile?.email && /@/.test(u.profile.email) ? u.profile.email : null;
    return { name: u.profile?.real_name || u.real_name || u.name || null, email };
  } finally {
    clearTimeout(timer);
  }
}

/** Every Web API call gives up after this — well inside the outbox lease, so a hung request is retried, never sent twice by a lease. */
export const SLACK_TIMEOUT_MS = 10_000;

export interface SlackSurface {
  /** Bolt's receiver, mounted on the project's server (HTTP mode) */
  mount: Mount | null;
  worker: OutboxWorker;
  status(): SlackStatus;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Slack as one surface of the core: listeners in, one outbox lane out. */
export interface SlackSurfaceOptions {
  outbox?: Partial<OutboxOptions>;
  /** per Web API call (default SLACK_TIMEOUT_MS) */
  timeoutMs?: number;
  /** first wait before asking Slack again after an outage (doubles up to a minute) */
  retryMs?: number;
}

export function createSlackSurface(core: Core, slack: Config['slack'], o: SlackSurfaceOptions = {}): SlackSurface {
  const { log, clock, fmt } = core;
  const m = fmt.m;
  const clientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    // The outbox owns retries (it honours Retry-After and survives restarts); the client must not hide them.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: o.timeoutMs ?? SLACK_TIMEOUT_MS,
  };
  const client = new WebClient(slack.botToken, { ...clientOptions, logger: boltLogger(log) });
  const connection = new SlackConnection(client, log.child({ component: 'slack' }), () => Date.now(), { firstMs: o.retryMs ?? 2000, maxMs: 60_000 });
  // Our own authorize: Bolt's default calls auth.test in its constructor, and a rejection there killed the process.
  const authorize = async () => ({ botToken: slack.botToken, botId: connection.status.botId, botUserId: connection.status.botUserId });
  const receiver = slack.appToken ? null : new HTTPReceiver({ signingSecret: slack.signingSecret, endpoints: '/slack/events', logger: boltLogger(log) });
  const app = receiver
    ? new App({ receiver, authorize, logger: boltLogger(log), extendedErrorHandler: true, clientOptions })
    : // The socket's own client must use the same API address (a proxy, or the fake Slack in tests).
      new App({ socketMode: true, appToken: slack.appToken!, authorize, logger: boltLogger(log), extendedErrorHandler: true, clientOptions, installerOptions: { clientOptions } });

  const digest = (date: string) => buildDigest(core.calendar, core.pieces, fmt.tz, date, clock.now(), DIGEST_WAITING_SHOWN);
  const people = new SlackPeople(core.people, m.actors);
  useSlackPeople(people);
  const places: Record<Place, string | null> = { review: slack.reviewChannelId, calendar: core.config.calendar.channelId, digest: core.config.calendar.digestChannelId, kpi: core.config.kpi.channelId, inquiries: core.config.inquiries.channelId };
  const titles = { piece: (id: number) => core.pieces.get(id)?.title ?? null, entry: (id: number) => core.entries.get(id)?.title ?? null, inquiry: (id: number) => core.inquiries.getById(id)?.folio ?? null };
  // A campaign's chart: rendered from the figures as of its date, uploaded with its alt text.
  const sendChart = async (channel: string, e: Extract<Effect, { type: 'kpi_chart' }>): Promise<void> => {
    const c = core.kpis.campaignById(e.campaignId);
    const chart = c && kpiChart(fmt, core.kpis.summary(c, e.date), e.metric);
    if (!c || !chart) return; // deleted since, or nothing to draw
    await uploadPng(client, { channel, png: await renderChartPng(chart), filename: `kpi-${c.key}-${e.date}.png`, title: chart.title, alt: chart.alt, comment: chart.title });
  };
  const deliverer = new SlackDeliverer({ client, pieces: core.pieces, messages: core.messages, clock, fmt, places, people, calendar: core.calendar, entries: core.entries, digest, connection, outbox: core.outbox, titles, kpis: core.kpis, sendChart, inquiries: core.inquiries, inquiryRepo: core.inquiryRepo, log });
  const worker = new OutboxWorker(
    core.outbox,
    'slack',
    deliverer,
    clock,
    log.child({ component: 'outbox', lane: 'slack' }),
    (row) => core.reportFailure(row),
    { ...DEFAULT_OUTBOX_OPTIONS, ...o.outbox },
  );
  core.onKick(() => worker.kick());
  connection.onReady(() => worker.kick());

  // A Slack user seen for the first time: their e-mail (users:read.email) links them to the same person
  // on Teams or in a setting — one person, one set of roles, one history. Asked once, briefly: a slow
  // answer never holds the request past Slack's 3 seconds.
  app.use(async ({ body, next }) => {
    const b = body as { user_id?: string; user?: { id?: string }; event?: { user?: string } };
    const userId = b.user_id ?? b.user?.id ?? b.event?.user;
    if (userId && SLACK_USER_ID.test(userId) && !core.people.find('slack', userId)) await learnSlackUser(userId);
    await next();
  });
  const learnSlackUser = async (userId: string): Promise<void> => {
    const user = await slackProfile(client, userId, 1500).catch((e: unknown) => {
      log.info({ err: e, userId }, 'Slack did not give the user (their e-mail links them to Teams when it does)');
      return null;
    });
    if (!user) return;
    try {
      core.people.ensure('slack', userId, user);
    } catch (e) {
      log.warn({ err: e, userId }, 'could not record the Slack user');
    }
  };

  const deps = { approvals: core.approvals, roles: core.roles, outbox: core.outbox, fmt, log, kickOutbox: () => core.kickOutbox(), people, titles };
  registerPieceCommand(app, deps);
  registerPieceActions(app, deps);
  registerPieceForms(app, deps);
  registerKpi(app, { ...deps, kpis: core.kpis, enqueue: (e, now) => core.enqueue(e, now), now: () => clock.now() });
  registerInquiries(app, { ...deps, inquiries: core.inquiries });
  registerOnCall(app, { ...deps, oncall: core.oncall, now: () => clock.now() });
  registerCalendar(app, {
    ...deps,
    calendar: core.calendar,
    pieces: core.pieces,
    sendDigestTo: (userId) => {
      const now = clock.now();
      core.enqueue({ type: 'digest', to: { person: userId }, date: localDateOf(now, fmt.tz), personal: true, late: false }, now);
      core.kickOutbox();
    },
    subscribe: (userId) => core.subscriptions.subscribe(userId, clock.now()),
    unsubscribe: (userId) => core.subscriptions.unsubscribe(userId),
  });
  // Last: what no listener above took (an old button, an unknown form) is answered, not left to time out.
  registerOutdated(app, deps);

  // extendedErrorHandler: Bolt passes { error, body, context } instead of the bare error.
  const onError = async ({ error, body, context }: { error: Error; body?: unknown; context?: { teamId?: string } }) => {
    log.error({ err: error, teamId: context?.teamId, userId: (body as { user?: { id?: string } } | undefined)?.user?.id }, 'unhandled error in a Slack listener');
    const url = (body as { response_url?: string } | undefined)?.response_url;
    if (url) {
      await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: m.reply.internal }),
        signal: AbortSignal.timeout(SLACK_TIMEOUT_MS),
      }).catch(() => undefined);
    }
  };
  app.error(onError as never);

  return {
    mount: receiver ? { prefix: '/slack/events', listener: receiver.requestListener } : null,
    worker,
    status: () => connection.status,
    async start() {
      await connection.connect();
      worker.start();
      // People met before the bot asked for e-mails: asked once now, in the background.
      void (async () => {
        let learned = 0;
        const before = core.people.conflicts.length;
        for (const userId of core.people.withoutEmail('slack')) {
          const p = await slackProfile(client, userId, 5000).catch(() => null);
          const person = core.people.find('slack', userId);
          if (!p?.email || !person) continue;
          core.people.setEmail(person, p.email, p.name);
          learned++;
        }
        if (learned) log.info({ learned }, 'e-mails of Slack users known from before learned (people named by e-mail in settings are now them)');
        // People named by e-mail who never used Slack: Slack finds them by their address, so they are
        // reached (tasks, pages) before they ever type a command.
        let found = 0;
        for (const p of core.people.placeholders()) {
          const r = await client.users.lookupByEmail({ email: p.email }).catch(() => null);
          const id = r?.user?.id;
          if (!id || core.people.find('slack', id)) continue;
          const u = r.user as { real_name?: string; profile?: { real_name?: string } };
          core.people.ensure('slack', id, { name: u.profile?.real_name || u.real_name || null, email: p.email });
          found++;
        }
        if (found) log.info({ found }, 'people named by e-mail found in Slack');
        const split = core.people.conflicts.slice(before);
        if (split.length) log.warn({ people: split }, 'one e-mail, two people who both acted already (on Slack and on Teams, before either gave the e-mail): they stay two');
      })().catch((e: unknown) => log.warn({ err: e }, 'could not ask Slack for the e-mails of known users'));
      if (slack.appToken) {
        // Socket Mode: a failed connection is retried by the client; it must not stop the bot.
        app.start().catch((e: unknown) => log.error({ err: e }, 'Socket Mode could not connect; will keep trying'));
      }
    },
    async stop() {
      connection.stop();
      await worker.stop();
      if (slack.appToken) await app.stop().catch(() => undefined);
    },
  };
}
