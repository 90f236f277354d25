import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '../../core.js';
import { isPerson, type PersonId } from '../../domain/people/types.js';
import { buildDigest } from '../../domain/calendar/digest.js';
import type { Mount } from '../../http/server.js';
import { DEFAULT_OUTBOX_OPTIONS, OutboxWorker, type OutboxOptions } from '../../scheduler/outbox.js';
import { SqliteConsoleMessages } from '../../store/console-repo.js';
import { DIGEST_WAITING_SHOWN } from '../../views/calendar-views.js';
import { kpiChart } from '../../views/kpi-chart.js';
import { overviewList } from '../../views/kpi-views.js';
import type { ActionView, Rich } from '../../views/model.js';
import { pieceCard } from '../../views/piece-views.js';
import { inquiryActions } from '../../views/inquiry-views.js';
import { renderChartPng } from '../chart/png.js';
import { runAction, runCommand, type CommandDeps, type CommandReply, type Mention } from '../chat/commands.js';
import '../chat/features.js';
import { actionData } from '../chat/forms.js';
import { pieceAction } from '../chat/piece-actions.js';
import type { Outbound } from '../outbound.js';
import type { DemoClock } from './clock.js';
import { ConsoleDeliverer } from './deliver.js';
import { loadExample, resetDemo, type DemoOffice } from './example.js';
import { ConsoleHub } from './hub.js';
import { HEADERS, hostOk, newSessionCookie, readForm, redirect, send, sessionOf } from './http.js';
import { DEMO_ORDER, DEMO_PEOPLE } from './office.js';
import { renderPage, type Dialog, type PageModel } from './page.js';

export interface ConsoleSurfaceOptions {
  outbox?: Partial<OutboxOptions>;
  /** the demo office's clock: only in demo mode (nothing configured) */
  demoClock?: DemoClock | null;
  /** how often the job scheduler ticks (restarted with it after a reset) */
  schedulerTickMs?: number;
}

export interface ConsoleSurface {
  mount: Mount;
  /** GET / — the page itself */
  page: (req: IncomingMessage, res: ServerResponse) => void;
  worker: OutboxWorker;
  hub: ConsoleHub;
  office: DemoOffice | null;
  start(): void;
  stop(): Promise<void>;
}

/** Where the console lives on the project's server: the page at /, everything else under /console/. */
export const CONSOLE_PREFIX = '/console';

const ASSETS = new URL('../../../src/adapters/console/assets/', import.meta.url);
/** How long a form left open waits for its submit (a dialog token). */
const DIALOG_TTL_MS = 60 * 60_000;
const STEP_MS = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 } as const;
/** A day is advanced in steps of this much, each one firing what fell due: nothing is skipped as «too late». */
const CLOCK_SLICE_MS = 15 * 60_000;

/**
 * The local web console: a third surface over the same core. Server-rendered pages over the neutral
 * views (src/adapters/console/render.ts), commands typed as in Slack (the neutral command layer in
 * src/adapters/chat/), its own outbox lane (messages become rows of console_messages), and
 * server-sent events so every open window redraws what changed. Listens on 127.0.0.1 only (config.ts
 * refuses anything else); every change is a POST with a CSRF token bound to the browser's session.
 */
export function createConsoleSurface(core: Core, o: ConsoleSurfaceOptions = {}): ConsoleSurface {
  const log = core.log.child({ component: 'console' });
  const store = new SqliteConsoleMessages(core.db);
  const hub = new ConsoleHub();
  const fmt = core.fmt;
  const demoClock = o.demoClock ?? null;
  const schedulerTickMs = o.schedulerTickMs ?? 1000;
  if (demoClock) demoClock.setOffset(Number(store.state('clock_offset_ms') ?? 0));

  // The demo office's people: a console login each, linked by e-mail to the roles the settings give them.
  const office = demoClock ? ensureOffice(core) : null;

  const titles = { piece: (id: number) => core.pieces.get(id)?.title ?? null, entry: (id: number) => core.entries.get(id)?.title ?? null, inquiry: (id: number) => core.inquiries.getById(id)?.folio ?? null };
  const deliverer = new ConsoleDeliverer({
    store,
    clock: core.clock,
    fmt,
    pieces: core.pieces,
    calendar: core.calendar,
    entries: core.entries,
    digest: (date) => buildDigest(core.calendar, core.pieces, fmt.tz, date, core.clock.now(), DIGEST_WAITING_SHOWN),
    kpis: core.kpis,
    inquiries: core.inquiries,
    outbox: core.outbox,
    titles,
    outboxOpen: (kind, pieceId, lane) => core.outbox.hasOpen(kind, pieceId, lane),
    changed: (c) => hub.changed(c),
  });
  const worker = new OutboxWorker(core.outbox, 'console', deliverer, core.clock, log.child({ component: 'outbox', lane: 'console' }), (row) => core.reportFailure(row), { ...DEFAULT_OUTBOX_OPTIONS, ...o.outbox });
  core.onKick(() => worker.kick());

  // The CSRF key outlives restarts (a page left open still works after one).
  let secret = store.state('csrf_key');
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    store.setState('csrf_key', secret);
  }
  const csrfOf = (session: string) => createHmac('sha256', secret!).update(session).digest('base64url');

  /** Forms open in a dialog, by token: what the person must see again (with errors) until they submit or close. */
  const dialogs = new Map<string, { person: PersonId; dialog: Dialog; at: number }>();
  /** The newest message each person has seen in each conversation (for the «new» marks). */
  const seenUpTo = new Map<string, number>();

  const people = (): { id: PersonId; label: string; email: string | null; login: string | null }[] => {
    if (office) {
      return DEMO_ORDER.map((p) => {
        const id = core.people.find('console', p.login)!;
        return { id, label: p.name, email: p.email, login: p.login };
      });
    }
    // Beside Slack or Teams: the office's own people (anyone with a role, a turn on call, or a surface).
    const ids = new Set<PersonId>([...(['approver', 'designer', 'admin', 'kpi_editor'] as const).flatMap((r) => core.roles.usersWith(r as never)), ...(core.oncall.rotation()?.people ?? [])]);
    for (const id of core.people.withIdentities()) ids.add(id);
    return [...ids]
      .filter((id) => isPerson(id) && core.people.get(id))
      .map((id) => ({ id, label: core.people.label(id), email: core.people.get(id)?.email ?? null, login: null }))
      .sort((a, b) => a.label.localeCompare(b.label));
  };

  const personOf = (as: string | null): PersonId | null => {
    if (!as) return null;
    const byLogin = core.people.find('console', as);
    if (byLogin) return byLogin;
    return !office && isPerson(as) && core.people.get(as) ? as : null;
  };
  const keyOf = (person: PersonId): string => (office ? (core.people.identity(person, 'console') ?? person) : person);

  const conversationKey = (c: string, person: PersonId): string => (c === 'dm' ? `dm:${person}` : c);
  const placeOk = (c: string) => c === 'dm' || ['review', 'calendar', 'digest', 'kpi', 'inquiries'].includes(c);

  const commandDeps = (): CommandDeps => ({
    core,
    surface: 'console',
    ctx: { nameOf: (id) => core.people.label(id) },
    newFormKey: () => randomUUID(),
    resolveUser: (login) => core.people.find('console', login),
    shared: false,
  });

  /** A reply becomes what the person sees: a dialog (a form), or a message only they see. */
  const show = (person: PersonId, c: string, reply: CommandReply, typed?: string): { dialog?: string; message?: number } => {
    const conv = conversationKey(c, person);
    const now = core.clock.now();
    const ephemeral = (kind: 'view' | 'piece', body: unknown, ref?: number) => ({ message: store.add({ conversation: conv, visibleTo: person, kind, ref: ref ?? null, body }, now) });
    switch (reply.kind) {
      case 'form': {
        const token = randomUUID();
        dialogs.set(token, { person, dialog: { kind: 'form', view: reply.view, errors: reply.errors ?? {} }, at: Date.now() });
        return { dialog: token };
      }
      case 'piece':
        // Decided: the card itself shows it (on every open page). A refusal or a history is for this person.
        if (reply.history || reply.notice) return ephemeral('piece', { notice: reply.notice ?? null, history: reply.history ?? null, typed: typed ?? null }, reply.pieceId);
        return {};
      case 'overview': {
        const out: Outbound = { kind: 'list', view: overviewList(fmt, reply.summaries) };
        return ephemeral('view', { ...out, typed: typed ?? null });
      }
      case 'card':
        return ephemeral('view', { kind: 'card', view: reply.view, notice: reply.notice ?? null, typed: typed ?? null });
      case 'list':
        return ephemeral('view', { kind: 'list', view: reply.view, typed: typed ?? null });
      case 'text':
        return ephemeral('view', { kind: 'text', lines: reply.lines, typed: typed ?? null });
    }
  };

  const pageUrl = (as: string, c: string, extra: Record<string, string> = {}, hash = '') => `/?${new URLSearchParams({ as, c, ...extra }).toString()}${hash}`;

  const pageModel = (person: PersonId, c: string, dialog: Dialog | null, dialogToken: string | null, session: string): PageModel => {
    const conv = conversationKey(c, person);
    const latest = store.latest(person);
    const fresh = new Set<string>();
    for (const [k, id] of latest) if (k !== conv && id > (seenUpTo.get(`${person}|${k}`) ?? 0) && (k.startsWith('dm:') ? k === `dm:${person}` : true)) fresh.add(k.startsWith('dm:') ? 'dm' : k);
    const newest = latest.get(conv);
    if (newest) seenUpTo.set(`${person}|${conv}`, newest);
    const everyone = people();
    return {
      core,
      demo: Boolean(office),
      person,
      as: keyOf(person),
      c,
      csrf: csrfOf(session),
      people: everyone.map((p) => ({ key: p.login ?? p.id, id: p.id, label: p.label, email: p.email })),
      messages: store.conversation(conv, person),
      fresh,
      dialog,
      dialogToken,
      now: core.clock.now(),
      officeEmpty: latest.size === 0,
    };
  };

  const page = (req: IncomingMessage, res: ServerResponse): void => {
    if (!hostOk(req)) return send(res, 421, 'text/plain; charset=utf-8', 'Misdirected request');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let session = sessionOf(req);
    const extra: Record<string, string> = {};
    if (!session) {
      const s = newSessionCookie();
      session = s.session;
      extra['Set-Cookie'] = s.cookie;
    }
    const everyone = people();
    if (!everyone.length) return send(res, 200, 'text/plain; charset=utf-8', fmt.m.console.nobodyYet, extra);
    const asParam = url.searchParams.get('as');
    const person = personOf(asParam) ?? (asParam ? null : personOf(everyone[0]?.login ?? everyone[0]?.id ?? null));
    const c = url.searchParams.get('c') ?? 'review';
    if (!person || !placeOk(c)) {
      return send(res, 404, 'text/html; charset=utf-8', renderPage({ ...pageModel(personOf(everyone[0]?.login ?? everyone[0]?.id ?? null) ?? everyone[0]!.id, 'review', null, null, session), notFound: true }), extra);
    }
    const token = url.searchParams.get('dialog');
    const held = token ? dialogs.get(token) : undefined;
    const dialog = held && held.person === person ? held.dialog : null;
    send(res, 200, 'text/html; charset=utf-8', renderPage(pageModel(person, c, dialog, dialog ? token : null, session)), extra);
  };

  const post = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const form = await readForm(req);
    if (!form) return send(res, 400, 'text/plain; charset=utf-8', 'Bad request');
    const one = (k: string) => form.get(k)?.[0] ?? '';
    const session = sessionOf(req);
    const given = Buffer.from(one('csrf'));
    const expected = session ? Buffer.from(csrfOf(session)) : Buffer.alloc(0);
    // The token in the form must be the one this browser's session gives: another site cannot post here.
    if (!session || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return send(res, 403, 'text/plain; charset=utf-8', fmt.m.console.expired);
    }
    const person = personOf(one('as'));
    const c = placeOk(one('c')) ? one('c') : 'review';
    if (!person) return send(res, 404, 'text/plain; charset=utf-8', fmt.m.console.notFound);
    const as = keyOf(person);
    const back = (r: { dialog?: string; message?: number } = {}) => redirect(res, pageUrl(as, c, r.dialog ? { dialog: r.dialog } : {}, r.dialog ? '#dialog' : r.message ? `#m${r.message}` : '#composer-input'));
    const done = (touched: string[] | 'all' = []) => {
      core.kickOutbox();
      hub.changed(touched);
    };
    if (office) core.people.seen('console', as, core.clock.now());
    switch (path) {
      case '/command': {
        const typed = one('text').trim();
        if (!typed) return back();
        const { text, mentions } = mentionsIn(typed, (login) => Boolean(core.people.find('console', login)));
        const r = show(person, c, runCommand(commandDeps(), person, text, mentions), typed);
        done([conversationKey(c, person)]);
        return back(r);
      }
      case '/act': {
        const verb = one('verb');
        const data: Record<string, unknown> = actionData(one('value'));
        const action = confirmable(core, verb, data);
        if (action?.confirm) {
          // The button asks first (its dialog); the dialog's «Sí» posts without `ask`: confirmed.
          if (one('ask')) {
            const token = randomUUID();
            dialogs.set(token, { person, dialog: { kind: 'confirm', action }, at: Date.now() });
            return back({ dialog: token });
          }
          data.confirmed = '1';
        }
        const reply = pieceAction(commandDeps(), person, verb, data) ?? runAction(commandDeps(), person, verb, data);
        const r = reply ? show(person, c, reply) : show(person, c, { kind: 'text', lines: [fmt.m.outdated.button(Number.isSafeInteger(Number(data.piece)) && Number(data.piece) > 0 ? Number(data.piece) : null)] });
        done([conversationKey(c, person)]);
        return back(r);
      }
      case '/form': {
        const token = one('dialog');
        const data: Record<string, unknown> = {};
        for (const [k, v] of form) if (!['csrf', 'as', 'c', 'verb', 'dialog'].includes(k)) data[k] = v.length > 1 ? v.join(',') : v[0];
        const verb = one('verb');
        const reply = pieceAction(commandDeps(), person, verb, data) ?? runAction(commandDeps(), person, verb, data);
        if (token) dialogs.delete(token);
        const r = reply ? show(person, c, reply) : show(person, c, { kind: 'text', lines: [fmt.m.outdated.button(null)] });
        done([conversationKey(c, person)]);
        return back(r);
      }
      case '/dismiss': {
        store.remove(Number(one('m')), person);
        return back();
      }
      case '/clock': {
        if (!demoClock) return send(res, 404, 'text/plain; charset=utf-8', fmt.m.console.notFound);
        const step = one('step') === 'week' ? 'week' : one('step') === 'day' ? 'day' : 'hour';
        await advance(STEP_MS[step]);
        show(person, c, { kind: 'text', lines: [[fmt.m.console.advanced(nowText())]] });
        done('all');
        return back();
      }
      case '/example': {
        if (!office) return send(res, 404, 'text/plain; charset=utf-8', fmt.m.console.notFound);
        const r = loadExample(core, office);
        show(person, c, { kind: 'text', lines: [[r.loaded ? fmt.m.console.exampleLoaded : fmt.m.console.exampleAlready]] });
        done('all');
        return back();
      }
      case '/reset': {
        if (!office) return send(res, 404, 'text/plain; charset=utf-8', fmt.m.console.notFound);
        if (one('ask')) {
          const token = randomUUID();
          const action: ActionView = { id: 'console.reset', label: fmt.m.console.reset, value: '', style: 'danger', confirm: { title: fmt.m.console.reset, text: fmt.m.console.resetAsk, yes: fmt.m.console.reset, no: fmt.m.console.cancel } };
          dialogs.set(token, { person, dialog: { kind: 'reset', action }, at: Date.now() });
          return back({ dialog: token });
        }
        // In the clock's queue: an advance in progress finishes first, and nothing fires meanwhile.
        epoch++;
        await queue(async () => {
          await worker.stop();
          await core.jobs.stop();
          try {
            // Real time first: the rotation and the plans the reset seeds again start from now.
            demoClock?.setOffset(0);
            store.setState('clock_offset_ms', '0');
            resetDemo(core);
            store.setState('csrf_key', secret!);
            seenUpTo.clear();
            dialogs.clear();
            ensureOffice(core);
          } finally {
            core.jobs.start(schedulerTickMs);
            worker.start();
          }
        });
        show(person, c, { kind: 'text', lines: [[fmt.m.console.resetDone]] });
        done('all');
        return back();
      }
      default:
        return send(res, 404, 'text/plain; charset=utf-8', fmt.m.console.notFound);
    }
  };

  const nowText = () => new Intl.DateTimeFormat(fmt.locale === 'en' ? 'en-US' : 'es-MX', { timeZone: fmt.tz, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(core.clock.now());

  /**
   * Moves the demo clock on as the real one would pass: it stops at each job that falls due on the way
   * (and at least every 15 minutes, so planning keeps ahead), fires it on time, and delivers what it
   * said before going on — a reminder is a reminder, not «con retraso», and a page comes before its follow-up.
   */
  let advancing: Promise<void> = Promise.resolve();
  /** One clock operation at a time (an advance, a reset); a failed one does not block the next. */
  const queue = (op: () => Promise<void>): Promise<void> => {
    const run = advancing.then(op);
    advancing = run.catch((e: unknown) => log.error({ err: e }, 'a demo clock operation failed'));
    return run;
  };
  /** Bumped by each reset: clock steps asked for before it (still queued) no longer apply. */
  let epoch = 0;
  const advance = (ms: number): Promise<void> => {
    const asked = epoch;
    return queue(async () => {
      if (asked !== epoch) return;
      const clock = demoClock!;
      const target = clock.now() + ms;
      for (let i = 0; i < 10_000 && clock.now() < target && asked === epoch; i++) {
        await core.jobs.tick();
        const now = clock.now();
        const next = store.nextJobAfter(now);
        const stop = Math.min(target, now + CLOCK_SLICE_MS, next ?? Infinity);
        if (stop <= now) break;
        clock.advance(stop - now);
        store.setState('clock_offset_ms', String(clock.offsetMs));
        await core.jobs.tick();
        worker.kick();
        await worker.idle();
      }
      core.kickOutbox();
    });
  };

  const chart = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const c = core.kpis.campaignById(Number(url.searchParams.get('campaign')));
    const date = url.searchParams.get('date') ?? '';
    const metric = url.searchParams.get('metric') || null;
    const view = c && /^\d{4}-\d{2}-\d{2}$/.test(date) ? kpiChart(fmt, core.kpis.summary(c, date as never), metric) : null;
    if (!view) return send(res, 404, 'text/plain; charset=utf-8', fmt.m.console.notFound);
    send(res, 200, 'image/png', await renderChartPng(view), { 'Cache-Control': 'private, max-age=60' });
  };

  const asset = (res: ServerResponse, name: string, type: string) => {
    try {
      send(res, 200, type, readFileSync(new URL(name, ASSETS)), { 'Cache-Control': 'no-cache' });
    } catch {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found');
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      if (!hostOk(req)) return send(res, 421, 'text/plain; charset=utf-8', 'Misdirected request');
      const path = (req.url ?? '/').split('?')[0]!.slice(CONSOLE_PREFIX.length) || '/';
      // HEAD is a GET whose body Node leaves out.
      if (req.method === 'GET' || req.method === 'HEAD') {
        if (path === '/console.css') return asset(res, 'console.css', 'text/css; charset=utf-8');
        if (path === '/console.js') return asset(res, 'console.js', 'text/javascript; charset=utf-8');
        if (path === '/chart.png') return chart(req, res);
        if (path === '/events') return hub.open(res);
        if (path === '/' || path === '') return redirect(res, '/');
        return send(res, 404, 'text/plain; charset=utf-8', fmt.m.console.notFound);
      }
      if (req.method === 'POST') return post(req, res, path);
      res.writeHead(405, { ...HEADERS, Allow: 'GET, POST', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed');
    })().catch((e: unknown) => {
      log.error({ err: e, url: req.url }, 'console request failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', fmt.m.reply.internal);
      else res.end();
    });
  };

  // Real time: advancing the demo clock a day must not close the form someone is filling in.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [k, v] of dialogs) if (now - v.at > DIALOG_TTL_MS) dialogs.delete(k);
  }, 60_000);
  sweep.unref();

  return {
    mount: { prefix: CONSOLE_PREFIX, listener },
    page: (req, res) => {
      try {
        page(req, res);
      } catch (e) {
        log.error({ err: e }, 'console page failed');
        if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', fmt.m.reply.internal);
      }
    },
    worker,
    hub,
    office,
    start: () => worker.start(),
    stop: async () => {
      clearInterval(sweep);
      hub.close();
      await advancing;
      await worker.stop();
    },
  };
}

/** The demo office's people, each with a console login (linked by e-mail to the roles the settings give). */
export function ensureOffice(core: Core): DemoOffice {
  const id = (p: { login: string; name: string; email: string }) => core.people.ensure('console', p.login, { name: p.name, email: p.email });
  const P = DEMO_PEOPLE;
  return {
    author: id(P.author),
    approvers: [id(P.approver1), id(P.approver2)],
    designer: id(P.designer),
    admin: id(P.admin),
    oncall: [id(P.oncall1), id(P.oncall2), core.people.find('console', P.author.login)!],
  };
}

/** «@rosa» in a typed command: a mention of the person with that console login. */
export function mentionsIn(typed: string, known: (login: string) => boolean): { text: string; mentions: Mention[] } {
  const mentions: Mention[] = [];
  const text = typed.replace(/@([a-z0-9._-]+)/gi, (all, login: string) => {
    const l = login.toLowerCase();
    if (!known(l)) return all;
    mentions.push({ text: `@${l}`, id: l });
    return `@${l}`;
  });
  return { text, mentions };
}

/** The action a button with a confirmation stands for, as the card shows it now (its words and its step). */
function confirmable(core: Core, verb: string, data: Record<string, unknown>): ActionView | null {
  const f = core.fmt;
  const pieceId = Number(data.piece);
  if (Number.isSafeInteger(pieceId) && pieceId > 0) {
    const p = core.pieces.get(pieceId);
    const a = p ? pieceCard(f, p, core.pieces.events(p.id).at(-1) ?? null).actions.find((x) => x.id === verb) : undefined;
    return a ? { ...a, value: a.value } : null;
  }
  const inquiryId = Number(data.value);
  const i = Number.isSafeInteger(inquiryId) && inquiryId > 0 ? core.inquiries.getById(inquiryId) : null;
  return (i && inquiryActions(f, i).find((x) => x.id === verb)) ?? null;
}

export type { Rich };
