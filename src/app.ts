import { App, type CustomRoute } from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerPieceActions } from './adapters/slack/listeners/piece-actions.js';
import { registerPieceCommand } from './adapters/slack/listeners/piece-command.js';
import { registerPieceForms } from './adapters/slack/listeners/piece-forms.js';
import { registerOutdated } from './adapters/slack/listeners/outdated.js';
import { SlackDeliverer } from './adapters/slack/deliver.js';
import type { Config } from './config.js';
import { ApprovalService } from './domain/approvals/service.js';
import { systemClock, type Clock } from './domain/shared/clock.js';
import { RoleService } from './domain/shared/role-service.js';
import { messagesFor } from './i18n/index.js';
import { boltLogger, type Logger } from './logger.js';
import { DEFAULT_OUTBOX_OPTIONS, OutboxWorker, type OutboxOptions } from './scheduler/outbox.js';
import { checkDatabase, openDatabase, type DB } from './store/db.js';
import { SqliteMessageRepository } from './store/message-repo.js';
import { migrate } from './store/migrate.js';
import { SqliteOutbox } from './store/outbox-repo.js';
import { SqlitePieceRepository } from './store/piece-repo.js';
import { SqliteRoleRepository } from './store/role-repo.js';
import type { Fmt } from './views/format.js';
import { registerCalendar } from './adapters/slack/listeners/calendar.js';
import { calendarFeedRoute } from './adapters/ical/route.js';
import { buildDigest } from './domain/calendar/digest.js';
import { CalendarService } from './domain/calendar/service.js';
import { localDateOf } from './domain/shared/time.js';
import { JobScheduler } from './scheduler/jobs.js';
import { SqliteCalendarRepository } from './store/calendar-repo.js';
import { SqliteReminderRepository } from './store/reminder-repo.js';
import { DIGEST_WAITING_SHOWN } from './views/calendar-views.js';

export interface RunningApp {
  /** the HTTP port actually bound (useful with PORT=0) */
  port: number;
  db: DB;
  outbox: OutboxWorker;
  jobs: JobScheduler;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger: Logger;
  outbox?: Partial<OutboxOptions>;
  /** How often the job scheduler ticks; 0 = only when tick() is called (tests). */
  schedulerTickMs?: number;
}

/**
 * The composition root: database and migrations → repositories → use-cases → Slack → outbox.
 * Nothing here reads process.env; the config comes in.
 */
export async function startVistoBueno(config: Config, opts: StartOptions): Promise<RunningApp> {
  const log = opts.logger;
  const clock = opts.clock ?? systemClock;
  const db = openDatabase(config.databasePath);
  try {
    const { from, to } = migrate(db);
    if (from !== to) log.info({ from, to }, 'database migrated');
  } catch (e) {
    db.close();
    throw e;
  }

  const pieces = new SqlitePieceRepository(db);
  const outboxRepo = new SqliteOutbox(db);
  const messages = new SqliteMessageRepository(db);
  const roles = new RoleService(config.roles, new SqliteRoleRepository(db), clock);
  const approvals = new ApprovalService({ pieces, outbox: outboxRepo, roles, clock, policy: { allowSelfApproval: config.allowSelfApproval } });
  const entries = new SqliteCalendarRepository(db);
  const reminders = new SqliteReminderRepository(db);
  const calendar = new CalendarService({ entries, reminders, roles, clock, tz: config.timezone });
  const m = messagesFor(config.locale);
  const fmt: Fmt = { m, tz: config.timezone, locale: config.locale, now: () => clock.now() };

  const healthz: CustomRoute = {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      const problem = checkDatabase(db);
      const body = problem ? { status: 'error', database: problem } : { status: 'ok', database: 'ok', outbox: outboxRepo.counts() };
      res.writeHead(problem ? 503 : 200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    },
  };

  const common = {
    token: config.slack.botToken,
    logger: boltLogger(log),
    extendedErrorHandler: true,
    customRoutes: [
      healthz,
      calendarFeedRoute({ token: config.calendar.feedToken, calendar, pieces, clock, tz: config.timezone, m }),
    ],
    clientOptions: {
      ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
      // The outbox owns retries (it honours Retry-After and survives restarts); the client must not hide them.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    },
  };
  const app = config.slack.appToken
    ? new App({ ...common, socketMode: true, appToken: config.slack.appToken, installerOptions: { port: config.port } })
    : new App({ ...common, signingSecret: config.slack.signingSecret });

  const digest = (date: string) => buildDigest(calendar, pieces, config.timezone, date, clock.now(), DIGEST_WAITING_SHOWN);
  const deliverer = new SlackDeliverer({ client: app.client, pieces, messages, clock, fmt, reviewChannelId: config.slack.reviewChannelId, calendar, entries, digest });
  const worker: OutboxWorker = new OutboxWorker(
    outboxRepo,
    deliverer,
    clock,
    log.child({ component: 'outbox' }),
    (row, error) => {
      // A message that will never arrive is shown to the admins, never swallowed.
      if (row.effect.type === 'admin_alert') return;
      const piece = row.pieceId ? `#${row.pieceId}` : '—';
      const what = m.admin.deliveryFailed(row.effect.type, piece, error);
      for (const admin of roles.usersWith('admin')) {
        outboxRepo.enqueue({ type: 'admin_alert', to: admin, pieceId: row.pieceId, error, what }, clock.now());
      }
    },
    { ...DEFAULT_OUTBOX_OPTIONS, ...opts.outbox },
  );

  const jobs = new JobScheduler({
    db,
    calendar,
    entries,
    reminders,
    pieces,
    roles,
    outbox: outboxRepo,
    clock,
    log: log.child({ component: 'jobs' }),
    settings: {
      tz: config.timezone,
      calendarChannelId: config.calendar.channelId,
      digestChannelId: config.calendar.digestChannelId,
      digestTime: config.calendar.digestTime,
      digestDays: config.calendar.digestDays,
      graceMs: config.calendar.reminderGraceHours * 3_600_000,
    },
    onEnqueued: () => worker.kick(),
  });

  const deps = { approvals, roles, outbox: outboxRepo, fmt, log, kickOutbox: () => worker.kick() };
  registerPieceCommand(app, deps);
  registerPieceActions(app, deps);
  registerPieceForms(app, deps);
  registerCalendar(app, {
    ...deps,
    calendar,
    pieces,
    sendDigestTo: (userId) => {
      const now = clock.now();
      outboxRepo.enqueue({ type: 'digest', to: userId, date: localDateOf(now, config.timezone), personal: true, late: false }, now);
      worker.kick();
    },
    subscribe: (userId) => reminders.subscribe(userId, clock.now()),
    unsubscribe: (userId) => reminders.unsubscribe(userId),
  });
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
      }).catch(() => undefined);
    }
  };
  app.error(onError as never);

  let port = config.port;
  if (config.slack.appToken) {
    await app.start();
  } else {
    const server = (await app.start({ port: config.port, host: config.host })) as Server;
    port = (server.address() as AddressInfo).port;
  }
  worker.start();
  jobs.start(opts.schedulerTickMs ?? 1000);
  log.info({ port, socketMode: Boolean(config.slack.appToken), timezone: config.timezone, locale: config.locale }, 'Visto Bueno started');

  return {
    port,
    db,
    outbox: worker,
    jobs,
    async stop() {
      jobs.stop();
      await worker.stop();
      await app.stop();
      db.close();
    },
  };
}
