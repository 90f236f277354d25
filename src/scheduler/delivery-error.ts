/**
 * How a platform send failed, sorted so the outbox knows what to do: wait and retry (rate limit),
 * retry with backoff (5xx, network), stop and tell an admin (channel not found, no access), or
 * hold the row without spending an attempt while the surface is unavailable (a refused token).
 */
export type DeliveryFailure = 'rate_limited' | 'retryable' | 'permanent' | 'unavailable';

export class DeliveryError extends Error {
  constructor(
    readonly failure: DeliveryFailure,
    readonly code: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(code);
    this.name = 'DeliveryError';
  }
}
