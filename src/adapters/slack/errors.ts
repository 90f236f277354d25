import { DeliveryError } from '../../scheduler/delivery-error.js';

/** Slack errors that are worth retrying; every other `ok:false` is a configuration problem. */
const RETRYABLE_PLATFORM = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'team_added_to_org']);

interface SlackishError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
  message?: string;
}

/** Sorts a @slack/web-api error into rate limited, retryable or permanent (oncall's slack/errors.py does the same). */
export function classifySlackError(e: unknown): DeliveryError {
  const err = (e ?? {}) as SlackishError;
  switch (err.code) {
    case 'slack_webapi_rate_limited_error':
      return new DeliveryError('rate_limited', 'ratelimited', Math.max(1, err.retryAfter ?? 1) * 1000);
    case 'slack_webapi_platform_error': {
      const code = err.data?.error ?? 'unknown_error';
      return new DeliveryError(RETRYABLE_PLATFORM.has(code) ? 'retryable' : 'permanent', code);
    }
    case 'slack_webapi_http_error': {
      const status = err.statusCode ?? 0;
      return new DeliveryError(status >= 500 || status === 408 ? 'retryable' : 'permanent', `http_${status}`);
    }
    case 'slack_webapi_request_error':
      return new DeliveryError('retryable', 'network_error');
    default:
      return new DeliveryError('retryable', err.message ?? 'unknown_error');
  }
}
