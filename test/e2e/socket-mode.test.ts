import { afterEach, describe, expect, it } from 'vitest';
import { Harness, waitFor } from '../helpers/harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('Socket Mode', () => {
  it('starts on the same HTTP server for /healthz even when the socket cannot connect, and stops cleanly', async () => {
    h = await Harness.start({ env: { SLACK_APP_TOKEN: 'xapp-1-A0-1-fake-app-token', SLACK_SIGNING_SECRET: '' } });
    const r = await fetch(`${h.baseUrl}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok', slack: { status: 'ok' } });
    // No /slack/events in Socket Mode: events come over the socket.
    expect((await fetch(`${h.baseUrl}/slack/events`, { method: 'POST' })).status).toBe(404);
    // The socket asks the configured API address for its connection, never Slack's public one.
    await waitFor(() => h!.slack.callsOf('apps.connections.open').length > 0 || undefined);
  });
});
