import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

/** Signs a body the way Slack does: v0=HMAC-SHA256(secret, `v0:${ts}:${body}`). */
export function sign(body: string, ts: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

export interface SentRequest {
  status: number;
  text: string;
  ms: number;
}

/** Posts to the app exactly as Slack does: bare form content type, signed raw body. */
export async function postSigned(baseUrl: string, body: string, opts: { ts?: number; signature?: string; headers?: Record<string, string> } = {}): Promise<SentRequest> {
  const ts = opts.ts ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(ts),
      'X-Slack-Signature': opts.signature ?? sign(body, ts),
      ...opts.headers,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

let triggerSeq = 0;

export function commandBody(p: { user: string; text: string; responseUrl: string; channel?: string; command?: string }): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0001',
    team_domain: 'oficina',
    channel_id: p.channel ?? 'CGENERAL',
    channel_name: 'general',
    user_id: p.user,
    user_name: p.user.toLowerCase(),
    command: p.command ?? '/pieza',
    text: p.text,
    api_app_id: 'A0VISTO',
    response_url: p.responseUrl,
    trigger_id: `trigger.${++triggerSeq}`,
  }).toString();
}

export const payloadBody = (payload: unknown): string => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

export function blockActionPayload(p: { user: string; actionId: string; value: string; channel: string; messageTs: string; responseUrl: string }) {
  return {
    type: 'block_actions',
    user: { id: p.user, username: p.user.toLowerCase(), name: p.user.toLowerCase(), team_id: 'T0001' },
    api_app_id: 'A0VISTO',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: p.messageTs, channel_id: p.channel, is_ephemeral: false },
    trigger_id: `trigger.${++triggerSeq}`,
    team: { id: 'T0001', domain: 'oficina' },
    channel: { id: p.channel, name: 'revision' },
    message: { type: 'message', bot_id: 'BBOT', ts: p.messageTs, text: '', blocks: [] },
    state: { values: {} },
    response_url: p.responseUrl,
    actions: [
      { type: 'button', block_id: 'piece_actions', action_id: p.actionId, value: p.value, text: { type: 'plain_text', text: 'x' }, action_ts: String(Date.now() / 1000) },
    ],
  };
}

export type FieldValue = string | string[] | null;

/** Builds view.state.values from field ids, shaped like the element each field uses. */
export function viewState(view: { blocks: { block_id?: string; element?: { type: string; action_id: string } }[] }, values: Record<string, FieldValue>) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const b of view.blocks) {
    if (!b.block_id || !b.element) continue;
    const v = values[b.block_id];
    const el = b.element;
    let state: Record<string, unknown>;
    switch (el.type) {
      case 'users_select':
        state = { type: el.type, selected_user: v ?? null };
        break;
      case 'static_select':
      case 'radio_buttons':
        state = { type: el.type, selected_option: v ? { value: v, text: { type: 'plain_text', text: String(v) } } : null };
        break;
      case 'multi_static_select':
      case 'checkboxes':
        state = { type: el.type, selected_options: ((v as string[] | null) ?? []).map((x) => ({ value: x })) };
        break;
      case 'datepicker':
        state = { type: el.type, selected_date: v ?? null };
        break;
      case 'timepicker':
        state = { type: el.type, selected_time: v ?? null };
        break;
      default:
        state = { type: el.type, value: v ?? null };
    }
    out[b.block_id] = { [el.action_id]: state };
  }
  return out;
}

export function viewSubmissionPayload(p: { user: string; view: Record<string, unknown>; values: Record<string, FieldValue>; viewId: string }) {
  const view = p.view as { blocks: never; callback_id: string; private_metadata: string };
  return {
    type: 'view_submission',
    team: { id: 'T0001', domain: 'oficina' },
    user: { id: p.user, username: p.user.toLowerCase(), name: p.user.toLowerCase(), team_id: 'T0001' },
    api_app_id: 'A0VISTO',
    token: 'legacy-verification-token',
    trigger_id: `trigger.${++triggerSeq}`,
    view: {
      id: p.viewId,
      type: 'modal',
      team_id: 'T0001',
      app_id: 'A0VISTO',
      bot_id: 'BBOT',
      hash: '1700000000.hash',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      title: { type: 'plain_text', text: 'x' },
      blocks: view.blocks,
      state: { values: viewState(p.view as never, p.values) },
    },
    response_urls: [],
  };
}

/** A message shortcut on someone's message, as Slack posts it (type message_action). */
export function messageShortcutPayload(p: { user: string; callbackId: string; channel: string; messageTs: string; text: string; author: string; responseUrl: string }) {
  return {
    type: 'message_action',
    token: 'legacy-verification-token',
    action_ts: String(Date.now() / 1000),
    team: { id: 'T0001', domain: 'oficina' },
    user: { id: p.user, username: p.user.toLowerCase(), name: p.user.toLowerCase(), team_id: 'T0001' },
    channel: { id: p.channel, name: 'general' },
    is_enterprise_install: false,
    callback_id: p.callbackId,
    trigger_id: `trigger.${++triggerSeq}`,
    response_url: p.responseUrl,
    message_ts: p.messageTs,
    message: { type: 'message', user: p.author, ts: p.messageTs, text: p.text },
  };
}
