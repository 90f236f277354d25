import type { Config } from './config.js';
import { pieceAlertKind } from './domain/approvals/jobs.js';
import { ApprovalService } from './domain/approvals/service.js';
import { calendarReminderKind, digestKind } from './domain/calendar/jobs.js';
import { CalendarService } from './domain/calendar/service.js';
import { systemClock, type Clock } from './domain/shared/clock.js';
import type { Effect } from './domain/shared/effects.js';
import type { Address, PersonId, Place, Surface } from './domain/people/types.js';
import { AAD_OBJECT_ID, EMAIL, SLACK_USER } from './config.js';
import { RoleService, type EnvRoles } from './domain/shared/role-service.js';
import { localDateOf, localToEpoch } from './domain/shared/time.js';
import { messagesFor } from './i18n/index.js';
import type { Logger } from './logger.js';
import { DEFAULT_JOB_OPTIONS, JobScheduler, type JobEngineOptions } from './scheduler/jobs.js';
import { pruneKind } from './scheduler/maintenance.js';
import { parseCron } from './scheduler/cron.js';
import { KpiService } from './domain/kpis/service.js';
import { kpiCheckKind, kpiClosingKind, kpiReportKind, type KpiJobSettings } from './domain/kpis/jobs.js';
import { SqliteKpiRepository } from './store/kpi-repo.js';
import { SqliteCalendarRepository } from './store/calendar-repo.js';
import { openDatabase, type DB } from './store/db.js';
import { SqliteJobRepository } from './store/job-repo.js';
import { SqliteMessageRepository } from './store/message-repo.js';
import { migrate } from './store/migrate.js';
import { SqliteOutbox, type OutboxRow } from './store/outbox-repo.js';
import { SqliteConsoleMessages } from './store/console-repo.js';
import { SqlitePieceRepository } from './store/piece-repo.js';
import { SqlitePeopleRepository } from './store/people-repo.js';
import { SqliteRoleRepository } from './store/role-repo.js';
import { SqliteDigestSubscriptions } from './store/subscription-repo.js';
import type { Fmt } from './views/format.js';
import { DATE_HOLIDAYS_VERSION, dateHolidaysSource } from './adapters/holidays/date-holidays.js';
import { BusinessCalendar } from './domain/inquiries/business-days.js';
import { dailyKind, pageKind } from './domain/inquiries/jobs.js';
import { legalTable, type LegalTable } from './domain/inquiries/legal-terms.js';
import { InquiryService } from './domain/inquiries/service.js';
import { handoffKind } from './domain/oncall/jobs.js';
import { parseHandoff } from './domain/oncall/rotation.js';
import { OnCallService } from './domain/oncall/service.js';
import { SqliteInquiryRepository } from './store/inquiry-repo.js';
import { SqliteOnCallRepository } from './store/oncall-repo.js';

/** Everything the surfaces share: built once, whatever surfaces are on. */
export interface Core {
  config: Config;
  db: DB;
  clock: Clock;
  log: Logger;
  fmt: Fmt;
  people: SqlitePeopleRepository;
  pieces: SqlitePieceRepository;
  outbox: SqliteOutbox;
  messages: SqliteMessageRepository;
  roles: RoleService;
  approvals: ApprovalService;
  entries: SqliteCalendarRepository;
  calendar: CalendarService;
  subscriptions: SqliteDigestSubscriptions;
  kpis: KpiService;
  kpiRepo: SqliteKpiRepository;
  inquiries: InquiryService;
  inquiryRepo: SqliteInquiryRepository;
  oncall: OnCallService;
  jobs: JobScheduler;
  /** The surfaces that are on (Slack, Teams, the console), in the order they were configured. */
  surfaces: Surface[];
  /** Writes an effect to the outbox, in each lane that must deliver it. */
  enqueue(effect: Effect, now: number): void;
  /** The lanes an effect goes to (see routeEffect). */
  lanesOf(effect: Effect): Surface[];
  /**
   * A message that will never arrive is shown to the admins, never swallowed (an alert that cannot be
   * delivered either is only logged: no loop of alerts about alerts).
   */
  reportFailure(row: OutboxRow): void;
  /** Moves rows no lane delivers (a tool's, a surface turned off) to the lanes that do; how many. */
  reroute(): number;
  /** Lanes register here so a decision's messages go out at once. */
  onKick(fn: () => void): void;
  kickOutbox(): void;
}

export interface CoreOptions {
  clock?: Clock;
  logger: Logger;
  jobs?: Partial<JobEngineOptions>;
}

/** config → database → repositories → use-cases → job kinds. Reads no environment. */
export function buildCore(config: Config, opts: CoreOptions): Core {
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
  const tz = config.timezone;
  // Time-zone rules change (Mexico dropped daylight saving in 2022): rows planned under other data are re-planned.
  const tzData = process.versions.tz ?? 'unknown';
  const graceMs = config.calendar.reminderGraceHours * 3_600_000;
  // The first use of a time zone loads its ICU data (tens of ms): pay it here, before the port opens,
  // not in the first request or the first planning slice.
  localToEpoch(localDateOf(Date.now(), tz), '09:00', tz);

  const kicks: (() => void)[] = [];
  const kickOutbox = () => kicks.forEach((k) => k());
  const outbox = new SqliteOutbox(db);
  const people = new SqlitePeopleRepository(db);
  const surfaces: Surface[] = [...(config.slack.enabled ? (['slack'] as const) : []), ...(config.teams.enabled ? (['teams'] as const) : []), ...(config.console.enabled ? (['console'] as const) : [])];
  const places = placesOn(config);
  const lanesOf = (effect: Effect) => routeEffect(effect, surfaces, places, people);
  // One row per lane: each surface delivers its copy on its own (a Teams 429 never holds Slack back).
  const enqueue = (effect: Effect, now: number) => {
    for (const lane of lanesOf(effect)) outbox.enqueue(effect, now, lane);
  };
  const outboxPort = { enqueue };
  const anyPlace = (p: Place) => surfaces.some((s) => places[s][p]);

  const jobsRepo = new SqliteJobRepository(db);
  const jobs = new JobScheduler({ repo: jobsRepo, clock, log: log.child({ component: 'jobs' }), enqueue, onEnqueued: kickOutbox, options: { ...DEFAULT_JOB_OPTIONS, ...opts.jobs } });

  const pieces = new SqlitePieceRepository(db);
  const messages = new SqliteMessageRepository(db);
  // Roles from the environment name Slack users, Teams users (Azure AD object ids) or e-mails; the core knows them as people.
  const envPeople = (ids: readonly string[]) => ids.map((id) => personFromSetting(people, id));
  // Resolved again whenever people are linked (an e-mail placeholder absorbed by the Slack user who
  // turned out to have that e-mail): a role named in a setting follows the human.
  let envCache: { generation: number; roles: EnvRoles } | null = null;
  const envRoles = (): EnvRoles => {
    if (envCache?.generation !== people.generation) {
      const roles = {
        approverIds: envPeople(config.roles.approverIds),
        designerIds: envPeople(config.roles.designerIds),
        adminIds: envPeople(config.roles.adminIds),
        kpiEditorIds: envPeople(config.kpi.editorIds),
      };
      envCache = { generation: people.generation, roles };
    }
    return envCache.roles;
  };
  // Resolved once now: the people named in settings exist before any surface starts (Teams asks
  // for the names of those it does not know yet).
  envRoles();
  const roles = new RoleService(envRoles, new SqliteRoleRepository(db), clock);
  const approvals = new ApprovalService({ pieces, outbox: outboxPort, roles, clock, policy: { allowSelfApproval: config.allowSelfApproval }, jobs, tz });
  const entries = new SqliteCalendarRepository(db);
  const calendar = new CalendarService({ entries, jobs, roles, clock, tz });
  const subscriptions = new SqliteDigestSubscriptions(db);
  const kpiPlace = anyPlace('kpi');
  const reportTime = config.calendar.digestTime;
  const kpiRepo = new SqliteKpiRepository(db);
  const kpis = new KpiService({ repo: kpiRepo, jobs, roles, clock, tz, enqueue, alerts: { kpiPlace, reportTime } });
  const cron = parseCron(config.kpi.reportCron, tz);
  if (!cron.ok) throw new Error(`KPI_REPORT_CRON: ${cron.message}`); // loadConfig checked it already
  const kpiSettings: KpiJobSettings = { tz, tzData, graceMs, kpiPlace, reportCron: cron.schedule.expression, reportTimes: (from, to) => cron.schedule.between(from, to), reportTime };

  jobs
    .register(calendarReminderKind({ calendar, entries, roles, settings: { tz, tzData, graceMs, calendarPlace: anyPlace('calendar') } }))
    .register(
      digestKind({
        subscriptions,
        settings: { tz, tzData, graceMs, digestPlace: anyPlace('digest'), digestTime: config.calendar.digestTime, digestDays: config.calendar.digestDays },
      }),
    )
    .register(pieceAlertKind({ pieces, roles, tz, tzData, graceMs }))
    .register(kpiReportKind({ kpis, settings: kpiSettings }))
    .register(kpiClosingKind({ repo: kpiRepo, roles, settings: kpiSettings }))
    .register(kpiCheckKind({ repo: kpiRepo, kpis, settings: kpiSettings }))
    .register(pruneKind({ tables: [outbox, jobsRepo, new SqliteConsoleMessages(db)], retentionDays: config.retentionDays, tz }));

  // Inquiries and on-call: the legal calendar of the office's country, the rotation, escalation.
  const iq = config.inquiries;
  const businessCalendar = new BusinessCalendar(dateHolidaysSource(iq.country, iq.region), iq.closedDates, iq.officeHours);
  const legal: LegalTable = legalTable(iq.country, iq.termsOverride ?? undefined) ?? { country: iq.country, terms: iq.termsOverride ?? [], transferDays: null, transferArticle: null };
  const inquiryPlace = anyPlace('inquiries');
  const inquiryRepo = new SqliteInquiryRepository(db);
  // eslint-disable-next-line prefer-const -- the rotation hands leavers' inquiries back to escalation
  let inquiries: InquiryService;
  const oncall = new OnCallService({
    repo: new SqliteOnCallRepository(db),
    roles,
    clock,
    tz,
    handoff: parseHandoff(iq.handoff)!,
    jobs,
    envRotation: envPeople(iq.oncallIds),
    onLeave: (left, actorId, now) => void inquiries.returnFrom(left, actorId, now),
    horizonMs: 8 * 86_400_000,
  });
  inquiries = new InquiryService({ repo: inquiryRepo, jobs, roles, clock, tz, enqueue, calendar: businessCalendar, legal, policy: { ackMinutes: iq.ackMinutes, repeatMinutes: iq.repeatMinutes }, oncall, inquiryPlace });
  // Everything a due date depends on: a change recomputes the open ones at start.
  const calendarKey = [tz, iq.country, iq.region ?? '', JSON.stringify(iq.closedDates), `${iq.officeHours.open}-${iq.officeHours.close}`, JSON.stringify(legal.terms), `date-holidays@${DATE_HOLIDAYS_VERSION}`].join('|');
  jobs
    .register(pageKind({ inquiries, log }))
    .register(dailyKind({ inquiries, roles, oncall, log, settings: { tz, tzData, time: iq.officeHours.open, graceMs, calendarKey } }))
    .register(handoffKind({ oncall, settings: { tz, tzData, handoff: iq.handoff, graceMs, inquiryPlace } }));
  oncall.seedFromEnv(clock.now());
  try {
    const moved = inquiries.recalculateDueDates(calendarKey, clock.now());
    if (moved) log.warn({ moved }, 'the legal calendar changed: due dates of open inquiries computed again');
  } catch (e) {
    // A fault here must not keep the bot from starting (and paging): the dates stay as they were.
    log.error({ err: e }, 'could not recompute the due dates of open inquiries; they keep their dates');
  }

  const m = messagesFor(config.locale);
  const fmt: Fmt = { m, tz, locale: config.locale, now: () => clock.now(), currency: config.kpi.currency, numberLocale: config.kpi.numberLocale };
  return {
    config,
    db,
    clock,
    log,
    fmt,
    people,
    pieces,
    outbox,
    messages,
    roles,
    approvals,
    entries,
    calendar,
    subscriptions,
    kpis,
    kpiRepo,
    inquiries,
    inquiryRepo,
    oncall,
    jobs,
    surfaces,
    enqueue,
    lanesOf,
    reportFailure: (row) => {
      if (row.effect.type === 'admin_alert') return;
      for (const admin of roles.usersWith('admin')) enqueue({ type: 'admin_alert', to: { person: admin }, pieceId: row.pieceId, failedId: row.id }, clock.now());
    },
    reroute: () => outbox.reroute(clock.now(), surfaces, lanesOf),
    onKick: (fn) => kicks.push(fn),
    kickOutbox,
  };
}

/** A person named in a setting: a Slack user id, a Teams user's Azure AD object id, or an e-mail. */
export function personFromSetting(people: SqlitePeopleRepository, written: string): PersonId {
  if (SLACK_USER.test(written)) return people.ensure('slack', written);
  if (AAD_OBJECT_ID.test(written)) return people.ensure('teams', written.toLowerCase());
  return people.ensureByEmail(written);
}

/** Which named places each surface has a channel for. */
export function placesOn(config: Config): Record<Surface, Record<Place, boolean>> {
  const t = config.teams.channels;
  const out = {
    slack: { review: Boolean(config.slack.reviewChannelId), calendar: config.calendar.channelId !== null, digest: config.calendar.digestChannelId !== null, kpi: config.kpi.channelId !== null, inquiries: config.inquiries.channelId !== null },
    teams: { review: t.review !== null, calendar: t.calendar !== null, digest: t.digest !== null, kpi: t.kpi !== null, inquiries: t.inquiries !== null },
  };
  // The demo office's console has every channel; beside Slack or Teams it shows the channels they have
  // (so a place no surface has still fails visibly, and alerts still go to the admins by DM).
  const slack = out.slack;
  const teams = out.teams;
  const mirror = (p: Place) => config.console.enabled && (config.console.demo || slack[p] || teams[p]);
  return { ...out, console: { review: mirror('review'), calendar: mirror('calendar'), digest: mirror('digest'), kpi: mirror('kpi'), inquiries: mirror('inquiries') } };
}

/**
 * The lanes an effect is delivered in. A direct message goes to one surface: where the person was
 * last seen among those that are on (a person on both Slack and Teams gets one copy, not two). A
 * place's message goes to every surface that has a channel for it. The card of a piece or an inquiry
 * is posted where the review (inquiry) place exists; refreshes and thread notes go to every lane,
 * each updating the copies it posted — one state, every card shows it.
 */
export function routeEffect(effect: Effect, surfaces: readonly Surface[], places: Record<Surface, Record<Place, boolean>>, people: Pick<SqlitePeopleRepository, 'preferredSurface'>): Surface[] {
  if (!surfaces.length) return [];
  const to = (effect as { to?: Address }).to;
  if (to && 'person' in to) return [people.preferredSurface(to.person, surfaces) ?? surfaces[0]!];
  const place: Place | null = to && 'place' in to ? to.place : effect.type === 'post_card' ? 'review' : effect.type === 'inquiry_card' ? 'inquiries' : null;
  if (place) {
    const on = surfaces.filter((s) => places[s][place]);
    // Nowhere to post it: the first lane fails it visibly (place_not_configured → the admins).
    return on.length ? on : [surfaces[0]!];
  }
  return [...surfaces];
}

/**
 * A person named in an imported file, as in the settings: a Slack user id (U…), a Teams user's Azure AD
 * object id, or an e-mail (linked to the person when they use Slack or Teams, or named in the team's
 * roster). Anything else is refused: a person nobody can reach must not own an entry.
 */
export function importedPerson(people: SqlitePeopleRepository): (written: string) => string | null {
  return (written) => {
    const w = written.trim();
    return SLACK_USER.test(w) || AAD_OBJECT_ID.test(w) || EMAIL.test(w) ? personFromSetting(people, w) : null;
  };
}

/**
 * The calendar for command-line tools (the CSV import): entries written through the same service,
 * their reminders planned into the same jobs table the bot fires.
 */
export function calendarForTools(db: DB, tz: string, clock: Clock, log: Logger): { calendar: CalendarService; person: (written: string) => string | null } {
  const roles = new RoleService({ approverIds: [], designerIds: [], adminIds: [], kpiEditorIds: [] }, new SqliteRoleRepository(db), clock);
  const jobs = new JobScheduler({ repo: new SqliteJobRepository(db), clock, log, enqueue: () => undefined, onEnqueued: () => undefined });
  const entries = new SqliteCalendarRepository(db);
  const calendar = new CalendarService({ entries, jobs, roles, clock, tz });
  jobs.register(calendarReminderKind({ calendar, entries, roles, settings: { tz, tzData: process.versions.tz ?? 'unknown', graceMs: 0, calendarPlace: false } }));
  return { calendar, person: importedPerson(new SqlitePeopleRepository(db)) };
}

/**
 * Campaign KPIs for command-line tools (the CSV import): figures written through the same service,
 * in one transaction per file; alerts they raise go to the outbox, which the running bot delivers.
 */
export function kpisForTools(db: DB, s: { tz: string; kpiPlace: boolean; reportTime: string; adminIds?: readonly string[] }, clock: Clock, log: Logger): KpiService {
  const outbox = new SqliteOutbox(db);
  // The tool does not know which surfaces the bot runs: the bot writes these rows into its lanes.
  const enqueue = (effect: Effect, now: number) => outbox.enqueue(effect, now, 'route');
  const repo = new SqliteKpiRepository(db);
  // The admins named in ADMIN_IDS too: without a KPI channel, the alerts are theirs.
  const people = new SqlitePeopleRepository(db);
  const adminIds = (s.adminIds ?? []).filter((id) => SLACK_USER.test(id) || AAD_OBJECT_ID.test(id) || /@/.test(id)).map((id) => personFromSetting(people, id));
  const roles = new RoleService({ approverIds: [], designerIds: [], adminIds }, new SqliteRoleRepository(db), clock);
  const jobs = new JobScheduler({ repo: new SqliteJobRepository(db), clock, log, enqueue, onEnqueued: () => undefined });
  const settings: KpiJobSettings = { tz: s.tz, tzData: process.versions.tz ?? 'unknown', graceMs: 0, kpiPlace: s.kpiPlace, reportCron: '', reportTimes: () => [], reportTime: s.reportTime };
  jobs.register(kpiClosingKind({ repo, roles, settings }));
  return new KpiService({ repo, jobs, roles, clock, tz: s.tz, enqueue, alerts: { kpiPlace: s.kpiPlace, reportTime: s.reportTime } });
}
