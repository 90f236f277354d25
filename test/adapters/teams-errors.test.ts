import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyTeamsError } from '../../src/adapters/teams/errors.js';
import { FakeConnector } from '../helpers/fake-connector.js';

let c: FakeConnector;
afterEach(async () => c?.stop());

/** A proactive send through botbuilder to the fake connector, as the Teams lane will make it. */
async function send(): Promise<unknown> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' }));
  const ref = { serviceUrl: c.serviceUrl, channelId: 'msteams', conversation: { id: 'a:1', isGroup: false, conversationType: 'personal', name: '' }, bot: { id: '28:bot', name: 'b' }, user: { id: '29:u', name: 'u' } };
  try {
    await adapter.continueConversationAsync('', ref, async (ctx) => void (await ctx.sendActivity('hola')));
    return null;
  } catch (e) {
    return e;
  }
}

describe('Teams connector errors, sorted for the outbox', () => {
  it('404, 403, 413 are permanent (conversation gone, bot removed, message too big); a bare client retries a 503 itself (the lane turns that off: see connector.ts)', async () => {
    c = await new FakeConnector().start();
    c.knowConversations('a:1');
    c.failNext(404, {}, { error: { code: 'ConversationNotFound', message: 'gone' } });
    expect(classifyTeamsError(await send())).toMatchObject({ failure: 'permanent', code: 'conversation_not_found' });
    c.failNext(403, {}, { error: { code: 'BotNotInConversationRoster', message: 'removed' } });
    expect(classifyTeamsError(await send())).toMatchObject({ failure: 'permanent', code: 'bot_removed' });
    c.failNext(413, {}, { error: { code: 'MessageSizeTooBig', message: 'too big' } });
    expect(classifyTeamsError(await send())).toMatchObject({ failure: 'permanent', code: 'message_too_big' });
    c.failNext(503);
    expect(await send()).toBeNull();
    expect(c.sent).toHaveLength(1);
  });

  it('a 429 waits for Retry-After (seconds, or an HTTP date); a connector that does not answer is retried', async () => {
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const at = classifyTeamsError({ statusCode: 429, response: { headers: { 'retry-after': inAMinute } } });
    expect(at.failure).toBe('rate_limited');
    expect(at.retryAfterMs).toBeGreaterThan(55_000);
    expect(at.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(classifyTeamsError({ statusCode: 429, response: { headers: { get: (n: string) => (n === 'retry-after' ? '7' : undefined) } } })).toMatchObject({ failure: 'rate_limited', retryAfterMs: 7000 });
    expect(classifyTeamsError({ statusCode: 429 })).toMatchObject({ failure: 'rate_limited', retryAfterMs: 1000 });
    expect(classifyTeamsError({ statusCode: 502 })).toMatchObject({ failure: 'retryable', code: 'http_502' });
    c = await new FakeConnector().start();
    await c.stop();
    expect(classifyTeamsError(await send())).toMatchObject({ failure: 'retryable' });
  });
});
