import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { ROOT } from '../helpers/bot-process.js';
import { startDemo } from '../helpers/console-client.js';

/**
 * The console in a real headless browser (Debian's Chromium, driven by playwright-core): the real app
 * with nothing configured, two windows (the author's and the approver's) that see each other's
 * decisions live, axe-core's accessibility checks, and the screenshots the README shows.
 */
// Code passed to page.evaluate runs in the browser: its globals, untyped here (the project has no DOM lib).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const getComputedStyle: any;

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p): p is string => Boolean(p && existsSync(p)));
// CI (.ci/run) installs Chromium first: there, a missing browser fails instead of skipping.
if (!CHROMIUM && process.env.REQUIRE_BROWSER) throw new Error('REQUIRE_BROWSER is set but no Chromium was found (apt-get install chromium, or set CHROMIUM_PATH)');
if (!CHROMIUM) {
  process.stderr.write(
    '\nLas pruebas de la consola en el navegador se saltan: no hay Chromium. Instálelo con «sudo apt-get install chromium» (Debian/Ubuntu) o indique su ruta en CHROMIUM_PATH. .ci/run lo instala solo.\n\n',
  );
}

/**
 * The README's screenshots live in docs/. Every run takes them (into a temporary folder, checked);
 * docs/ gets them when a file is missing there or with UPDATE_SCREENSHOTS=1 — so `npm test` leaves
 * the working tree as it found it.
 */
const DOCS = join(ROOT, 'docs');
const SHOTS = mkdtempSync(join(tmpdir(), 'vb-shots-'));
const keep = (name: string) => {
  if (process.env.UPDATE_SCREENSHOTS || !existsSync(join(DOCS, name))) copyFileSync(join(SHOTS, name), join(DOCS, name));
};
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!CHROMIUM)('the console in a browser', () => {
  let app: RunningApp;
  let logs: string[];
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  const open = async (as: string, c: string, opts: { width?: number; height?: number; bypassCSP?: boolean } = {}): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 }, locale: 'es-MX', bypassCSP: opts.bypassCSP ?? false, reducedMotion: 'reduce' });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // An alert() would mean a title ran as script.
    page.on('dialog', (d) => {
      problems.push(`a JavaScript dialog opened: ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.goto(`${base}/?as=${as}&c=${c}`);
    await page.waitForSelector('body[data-connected]');
    return page;
  };

  beforeAll(async () => {
    ({ app, logs } = await startDemo());
    base = `http://127.0.0.1:${app.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      // As root in a container Chromium needs --no-sandbox; the rest keep it off the (closed) network.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    mkdirSync(DOCS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
    expect(logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  });

  let author: Page;
  let approver: Page;

  it('the author submits a piece from the composer, in a dialog form', async () => {
    author = await open('ana', 'review');
    approver = await open('rosa', 'review');
    await author.getByLabel('Escriba un comando').fill('/pieza');
    await author.getByLabel('Escriba un comando').press('Enter');
    const dialog = author.getByRole('dialog', { name: 'Nueva pieza' });
    await dialog.waitFor();
    // Validation as in Slack: an empty form is shown again with its errors, nothing stored.
    await dialog.getByRole('button', { name: 'Enviar a revisión' }).click();
    await author.getByRole('alert').first().waitFor();
    expect(app.core.pieces.get(1)).toBeNull();
    const form = author.getByRole('dialog');
    await form.getByLabel('Título').fill('Jornada de vacunación en escuelas');
    await form.getByLabel('Texto').fill('Este sábado, vacunación gratuita en los centros de salud del estado.');
    await form.getByLabel('Tipo').selectOption({ label: 'publicación' });
    await form.getByLabel('Facebook').check();
    await form.getByLabel('Fecha de publicación').fill(inDays(3));
    await form.getByLabel('Pedir una pieza gráfica al equipo de diseño').check();
    await form.getByRole('button', { name: 'Enviar a revisión' }).click();
    await author.getByText(/Pieza #1 enviada a revisión/).waitFor();
    await author.locator('article.card').filter({ hasText: 'Jornada de vacunación' }).waitFor();
  });

  it('the approver, in another window, sees the card arrive without reloading, and approves it; the author sees that live', async () => {
    await author.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await approver.locator('article.card').filter({ hasText: 'Jornada de vacunación' }).waitFor({ timeout: 10_000 });
    await approver.locator('article.card').filter({ hasText: 'Jornada de vacunación' }).getByRole('button', { name: 'Aprobar' }).click();
    await author.locator('article.card').filter({ hasText: 'Jornada de vacunación' }).getByText('diseño', { exact: true }).waitFor({ timeout: 10_000 });
    // The same page, redrawn by the server's events: never reloaded.
    expect(await author.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(app.core.pieces.get(1)!.stage).toBe('design');
  });

  it('switching to the designer shows the task in the designer\'s direct messages', async () => {
    await approver.getByLabel('Quién es usted').selectOption({ label: 'Luis Campos — diseño' });
    await approver.getByRole('button', { name: 'Cambiar' }).click();
    await approver.getByRole('link', { name: /Visto Bueno/ }).click();
    const task = approver.locator('li.msg').filter({ hasText: 'Jornada de vacunación' });
    await task.waitFor();
    await task.getByRole('button', { name: 'Entregar diseño' }).waitFor();
  });

  it('advancing the demo clock fires a reminder', async () => {
    const page = await open('carmen', 'calendar');
    await page.getByRole('button', { name: 'Cargar ejemplo' }).click();
    await page.getByText(/Ejemplo cargado/).waitFor();
    await page.getByRole('button', { name: 'Avanzar 1 hora' }).click();
    await page.getByText(/El reloj de la demo avanzó/).waitFor();
    await page.locator('li.msg').filter({ hasText: 'Recordatorio' }).first().waitFor({ timeout: 10_000 });
  });

  it('passes axe-core with no serious or critical violations (review channel, a form, phone width)', async () => {
    const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const check = async (page: Page, what: string) => {
      await page.addScriptTag({ content: source });
      const result = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
        return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
      });
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${what}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(bad).toEqual([]);
    };
    // axe is injected as a script: this window's pages skip their own Content-Security-Policy.
    const page = await open('rosa', 'review', { bypassCSP: true });
    await check(page, 'review channel');
    await page.getByLabel('Escriba un comando').fill('/pieza');
    await page.getByLabel('Escriba un comando').press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Enviar a revisión' }).click();
    await page.getByRole('alert').first().waitFor();
    await check(page, 'new-piece form with errors');
    const phone = await open('luis', 'dm', { width: 390, height: 844, bypassCSP: true });
    await check(phone, 'direct messages at phone width');
  });

  it('is operable from the keyboard: the composer, a button, with a visible focus', async () => {
    const page = await open('jorge', 'review');
    // The first stop of the keyboard is the link that skips to the composer.
    const first = await page.evaluate(() => ([...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')] as { tabIndex: number; textContent: string }[]).find((e) => e.tabIndex >= 0)?.textContent ?? '');
    expect(first).toContain('Escriba un comando');
    await page.locator('a.skip').focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('composer-input');
    await page.keyboard.type('/pieza pendientes');
    await page.keyboard.press('Enter');
    await page.getByText('Solo usted ve esto').first().waitFor();
    // A form opens with the keyboard in its first field; with errors, on their summary (its links lead to each field).
    await page.getByLabel('Escriba un comando').fill('/pieza');
    await page.getByLabel('Escriba un comando').press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'f-title');
    await page.getByRole('dialog').getByRole('button', { name: 'Enviar a revisión' }).click();
    await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
    // Escape closes it, and the keyboard is back in the composer.
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.id === 'composer-input');
    // Someone else's decision redraws the conversation: the keyboard stays on the same button.
    const button = page.locator('li.msg').last().getByRole('button').first();
    await button.focus();
    const before = await page.evaluate(() => document.activeElement?.textContent);
    const other = await open('rosa', 'review');
    await other.getByLabel('Escriba un comando').fill('/pieza lista');
    await other.getByLabel('Escriba un comando').press('Enter');
    await other.getByText('Solo usted ve esto').first().waitFor();
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(before);
    // Focus shows: the focused button has an outline.
    await page.getByRole('button', { name: 'Enviar', exact: true }).focus();
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
  });

  it('keeps screenshots of the review channel at desktop and phone width (docs/)', async () => {
    const desktop = await open('rosa', 'review', { width: 1280, height: 900 });
    // The top of the page: who you are, the clock, the channels and the first cards.
    await desktop.evaluate(() => window.scrollTo(0, 0));
    await desktop.screenshot({ path: join(SHOTS, 'consola-revision-escritorio.png') });
    const phone = await open('rosa', 'review', { width: 390, height: 844 });
    // Nothing wider than the screen, even with the help's long commands: no sideways scrolling on a phone.
    await phone.getByLabel('Escriba un comando').fill('ayuda');
    await phone.getByLabel('Escriba un comando').press('Enter');
    await phone.getByText('Visto Bueno en la consola').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.evaluate(() => document.getElementById('conv')!.scrollIntoView({ block: 'start' }));
    await phone.screenshot({ path: join(SHOTS, 'consola-revision-telefono.png') });
    for (const name of ['consola-revision-escritorio.png', 'consola-revision-telefono.png']) {
      expect(statSync(join(SHOTS, name)).size).toBeGreaterThan(10_000);
      keep(name);
      expect(existsSync(join(DOCS, name))).toBe(true);
    }
  });

  it('a title with a script renders as text, in the card and in the page', async () => {
    const page = await open('ana', 'review');
    await page.getByLabel('Escriba un comando').fill('/pieza');
    await page.getByLabel('Escriba un comando').press('Enter');
    const form = page.getByRole('dialog');
    await form.getByLabel('Título').fill('<script>alert(1)</script><img src=x onerror=alert(2)> Aviso');
    await form.getByLabel('Texto').fill('"><script>alert(3)</script>');
    await form.getByLabel('Tipo').selectOption({ label: 'publicación' });
    await form.getByLabel('X', { exact: true }).check();
    await form.getByLabel('Fecha de publicación').fill(inDays(4));
    await form.getByRole('button', { name: 'Enviar a revisión' }).click();
    const card = page.locator('article.card').filter({ hasText: 'Aviso' });
    await card.waitFor();
    expect(await card.locator('h3').innerText()).toContain('<script>alert(1)</script><img src=x onerror=alert(2)> Aviso');
    expect(await card.innerText()).toContain('"><script>alert(3)</script>');
    expect(await page.locator('article.card img').count()).toBe(0);
  });

  it('no page error, no script dialog, no console error on the way', () => {
    expect(problems).toEqual([]);
  });
});
