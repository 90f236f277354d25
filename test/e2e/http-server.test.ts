import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../helpers/harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('the project’s one HTTP server', () => {
  it('answers unknown paths with 404, wrong methods with 405, and serves health, liveness and Slack on one port', async () => {
    h = await Harness.start();
    expect((await fetch(`${h.baseUrl}/no-such-page`)).status).toBe(404);
    const wrong = await fetch(`${h.baseUrl}/healthz`, { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${h.baseUrl}/livez`)).json()).toEqual({ status: 'ok', database: 'ok' });
    // Slack's endpoint is Bolt's receiver, mounted here: an unsigned request is refused, not served.
    expect((await fetch(`${h.baseUrl}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(401);
    // The feed without a token is a 404, as if it did not exist.
    expect((await fetch(`${h.baseUrl}/calendario.ics`)).status).toBe(404);
  });
});
