import { afterEach, describe, expect, it } from 'vitest';
import { FakeConnector, type FakeMember } from '../helpers/fake-connector.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { Harness, U, tempDbPath, waitFor } from '../helpers/harness.js';
import { TeamsClient, cardText, firstCard } from '../helpers/teams-client.js';

/**
 * One human, one person — even when the bot met them twice before it could tell: an e-mail named in
 * a setting and the Slack user who turns out to have it; a Teams id named in a setting and the Slack
 * user with the same e-mail. The record with no history of its own is absorbed by the other.
 */
const REVIEW_T = '19:review0123456789@thread.tacv2';
const beto: FakeMember = { id: '29:beto', name: 'Beto Ruiz', aadObjectId: '22222222-2222-4222-8222-222222222222', email: 'beto@oficina.gob.mx' };

let h: Harness | undefined;
let connector: FakeConnector | undefined;
afterEach(async () => {
  const errors = h?.logs.filter((l) => /"level":(50|60)/.test(l)) ?? [];
  await h?.stop();
  await connector?.stop();
  h = undefined;
  connector = undefined;
  expect(errors).toEqual([]);
});

describe('linking people by e-mail', () => {
  it('a Slack user met before e-mails were asked becomes the admin named by e-mail: asked once at start, the placeholder absorbed', async () => {
    const dbPath = tempDbPath();
    const before = await Harness.start({ dbPath });
    const ana = before.app.core.people.ensure('slack', 'U0ANA', { name: 'Ana' });
    await before.stop();

    const slack = await new FakeSlack().start();
    slack.knowProfile('U0ANA', { name: 'Ana Pérez', email: 'ana@oficina.gob.mx' });
    h = await Harness.start({ dbPath, slack, captureLogs: true, env: { ADMIN_IDS: 'ana@oficina.gob.mx' } });
    const core = h.app.core;
    await waitFor(() => core.roles.rolesOf(ana).has('admin') || undefined);
    expect(core.people.get(ana)).toMatchObject({ email: 'ana@oficina.gob.mx' });
    // She acts as an admin from Slack: «pieza fallos» is hers.
    const r = await h.command('U0ANA', 'fallos');
    expect(JSON.stringify(await h.reply(r.rid))).toContain('No hay mensajes fallidos');
    // The placeholder made from the setting points at her, for the record.
    const placeholder = h.app.db.prepare(`SELECT id, email, merged_into FROM people WHERE name = 'ana@oficina.gob.mx'`).get();
    expect(placeholder).toMatchObject({ email: null, merged_into: ana });
  });

  it('a Teams id named in a setting and the Slack user with the same e-mail are one person: the role works on Slack, direct messages reach Teams', async () => {
    const dbPath = tempDbPath();
    const before = await Harness.start({ dbPath });
    before.slack.knowProfile('U0BETO', { name: 'Beto Ruiz', email: 'beto@oficina.gob.mx' });
    // Beto used Slack (the bot learned his e-mail then).
    await before.command('U0BETO', 'pendientes');
    const onSlack = before.app.core.people.find('slack', 'U0BETO')!;
    expect(before.app.core.people.get(onSlack)?.email).toBe('beto@oficina.gob.mx');
    await before.stop();

    connector = await new FakeConnector().start();
    connector.knowConversations(REVIEW_T).addMember(beto);
    const slack = await new FakeSlack().start();
    slack.knowProfile('U0BETO', { name: 'Beto Ruiz', email: 'beto@oficina.gob.mx' });
    h = await Harness.start({ dbPath, slack, captureLogs: true, env: { TEAMS: 'on', TEAMS_SERVICE_URL: connector.serviceUrl, TEAMS_REVIEW_CHANNEL_ID: REVIEW_T, APPROVER_IDS: beto.aadObjectId } });
    const core = h.app.core;
    // At start the team tells the bot who that Teams id is: Beto, whom it knew from Slack.
    await waitFor(() => core.people.find("teams", beto.aadObjectId) === onSlack || undefined);
    expect(core.roles.rolesOf(onSlack).has('approver')).toBe(true);
    // He approves in Slack with the role named by his Teams id.
    const { id, card } = await h.createPiece(U.author);
    await h.click('U0BETO', card, 'piece.approve');
    await h.settle();
    expect(core.pieces.get(id)!.stage).toBe('approved');
    // He writes from Teams: the same person; his next notice goes to Teams, and nothing failed.
    const teams = new TeamsClient(h.baseUrl, connector);
    await teams.say(beto, 'pieza lista');
    expect(core.people.find('teams', beto.aadObjectId)).toBe(onSlack);
    expect(h.app.db.prepare(`SELECT count(*) AS n FROM outbox WHERE status = 'failed'`).get()).toEqual({ n: 0 });
    const listed = await waitFor(() => connector!.postedTo(teams.chatOf(beto))[0]);
    expect(cardText(firstCard(listed.body))).toMatch(/piezas/i);
  });

  it('Slack only: a designer named by e-mail who never typed a command gets her task (Slack finds her by her address at start)', async () => {
    const slack = await new FakeSlack().start();
    slack.knowProfile('U0CARLA', { name: 'Carla Díaz', email: 'carla@oficina.gob.mx' });
    h = await Harness.start({ slack, captureLogs: true, env: { DESIGNER_IDS: 'carla@oficina.gob.mx' } });
    await waitFor(() => h!.app.core.people.find('slack', 'U0CARLA') || undefined);
    const { card } = await h.createPiece(U.author, { kind: 'graphic' });
    await h.click(U.approver, card, 'piece.approve');
    await h.settle();
    const task = await waitFor(() => slack.dmsTo('U0CARLA')[0]);
    expect(JSON.stringify(task)).toMatch(/diseño|Diseño/);
  });
});
