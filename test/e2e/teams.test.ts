import { afterEach, describe, expect, it } from 'vitest';
import { cardProblems } from '../helpers/adaptive-cards.js';
import { FakeConnector } from '../helpers/fake-connector.js';
import { Harness, waitFor } from '../helpers/harness.js';

/**
 * Teams through the real app (work in progress, issue 9): activities posted to /api/messages as
 * Teams posts them, in the local testing mode (TEAMS=on, no app id), replies caught by a fake
 * Bot Framework connector on 127.0.0.1.
 */
const CHANNEL = '19:review0123456789@thread.tacv2';
let h: Harness;
let connector: FakeConnector;
afterEach(async () => {
  const errors = h?.logs.filter((l) => /"level":(50|60)/.test(l)) ?? [];
  await h?.stop();
  await connector?.stop();
  expect(errors).toEqual([]);
});

const activity = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'message',
  id: `act-${Math.random().toString(36).slice(2)}`,
  timestamp: new Date().toISOString(),
  serviceUrl: connector.serviceUrl,
  channelId: 'msteams',
  from: { id: '29:ana', name: 'Ana Pérez', aadObjectId: '7faf8ab2-3d56-4244-b585-20c8a42ed2b8' },
  conversation: { conversationType: 'channel', tenantId: 'tenant-1', id: CHANNEL },
  recipient: { id: '28:bot', name: 'Visto Bueno' },
  text,
  entities: [{ type: 'mention', text: '<at>Visto Bueno</at>', mentioned: { id: '28:bot', name: 'Visto Bueno' } }],
  channelData: { tenant: { id: 'tenant-1' } },
  ...extra,
});

const post = (body: unknown) => fetch(`${h.baseUrl}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function start() {
  connector = await new FakeConnector().start();
  connector.knowConversations(CHANNEL);
  h = await Harness.start({ captureLogs: true, env: { TEAMS: 'on', TEAMS_SERVICE_URL: connector.serviceUrl } });
}

describe('Teams at /api/messages (local testing mode)', () => {
  it('an @mention with «ayuda» is answered in the thread with the commands, as an Adaptive Card Teams can parse', async () => {
    await start();
    const a = activity('<at>Visto Bueno</at> ayuda');
    const res = await post(a);
    expect(res.status).toBe(200);
    const reply = await waitFor(() => connector.sent[0]);
    expect(reply.conversationId).toBe(CHANNEL);
    expect(reply.replyToId).toBe(a.id);
    const attachment = (reply.body.attachments as { contentType: string; content: Record<string, unknown> }[])[0]!;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(attachment.content)).toEqual([]);
    expect(JSON.stringify(attachment.content)).toContain('consulta informe 2026-10');
  });

  it('«pieza pendientes» after an @mention answers what waits for the person; an unknown word gets the commands', async () => {
    await start();
    await post(activity('<at>Visto Bueno</at> pieza pendientes'));
    const reply = await waitFor(() => connector.sent[0]);
    expect(JSON.stringify(reply.body)).toContain('Nada espera por usted');
    await post(activity('<at>Visto Bueno</at> cafe'));
    const help = await waitFor(() => connector.sent[1]);
    expect(JSON.stringify(help.body)).toContain('No entendí «cafe»');
    expect(cardProblems((help.body.attachments as { content: Record<string, unknown> }[])[0]!.content)).toEqual([]);
  });

  it('an activity without a type is answered 400 and the bot goes on; a GET is 405', async () => {
    await start();
    expect((await post({ text: 'hola' })).status).toBe(400);
    expect((await post([1, 2])).status).toBe(400);
    expect((await fetch(`${h.baseUrl}/api/messages`)).status).toBe(405);
    const bad = await fetch(`${h.baseUrl}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":' });
    expect(bad.status).toBe(400);
    expect((await post(activity('ayuda'))).status).toBe(200);
    await waitFor(() => connector.sent.length === 1);
  });

  it('remembers who writes (one person per Azure AD object id) and where to write back: a 1:1 chat, and a team on install', async () => {
    await start();
    const chat = 'a:1personalchat';
    connector.knowConversations(chat);
    await post(activity('ayuda', { conversation: { conversationType: 'personal', tenantId: 'tenant-1', id: chat }, entities: [] }));
    await waitFor(() => connector.sent.length === 1);
    await post({ ...activity(''), type: 'conversationUpdate', text: undefined, membersAdded: [{ id: '28:bot' }], channelData: { tenant: { id: 'tenant-1' }, team: { id: '19:team@thread.tacv2' }, eventType: 'teamMemberAdded' } });
    const identity = h.app.db.prepare(`SELECT person_id FROM person_identities WHERE surface = 'teams' AND external_id = ?`).get('7faf8ab2-3d56-4244-b585-20c8a42ed2b8') as { person_id: string };
    expect(identity.person_id).toMatch(/^p\d+$/);
    expect(h.app.db.prepare('SELECT name FROM people WHERE id = ?').get(identity.person_id)).toEqual({ name: 'Ana Pérez' });
    const rows = h.app.db.prepare('SELECT conversation_id, kind, person_id, reference FROM teams_conversations ORDER BY conversation_id').all() as { conversation_id: string; kind: string; person_id: string | null; reference: string }[];
    expect(rows.map((r) => [r.conversation_id, r.kind, r.person_id])).toEqual([
      [CHANNEL, 'channel', null],
      [chat, 'personal', identity.person_id],
    ]);
    expect(JSON.parse(rows[1]!.reference)).toMatchObject({ serviceUrl: connector.serviceUrl, conversation: { id: chat } });
  });

  it('with an app id every request must carry a valid Bot Framework token: none is 401, and nothing is stored', async () => {
    connector = await new FakeConnector().start();
    h = await Harness.start({
      captureLogs: true,
      env: { TEAMS: '', MICROSOFT_APP_ID: '0f0e0d0c-0b0a-4909-8807-060504030201', MICROSOFT_APP_PASSWORD: 'not-a-real-secret', MICROSOFT_APP_TENANT_ID: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', TEAMS_SERVICE_URL: connector.serviceUrl },
    });
    const res = await post(activity('ayuda'));
    expect(res.status).toBe(401);
    const forged = await fetch(`${h.baseUrl}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.' }, body: JSON.stringify(activity('ayuda')) });
    expect(forged.status).toBe(401);
    expect(connector.sent).toEqual([]);
    expect(h.app.db.prepare(`SELECT count(*) AS n FROM person_identities WHERE surface = 'teams'`).get()).toEqual({ n: 0 });
  });
});
