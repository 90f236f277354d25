import type { Core } from '../core.js';
import { checkDatabase } from '../store/db.js';
import type { Route } from './server.js';

/**
 * GET /healthz: 200 when the database answers and every surface is reachable, 503 otherwise, with
 * what is wrong. Cheap however big the tables get (indexed counts of open rows only).
 */
export function healthRoute(core: Core, surfaces: { slack: () => { state: string; error?: string; since: number } | null; teams?: () => { state: string; error?: string; since: number } | null }): Route {
  return {
    path: '/healthz',
    method: ['GET', 'HEAD'],
    handler: (_req, res) => {
      const problem = checkDatabase(core.db);
      const slack = surfaces.slack();
      const body: Record<string, unknown> = { status: 'ok', database: problem ?? 'ok' };
      if (slack) body.slack = { status: slack.state, ...(slack.error ? { error: slack.error } : {}), since: new Date(slack.since).toISOString() };
      // Teams is reported, not judged: its failures are per message (a 503 now, fine a minute later),
      // and restarting the bot never fixes them.
      const teams = surfaces.teams?.();
      if (teams) body.teams = { status: teams.state, ...(teams.error ? { error: teams.error } : {}), since: new Date(teams.since).toISOString() };
      if (!problem) body.outbox = core.outbox.counts();
      const ok = !problem && (!slack || slack.state === 'ok');
      if (!ok) body.status = 'error';
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body));
    },
  };
}

/**
 * GET /livez: 200 while the process serves requests and its database reads, whatever Slack does.
 * For a supervisor's liveness probe: restarting the bot never fixes a Slack outage (/healthz says it).
 */
export function livenessRoute(core: Core): Route {
  return {
    path: '/livez',
    method: ['GET', 'HEAD'],
    handler: (_req, res) => {
      const problem = checkDatabase(core.db);
      res.writeHead(problem ? 503 : 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ status: problem ? 'error' : 'ok', database: problem ?? 'ok' }));
    },
  };
}
