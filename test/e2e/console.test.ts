import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ACTION, FORM } from '../../src/views/ids.js';
import { ConsoleClient, startDemo } from '../helpers/console-client.js';
import { waitFor } from '../helpers/harness.js';

/**
 * The local console over HTTP, as a browser without JavaScript drives it: pages, forms that POST with
 * the page's CSRF token, redirects. The real app with nothing configured (the demo office) and a real
 * SQLite file. The browser itself is driven in console-browser.test.ts.
 */
let app: RunningApp;
let logs: string[];
let client: ConsoleClient;
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  ({ app, logs } = await startDemo());
  client = new ConsoleClient(app.port);
});
afterAll(async () => {
  await app.stop();
  // Nothing the console did may have logged an error.
  expect(logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
});

/** Submits a new piece through the /pieza form, as `as`; returns its number. */
async function submitPiece(as: string, title: string, opts: { design?: boolean } = {}): Promise<number> {
  const opened = await client.post('/console/command', as, 'review', { text: '/pieza' });
  expect(opened.post.status).toBe(303);
  expect(String(opened.post.headers.location)).toContain('dialog=');
  expect(opened.page.body).toContain('<dialog');
  const meta = /name="meta" value="([^"]*)"/.exec(opened.page.body)![1]!.replace(/&quot;/g, '"');
  const sent = await client.post('/console/form', as, 'review', {
    verb: FORM.newPiece,
    meta,
    title,
    body: 'Texto para redes sociales de la oficina.',
    kind: 'post',
    networks: ['x', 'facebook'],
    date: inDays(3),
    ...(opts.design ? { needs_design: 'yes' } : {}),
  });
  // The newest answer (earlier ones stay on the page until dismissed).
  const id = [...ConsoleClient.text(sent.page.body).matchAll(/Pieza #(\d+) enviada/g)].at(-1)?.[1];
  expect(id, ConsoleClient.text(sent.page.body)).toBeDefined();
  return Number(id);
}

const reviewCardOf = async (as: string, id: number) => {
  await app.console!.worker.idle();
  const page = await client.get(`/?as=${as}&c=review`);
  return page.body;
};

describe('the console with nothing configured', () => {
  it('serves the demo office on 127.0.0.1: who you are, the channels, the direct messages, the clock', async () => {
    expect(app.consoleUrl).toBe(`http://127.0.0.1:${app.port}/`);
    expect(app.core.surfaces).toEqual(['console']);
    const page = await client.get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(String(page.headers['set-cookie'])).toMatch(/vb_console=.*HttpOnly; SameSite=Strict/);
    for (const name of ['Ana Torres', 'Rosa Méndez', 'Jorge Ruiz', 'Luis Campos', 'Carmen Vidal', 'Sofía Lara', 'Diego Paz']) expect(page.body).toContain(name);
    for (const ch of ['# revisión', '# calendario', '# resumen', '# kpi', '# consultas']) expect(page.body).toContain(ch);
    expect(page.body).toContain('Quién es usted');
    expect(page.body).toContain('Avanzar 1 hora');
    expect(page.body).toContain('Cargar ejemplo');
    // Roles follow the settings of the demo office: two approvers, a designer, an admin.
    expect(page.body).toMatch(/Rosa Méndez — aprobación/);
    expect(page.body).toMatch(/Luis Campos — diseño/);
    expect(page.body).toMatch(/Carmen Vidal — administración/);
  });

  it('refuses a POST without the page\'s CSRF token, a foreign Host, and changes nothing on GET', async () => {
    await client.get('/');
    const before = app.core.db.prepare('SELECT count(*) AS n FROM console_messages').get() as { n: number };
    const noToken = await client.raw('POST', '/console/command', new URLSearchParams({ as: 'ana', c: 'review', text: '/pieza lista' }).toString());
    expect(noToken.status).toBe(403);
    const wrong = await client.raw('POST', '/console/command', new URLSearchParams({ csrf: 'x'.repeat(43), as: 'ana', c: 'review', text: '/pieza lista' }).toString());
    expect(wrong.status).toBe(403);
    // Another browser (no session cookie) with a token copied from this one: refused too.
    const page = await client.get('/?as=ana');
    const stranger = new ConsoleClient(app.port);
    const copied = await stranger.raw('POST', '/console/command', new URLSearchParams({ csrf: ConsoleClient.csrfOf(page.body), as: 'ana', c: 'review', text: '/pieza lista' }).toString());
    expect(copied.status).toBe(403);
    // A page of another site whose name points here (DNS rebinding).
    expect((await new ConsoleClient(app.port, 'evil.example:3000').get('/')).status).toBe(421);
    expect((await client.get('/console/command?text=/pieza')).status).toBe(404);
    const after = app.core.db.prepare('SELECT count(*) AS n FROM console_messages').get() as { n: number };
    expect(after.n).toBe(before.n);
  });

  it('a piece goes through review: submitted by the author, approved by an approver, the designer told in their DMs', async () => {
    const id = await submitPiece('ana', 'Campaña de vacunación invernal', { design: true });
    let html = await reviewCardOf('rosa', id);
    expect(html).toContain(`#${id} Campaña de vacunación invernal`);
    const version = Number(/&quot;p&quot;:\d+,&quot;v&quot;:(\d+)/.exec(html)![1]);
    // The author may not approve their own piece: told so, only to them; nothing changes.
    const own = await client.post('/console/act', 'ana', 'review', { verb: ACTION.approve, value: JSON.stringify({ p: id, v: version }) });
    expect(own.post.status).toBe(303);
    expect(ConsoleClient.text(own.page.body)).toContain('Solo usted ve esto');
    expect(app.core.pieces.get(id)!.stage).toBe('content_review');
    // The approver approves: the card shows the new stage for everyone.
    await client.post('/console/act', 'rosa', 'review', { verb: ACTION.approve, value: JSON.stringify({ p: id, v: version }) });
    expect(app.core.pieces.get(id)!.stage).toBe('design');
    html = await reviewCardOf('ana', id);
    expect(ConsoleClient.text(html)).toMatch(/Etapa\s+diseño/);
    // A second click on the same card (a stale version) changes nothing and says who decided.
    const late = await client.post('/console/act', 'jorge', 'review', { verb: ACTION.approve, value: JSON.stringify({ p: id, v: version }) });
    expect(ConsoleClient.text(late.page.body)).toMatch(/Rosa Méndez/);
    expect(app.core.pieces.get(id)!.stage).toBe('design');
    // The designer's task, in the designer's direct messages.
    await app.console!.worker.idle();
    const dm = await client.get('/?as=luis&c=dm');
    expect(ConsoleClient.text(dm.body)).toContain('Campaña de vacunación invernal');
    expect(dm.body).toContain('Entregar diseño');
    // The audit trail names the surface.
    const events = app.core.pieces.events(id);
    expect(events.map((e) => e.platform)).toEqual(['console', 'console']);
  });

  it('Cancelar asks first, in a dialog; «Sí» cancels once, «No» leaves the piece as it was', async () => {
    const id = await submitPiece('ana', 'Pieza que se cancela');
    const v = () => app.core.pieces.get(id)!.version;
    const asked = await client.post('/console/act', 'ana', 'review', { verb: ACTION.cancel, value: JSON.stringify({ p: id, v: v() }), ask: '1' });
    expect(asked.page.body).toContain('<dialog');
    expect(asked.page.body).toContain('confirm-title');
    expect(app.core.pieces.get(id)!.stage).toBe('content_review');
    // «No» is a link back to the page: nothing posted, nothing changed.
    const no = /<a class="btn" href="([^"]+)" data-close/.exec(asked.page.body)?.[1];
    expect(no).toBeDefined();
    expect((await client.get(no!.replace(/&amp;/g, '&'))).status).toBe(200);
    expect(app.core.pieces.get(id)!.stage).toBe('content_review');
    // «Sí»: the dialog's form, as it is (no `ask`): cancelled, without a second question.
    const yes = /<form method="post" action="\/console\/act"[^>]*>([\s\S]*?)<\/form>/.exec(asked.page.body.slice(asked.page.body.indexOf('<dialog')))![1]!;
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(yes)?.[1]?.replace(/&quot;/g, '"') ?? '';
    expect(field('ask')).toBe('');
    await client.post('/console/act', 'ana', 'review', { verb: field('verb'), value: field('value') });
    expect(app.core.pieces.get(id)!.stage).toBe('cancelled');
  });

  it('refuses requests a proxy forwarded (the console is for whoever sits at this machine)', async () => {
    const forwarded: Record<string, string>[] = [{ 'X-Forwarded-For': '203.0.113.9' }, { Forwarded: 'for=203.0.113.9' }, { 'X-Real-IP': '203.0.113.9' }, { Via: '1.1 proxy' }];
    for (const h of forwarded) {
      expect((await client.raw('GET', '/', undefined, h)).status).toBe(421);
      expect((await client.raw('POST', '/console/command', 'text=x', h)).status).toBe(421);
    }
  });

  it('a form with errors is shown again with them, and stores nothing', async () => {
    const before = app.core.db.prepare('SELECT count(*) AS n FROM pieces').get() as { n: number };
    const opened = await client.post('/console/command', 'ana', 'review', { text: 'pieza' });
    const meta = /name="meta" value="([^"]*)"/.exec(opened.page.body)![1]!.replace(/&quot;/g, '"');
    const sent = await client.post('/console/form', 'ana', 'review', { verb: FORM.newPiece, meta, title: '', body: 'x', kind: 'post', date: '2020-01-01' });
    expect(sent.page.body).toContain('<dialog');
    expect(sent.page.body).toContain('aria-invalid="true"');
    expect(sent.page.body).toContain('role="alert"');
    expect((app.core.db.prepare('SELECT count(*) AS n FROM pieces').get() as { n: number }).n).toBe(before.n);
  });

  it('escapes user text: a title with a script renders as text', async () => {
    const id = await submitPiece('ana', '<script>alert(1)</script> "comillas" & más');
    const html = await reviewCardOf('rosa', id);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;comillas&quot; &amp; más');
    expect(html).not.toContain('<script>alert(1)');
  });

  it('answers typed commands only to whoever typed them, with the help when it does not understand', async () => {
    const r = await client.post('/console/command', 'rosa', 'kpi', { text: '/pieza pendientes' });
    expect(ConsoleClient.text(r.page.body)).toContain('/pieza pendientes');
    expect(ConsoleClient.text(r.page.body)).toContain('Solo usted ve esto');
    const other = await client.get('/?as=jorge&c=kpi');
    expect(ConsoleClient.text(other.body)).not.toContain('Solo usted ve esto');
    const help = await client.post('/console/command', 'rosa', 'kpi', { text: 'hola mundo' });
    expect(ConsoleClient.text(help.page.body)).toContain('Visto Bueno en la consola');
  });

  it('tells open pages what changed, by server-sent events', async () => {
    const events: string[] = [];
    const req = request({ host: '127.0.0.1', port: app.port, path: '/console/events', headers: { Host: `127.0.0.1:${app.port}` } }, (res) => {
      expect(res.headers['content-type']).toContain('text/event-stream');
      res.setEncoding('utf8');
      res.on('data', (d: string) => events.push(d));
    });
    req.end();
    await waitFor(() => events.length > 0);
    await submitPiece('ana', 'Aviso de vacunación en escuelas');
    await waitFor(() => events.join('').includes('"review"'));
    req.destroy();
  });

  it('Cargar ejemplo fills the office; the clock advances and a reminder fires; Reiniciar empties it', async () => {
    await client.post('/console/example', 'carmen', 'review', {});
    expect(app.core.kpis.campaigns().length).toBeGreaterThan(0);
    expect((app.core.db.prepare('SELECT count(*) AS n FROM inquiries').get() as { n: number }).n).toBe(1);
    const clockBefore = app.core.clock.now();
    await client.post('/console/clock', 'carmen', 'calendar', { step: 'hour' });
    expect(app.core.clock.now() - clockBefore).toBeGreaterThanOrEqual(3_600_000);
    await app.console!.worker.idle();
    const cal = await client.get('/?as=carmen&c=calendar');
    expect(ConsoleClient.text(cal.body)).toContain('Recordatorio');
    // On time, not «con retraso»: the clock stopped at the reminder.
    expect(ConsoleClient.text(cal.body)).not.toContain('Con retraso');
    // The on-call person was paged about the open inquiry.
    const sofia = await client.get('/?as=sofia&c=dm');
    expect(ConsoleClient.text(sofia.body)).toContain('CONS-');
    // /kpi: the overview answered to whoever asked; the chart drawn as an image in their DMs.
    const kpi = await client.post('/console/command', 'carmen', 'kpi', { text: '/kpi' });
    expect(ConsoleClient.text(kpi.page.body)).toContain('Difusión de la Línea de Orientación 800');
    await client.post('/console/command', 'carmen', 'kpi', { text: '/kpi linea800 grafica' });
    await app.console!.worker.idle();
    const dm = await client.get('/?as=carmen&c=dm');
    const src = /<img src="(\/console\/chart\.png\?[^"]+)" alt="([^"]+)"/.exec(dm.body);
    expect(src, ConsoleClient.text(dm.body)).not.toBeNull();
    const png = await client.get(src![1]!.replace(/&amp;/g, '&'));
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    // Reiniciar asks first, then empties the office (people and roles stay).
    const ask = await client.post('/console/reset', 'carmen', 'review', { ask: '1' });
    expect(ask.page.body).toContain('<dialog');
    await client.post('/console/reset', 'carmen', 'review', {});
    expect((app.core.db.prepare('SELECT count(*) AS n FROM pieces').get() as { n: number }).n).toBe(0);
    expect(app.core.kpis.campaigns()).toEqual([]);
    const empty = await client.get('/?as=rosa&c=review');
    expect(empty.body).toContain('Rosa Méndez — aprobación');
    // And the office works again at once.
    const id = await submitPiece('ana', 'Después de reiniciar');
    expect(id).toBe(1);
    // The clock is back to real time, and moves on again (the scheduler was stopped and started).
    expect(Math.abs(app.core.clock.now() - Date.now())).toBeLessThan(60_000);
    const again = await client.post('/console/clock', 'carmen', 'review', { step: 'day' });
    expect(again.post.status).toBe(303);
    expect(app.core.clock.now() - Date.now()).toBeGreaterThan(86_000_000);
  });
});

describe('Reiniciar while clock steps are still queued', () => {
  it('ends empty, at real time: steps asked for before the reset do not run after it', async () => {
    const { app: demo } = await startDemo();
    try {
      const c = new ConsoleClient(demo.port);
      await c.post('/console/example', 'carmen', 'review', {});
      const page = await c.get('/?as=carmen&c=review');
      const form = (fields: Record<string, string>) => new URLSearchParams({ csrf: ConsoleClient.csrfOf(page.body), as: 'carmen', c: 'review', ...fields }).toString();
      const steps = [1, 2, 3].map(() => c.raw('POST', '/console/clock', form({ step: 'week' })));
      const reset = c.raw('POST', '/console/reset', form({}));
      const done = await Promise.all([...steps, reset]);
      expect(done.map((r) => r.status)).toEqual([303, 303, 303, 303]);
      expect(Math.abs(demo.core.clock.now() - Date.now())).toBeLessThan(60_000);
      expect((demo.core.db.prepare('SELECT count(*) AS n FROM pieces').get() as { n: number }).n).toBe(0);
    } finally {
      await demo.stop();
    }
  });
});

describe('a restart of the demo', () => {
  it('keeps the office, the demo clock where it was, and the pages left open (their CSRF token) working', async () => {
    const first = await startDemo();
    const c = new ConsoleClient(first.app.port);
    await c.post('/console/example', 'carmen', 'review', {});
    await c.post('/console/clock', 'carmen', 'review', { step: 'day' });
    const open = await c.get('/?as=ana&c=review');
    const offset = first.app.core.clock.now() - Date.now();
    await first.app.stop();
    const again = await startDemo({ CONSOLE_DATABASE_PATH: first.dbPath });
    try {
      expect(Math.abs(again.app.core.clock.now() - Date.now() - offset)).toBeLessThan(60_000);
      expect(again.app.core.kpis.campaigns().length).toBe(1);
      // The page opened before the restart still posts (same port not needed: same cookie, same token).
      const later = new ConsoleClient(again.app.port);
      later.cookie = c.cookie;
      const r = await later.raw('POST', '/console/command', new URLSearchParams({ csrf: ConsoleClient.csrfOf(open.body), as: 'ana', c: 'review', text: '/pieza lista' }).toString());
      expect(r.status).toBe(303);
    } finally {
      await again.app.stop();
    }
  });
});

describe('the console beside Slack', () => {
  it('is off unless CONSOLE=on; HOST on another interface is refused while it is on', () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret-123', REVIEW_CHANNEL_ID: 'C0REVIEW' };
    expect(loadConfig(slack).console.enabled).toBe(false);
    expect(() => loadConfig({ ...slack, CONSOLE: 'on', HOST: '0.0.0.0' })).toThrow(/no tiene contraseña/);
  });
});

describe('npm start on a fresh clone, with no settings', () => {
  it('starts the console and says so in one Spanish line; HOST on another interface stops the start and says why', async () => {
    const { buildIfStale, freePort, spawnBot } = await import('../helpers/bot-process.js');
    const { tempDbPath } = await import('../helpers/harness.js');
    buildIfStale();
    const port = await freePort();
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), CONSOLE_DATABASE_PATH: tempDbPath(), DOTENV_CONFIG_PATH: '/nonexistent/.env' };
    const bot = spawnBot('node', env);
    try {
      await waitFor(() => bot.output().includes('Consola de prueba en'), 15_000);
      expect(bot.output()).toContain(`Consola de prueba en http://127.0.0.1:${port}/ — para usar Slack o Teams, copie .env.example a .env`);
      const page = await new ConsoleClient(port).get('/');
      expect(page.status).toBe(200);
      expect(page.body).toContain('Quién es usted');
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
    const refused = spawnBot('node', { ...env, PORT: String(await freePort()), HOST: '0.0.0.0' });
    const { code } = await refused.exited;
    expect(code).toBe(1);
    expect(refused.output()).toContain('HOST=0.0.0.0');
    expect(refused.output()).toContain('solo escucha en 127.0.0.1');
    expect(refused.output()).not.toMatch(/at .*\.js:\d+/); // a message, not a stack trace
  }, 60_000);
});
