import type { Config } from './config.js';
import { buildCore, type Core } from './core.js';
import type { Clock } from './domain/shared/clock.js';
import { calendarFeedRoute } from './adapters/ical/route.js';
import { kpiApiMount } from './api/kpi-api.js';
import { inquiryApiMount } from './api/inquiry-api.js';
import { createSlackSurface, type SlackSurface, type SlackSurfaceOptions } from './adapters/slack/surface.js';
import { HttpServer } from './http/server.js';
import { healthRoute, livenessRoute } from './http/health.js';
import type { Logger } from './logger.js';
import type { JobEngineOptions, JobScheduler } from './scheduler/jobs.js';
import type { OutboxOptions, OutboxWorker } from './scheduler/outbox.js';
import type { DB } from './store/db.js';
import { createTeamsSurface, type TeamsSurface, type TeamsSurfaceOptions } from './adapters/teams/surface.js';
import { createConsoleSurface, type ConsoleSurface } from './adapters/console/surface.js';
import { DemoClock } from './adapters/console/clock.js';

/** Time zones that belong to one country with a legal table: a mismatch with LEGAL_COUNTRY is worth a warning. */
const ZONE_COUNTRY: Record<string, string> = {
  'America/Bogota': 'CO',
  'America/Santiago': 'CL',
  'America/Punta_Arenas': 'CL',
  'America/Montevideo': 'UY',
  'America/Argentina/Buenos_Aires': 'AR',
  'America/Buenos_Aires': 'AR',
  'America/Argentina/Cordoba': 'AR',
  'America/Argentina/Mendoza': 'AR',
};

export interface RunningApp {
  /** the HTTP port actually bound (useful with PORT=0) */
  port: number;
  db: DB;
  core: Core;
  /** the first surface's outbox lane (Slack when it is on) */
  outbox: OutboxWorker;
  /** every lane, by surface */
  workers: Partial<Record<'slack' | 'teams' | 'console', OutboxWorker>>;
  /** the local web console's address when it is on (http://127.0.0.1:3000/) */
  consoleUrl: string | null;
  /** the console surface when it is on (its demo office, its hub) */
  console: ConsoleSurface | null;
  jobs: JobScheduler;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger: Logger;
  outbox?: Partial<OutboxOptions>;
  jobs?: Partial<JobEngineOptions>;
  /** How often the job scheduler ticks; 0 = only when tick() is called (tests). */
  schedulerTickMs?: number;
  slack?: Omit<SlackSurfaceOptions, 'outbox'>;
  teams?: Omit<TeamsSurfaceOptions, 'outbox'>;
}

/**
 * The composition root: the core once (database → repositories → use-cases → job kinds), the one
 * HTTP server, then each configured surface as an adapter mounted on it. Nothing here reads process.env.
 */
export async function startVistoBueno(config: Config, opts: StartOptions): Promise<RunningApp> {
  // The demo office has its own clock, which the person trying it moves forward (never the office's real one).
  const demoClock = config.console.demo && !opts.clock ? new DemoClock() : null;
  const core = buildCore(config, { clock: opts.clock ?? demoClock ?? undefined, logger: opts.logger, jobs: opts.jobs });
  const log = core.log;
  let slack: SlackSurface | null = null;
  let teams: TeamsSurface | null = null;
  let consoleSurface: ConsoleSurface | null = null;
  const server = new HttpServer(log.child({ component: 'http' }));
  try {
    if (config.slack.enabled) slack = createSlackSurface(core, config.slack, { ...opts.slack, outbox: opts.outbox });
    server.route(healthRoute(core, { slack: () => slack?.status() ?? null, teams: () => teams?.status() ?? null }));
    server.route(livenessRoute(core));
    const shifts = (from: number, to: number) =>
      core.oncall.schedule().shifts(from, to).map((s) => ({ personId: s.personId, name: core.people.label(s.personId), start: s.start, end: s.end }));
    server.route(calendarFeedRoute({ token: config.calendar.feedToken, calendar: core.calendar, pieces: core.pieces, clock: core.clock, tz: config.timezone, m: core.fmt.m, shifts }));
    // Each API exists only with its token: without one, its paths are 404 like any unknown path.
    // The inquiry API's prefix is longer than the KPI API's: mounted first, it is matched first.
    if (config.inquiries.apiToken) server.mount(inquiryApiMount(core, config.inquiries.apiToken));
    if (config.kpi.apiToken) server.mount(kpiApiMount(core, config.kpi.apiToken));
    if (slack?.mount) server.mount(slack.mount);
    if (config.teams.enabled) {
      teams = createTeamsSurface(core, config.teams, { ...opts.teams, outbox: opts.outbox });
      server.mount(teams.mount);
    }
    if (config.console.enabled) {
      consoleSurface = createConsoleSurface(core, { outbox: opts.outbox, schedulerTickMs: opts.schedulerTickMs ?? 1000, demoClock: config.console.demo ? (demoClock ?? (opts.clock instanceof DemoClock ? opts.clock : null)) : null });
      server.mount(consoleSurface.mount);
      server.route({ path: '/', method: ['GET', 'HEAD'], handler: consoleSurface.page });
      // Browsers ask for it on every page: no icon, and no 404 in their console.
      server.route({ path: '/favicon.ico', method: 'GET', handler: (_req, res) => void res.writeHead(204).end() });
    }
    // Slack's answer decides whether we start (a refused token stops here); an outage does not.
    await slack?.start();
    teams?.start();
    consoleSurface?.start();
  } catch (e) {
    await slack?.stop().catch(() => undefined);
    await teams?.stop().catch(() => undefined);
    await consoleSurface?.stop().catch(() => undefined);
    core.db.close();
    throw e;
  }

  let port: number;
  try {
    port = await server.listen(config.port, config.host);
  } catch (e) {
    await slack?.stop();
    await teams?.stop();
    await consoleSurface?.stop();
    core.db.close();
    throw e;
  }
  core.jobs.start(opts.schedulerTickMs ?? 1000);
  // Rows a command-line tool wrote (lane «route»), or left by a surface now off, go to the lanes that deliver now.
  const reroute = () => {
    try {
      if (core.reroute()) core.kickOutbox();
    } catch (e) {
      log.error({ err: e }, 'could not move outbox rows to the lanes that deliver them');
    }
  };
  reroute();
  const rerouting = setInterval(reroute, 2000);
  rerouting.unref();
  // After the job engine healed its rows: an inquiry not taken with no step pending pages again now.
  try {
    const revived = core.inquiries.reviveEscalations();
    if (revived) log.warn({ revived }, 'inquiries without a pending escalation step were paged again');
  } catch (e) {
    log.error({ err: e }, 'could not check the inquiries for a pending escalation step; the morning job checks again');
  }
  warnEmptyRoles(core);
  // Once Slack and Teams had time to say who the people named by e-mail are: those nobody can reach
  // yet (no Slack or Teams account found) are named, so an escalation does not stop at them unseen.
  const unreachableCheck = setTimeout(() => {
    try {
      const named = new Set([...(['approver', 'designer', 'admin'] as const).flatMap((r) => core.roles.usersWith(r)), ...(core.oncall.rotation()?.people ?? [])]);
      const lost = [...named].filter((id) => !core.people.preferredSurface(id, core.surfaces)).map((id) => core.people.label(id));
      if (lost.length) log.warn({ people: lost }, 'people with a role or an on-call turn the bot cannot reach yet (not found on Slack or Teams): they should write to the bot once');
    } catch (e) {
      log.warn({ err: e }, 'could not check who can be reached');
    }
  }, 15_000);
  unreachableCheck.unref();
  const kpi = { api: config.kpi.apiToken ? 'on' : 'off', channel: Boolean(config.kpi.channelId), reportCron: config.kpi.channelId ? config.kpi.reportCron : null, currency: config.kpi.currency };
  const iq = config.inquiries;
  const inquiries = { api: iq.apiToken ? 'on' : 'off', channel: Boolean(iq.channelId), country: iq.country, region: iq.region, handoff: iq.handoff, ackMinutes: iq.ackMinutes, repeatMinutes: iq.repeatMinutes, rotation: core.oncall.rotation()?.people.length ?? 0 };
  if (config.console.enabled && !config.console.demo) {
    log.warn({ host: config.host }, 'CONSOLE=on: everything listens on this machine only (Slack and Teams must reach it through Socket Mode or a local proxy); the console acts as any person, for whoever sits at this machine; requests a proxy forwards never reach it');
  }
    if (config.teams.enabled && !config.teams.authenticated) log.warn({ host: config.host }, 'Teams without MICROSOFT_APP_ID: requests are not authenticated (local testing only); listening on 127.0.0.1');
  log.info({ port, surfaces: core.surfaces, socketMode: config.slack.enabled ? Boolean(config.slack.appToken) : undefined, timezone: config.timezone, locale: config.locale, kpi, inquiries }, `Visto Bueno started on ${core.surfaces.map((x) => (x === 'slack' ? 'Slack' : x === 'teams' ? 'Microsoft Teams' : 'the local console')).join(' and ')}`);
  if (!core.oncall.rotation()?.people.length) core.log.warn('nobody is on call: set ONCALL_IDS or /guardia rotacion; meanwhile inquiries page the admins');
  // A Colombian office that forgot LEGAL_COUNTRY would count Mexican holidays and have no term for petitions.
  const zoneCountry = ZONE_COUNTRY[config.timezone];
  if (zoneCountry && zoneCountry !== iq.country) core.log.warn({ timezone: config.timezone, legalCountry: iq.country }, `LEGAL_COUNTRY is ${iq.country} but TIMEZONE is in ${zoneCountry}: legal terms and holidays are those of ${iq.country}; set LEGAL_COUNTRY=${zoneCountry} if that is wrong`);
  if (!config.kpi.channelId && !config.console.demo && core.kpis.active().length > 0) {
    core.log.warn('KPI_CHANNEL_ID is not set: campaign alerts go to the admins by DM and no periodic report is posted');
  }

  let stopping: Promise<void> | null = null;
  return {
    port,
    db: core.db,
    core,
    outbox: (slack?.worker ?? teams?.worker ?? consoleSurface?.worker)!,
    workers: { ...(slack ? { slack: slack.worker } : {}), ...(teams ? { teams: teams.worker } : {}), ...(consoleSurface ? { console: consoleSurface.worker } : {}) },
    consoleUrl: consoleSurface ? `http://${config.host.includes(':') ? `[${config.host}]` : config.host === 'localhost' ? 'localhost' : config.host}:${port}/` : null,
    console: consoleSurface,
    jobs: core.jobs,
    stop() {
      stopping ??= (async () => {
        clearInterval(rerouting);
        clearTimeout(unreachableCheck);
        // Open pages' event streams end first: the server's close does not wait for them.
        consoleSurface?.hub.close();
        await server.close();
        await core.jobs.stop();
        await consoleSurface?.stop();
        await slack?.stop();
        await teams?.stop();
        core.db.close();
      })();
      return stopping;
    },
  };
}

/** A role nobody holds stalls work silently (a graphic waits in «diseño» forever): say so at start. */
function warnEmptyRoles(core: Core): void {
  for (const role of ['approver', 'designer', 'admin'] as const) {
    if (core.roles.usersWith(role).length === 0) {
      core.log.warn({ role }, `nobody has the ${role} role: set ${role.toUpperCase()}_IDS or grant it with /pieza roles dar`);
    }
  }
}
