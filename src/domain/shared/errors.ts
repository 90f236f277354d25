/**
 * Coded domain errors. The code says what went wrong; `params` carries what the message
 * catalog needs to tell the person what happened and what to do.
 */
export type ErrorCode =
  | 'approval.not_allowed'
  | 'approval.self_approval'
  | 'approval.stale_version'
  | 'approval.invalid_event'
  | 'approval.not_found'
  | 'approval.reason_required'
  | 'approval.invalid_link'
  | 'roles.not_admin'
  | 'roles.env_role'
  | 'roles.unknown_role'
  | 'calendar.not_found'
  | 'calendar.not_allowed'
  | 'calendar.no_occurrence'
  | 'calendar.stale_version'
  | 'inquiry.not_found'
  | 'inquiry.not_allowed'
  | 'inquiry.taken'
  | 'inquiry.closed'
  | 'inquiry.not_taken'
  | 'inquiry.no_term'
  | 'inquiry.extension_late'
  | 'inquiry.already_extended'
  | 'inquiry.invalid_input'
  | 'inquiry.invalid_answer_date'
  | 'oncall.not_allowed'
  | 'oncall.invalid_dates'
  | 'oncall.empty_rotation';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
