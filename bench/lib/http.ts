/** Signed Slack requests and health probes from the bench process, each bounded in time. */
import { sign } from '../../test/helpers/slack-client.js';

export interface Timed {
  /** 0 when the request failed or timed out */
  status: number;
  ms: number;
  text: string;
}

/** Slack gives up on an ack after 3 s; we wait longer so a stall is measured, not cut off. */
const TIMEOUT_MS = 10_000;

/** POST /slack/events exactly as Slack does (signed raw form body); the round-trip is the ack time. */
export async function postSignedTimed(baseUrl: string, body: string, timeoutMs = TIMEOUT_MS): Promise<Timed> {
  const ts = Math.floor(Date.now() / 1000);
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Slack-Request-Timestamp': String(ts), 'X-Slack-Signature': sign(body, ts) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, ms: performance.now() - started, text };
  } catch (e) {
    return { status: 0, ms: performance.now() - started, text: (e as Error).message };
  }
}

export async function getTimed(url: string, timeoutMs = TIMEOUT_MS): Promise<Timed> {
  const started = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    return { status: res.status, ms: performance.now() - started, text };
  } catch (e) {
    return { status: 0, ms: performance.now() - started, text: (e as Error).message };
  }
}
