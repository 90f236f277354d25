import type { FakeConnector, FakeMember } from './fake-connector.js';

/** A member of the fake team: Teams id 29:<n>, an Azure AD object id made of one digit, an optional e-mail. */
export const fakeMember = (n: string, name: string, digit: string, email?: string): FakeMember => ({
  id: `29:${n}`,
  name,
  aadObjectId: `${digit.repeat(8)}-${digit.repeat(4)}-4${digit.repeat(3)}-8${digit.repeat(3)}-${digit.repeat(12)}`,
  ...(email ? { email } : {}),
});

/**
 * Activities as Teams posts them to the bot's messaging endpoint (see PROTOCOLS.md §6.2, §6.4): a
 * message in a 1:1 chat or after an @mention in a channel, and the `adaptiveCard/action` invoke of an
 * Action.Execute (its data, with the inputs of the card merged in).
 */
export const BOT = { id: '28:visto-bueno', name: 'Visto Bueno' };
export const TENANT = '0b0c1e2f-3a4b-4c5d-8e9f-0123456789ab';

let seq = 0;

export class TeamsClient {
  constructor(
    readonly baseUrl: string,
    readonly connector: FakeConnector,
  ) {}

  private base(from: FakeMember, conversation: { id: string; conversationType: 'personal' | 'channel' | 'groupChat' }) {
    return {
      id: `act-${++seq}`,
      timestamp: new Date().toISOString(),
      serviceUrl: this.connector.serviceUrl,
      channelId: 'msteams',
      from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
      conversation: { ...conversation, tenantId: TENANT },
      recipient: BOT,
      channelData: { tenant: { id: TENANT } },
      locale: 'es-MX',
    };
  }

  /** The 1:1 chat between the bot and a member. */
  chatOf(m: FakeMember): string {
    const id = `a:chat-${m.aadObjectId}`;
    this.connector.knowConversations(id);
    return id;
  }

  async post(activity: unknown): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.baseUrl}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body };
  }

  /** A message typed in the person's 1:1 chat with the bot. */
  say(from: FakeMember, text: string) {
    return this.post({ ...this.base(from, { id: this.chatOf(from), conversationType: 'personal' }), type: 'message', text, textFormat: 'plain' });
  }

  /** A message in a channel that @mentions the bot. */
  sayInChannel(from: FakeMember, channel: string, text: string, mentions: FakeMember[] = []) {
    const at = (n: string) => `<at>${n}</at>`;
    return this.post({
      ...this.base(from, { id: channel, conversationType: 'channel' }),
      type: 'message',
      text: `${at(BOT.name)} ${text}`,
      entities: [{ type: 'mention', text: at(BOT.name), mentioned: BOT }, ...mentions.map((m) => ({ type: 'mention', text: at(m.name), mentioned: { id: m.id, name: m.name } }))],
    });
  }

  /** A click on an Action.Execute (or a form's submit, with its inputs merged into data). */
  async invoke(from: FakeMember, conversation: string, verb: string, data: Record<string, unknown>, type: 'personal' | 'channel' = 'personal') {
    const res = await this.post({
      ...this.base(from, { id: conversation, conversationType: type }),
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', id: `btn-${seq}`, verb, data }, trigger: 'manual' },
    });
    return res as { status: number; body: { statusCode: number; type: string; value: Record<string, unknown> } };
  }
}

/** Every text run of a card, joined: what a person reads. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.type === 'TextRun' && typeof o.text === 'string') out.push(o.text);
    if ((o.type === 'Action.Execute' || o.type === 'Input.Text' || o.type === 'Input.ChoiceSet' || o.type === 'Input.Date') && typeof (o.title ?? o.label) === 'string') out.push(String(o.title ?? o.label));
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out.join(' ');
}

/** The Action.Execute buttons of a card (those behind «Más acciones» too): verb and data. */
export function actionsOf(card: unknown): { title: string; verb: string; data: Record<string, unknown> }[] {
  type A = { type: string; title: string; verb: string; data: Record<string, unknown>; card?: { actions?: A[] } };
  const top = (((card as { actions?: unknown[] } | null)?.actions ?? []) as A[]);
  return top.flatMap((a) => (a.type === 'Action.ShowCard' ? (a.card?.actions ?? []) : [a])).filter((a) => a.type === 'Action.Execute');
}

/** The first Adaptive Card of an activity the bot sent. */
export const firstCard = (body: Record<string, unknown>): Record<string, unknown> => (body.attachments as { content: Record<string, unknown> }[])[0]!.content;
