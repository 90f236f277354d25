import { DeliveryError } from '../../scheduler/delivery-error.js';

interface RestLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { headers?: { get?(name: string): string | undefined } | Record<string, string | undefined> };
}

const header = (e: RestLikeError, name: string): string | undefined => {
  const h = e.response?.headers;
  if (!h) return undefined;
  return typeof (h as { get?: unknown }).get === 'function' ? (h as { get(n: string): string | undefined }).get(name) : (h as Record<string, string | undefined>)[name];
};

/**
 * Sorts a Bot Framework connector error (botbuilder's RestError) like Slack's: 429 waits for
 * Retry-After without spending an attempt, 5xx and network errors retry with backoff, and the rest
 * are permanent and reach the admins: 403 (the bot was removed from the team or chat), 404 (the
 * conversation is gone), 413 (the message is too big), 401 (the app's credentials).
 * (botbuilder already retries a 429 or a 5xx a few times itself before this sees it.)
 */
export function classifyTeamsError(e: unknown): DeliveryError {
  const err = (e ?? {}) as RestLikeError;
  const status = err.statusCode ?? 0;
  if (status === 429) {
    // Retry-After in seconds, or as an HTTP date.
    const raw = header(err, 'retry-after') ?? '';
    const seconds = Number(raw);
    const until = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(raw) - Date.now();
    return new DeliveryError('rate_limited', 'throttled', Number.isFinite(until) && until > 0 ? Math.min(until, 10 * 60_000) : 1000);
  }
  if (status >= 500 || status === 408) return new DeliveryError('retryable', `http_${status}`);
  if (status === 403) return new DeliveryError('permanent', 'bot_removed');
  if (status === 404) return new DeliveryError('permanent', 'conversation_not_found');
  if (status === 413) return new DeliveryError('permanent', 'message_too_big');
  if (status === 401) return new DeliveryError('permanent', 'unauthorized');
  if (status >= 400) return new DeliveryError('permanent', `http_${status}`);
  return new DeliveryError('retryable', err.code === 'ECONNREFUSED' || err.code === 'ETIMEDOUT' ? 'network_error' : (err.message ?? 'unknown_error'));
}
