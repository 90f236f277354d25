import type { Notice } from '../approvals/effects.js';
import type { LocalDate } from './time.js';

/**
 * Everything the bot must send, as neutral rows of the outbox. A platform adapter renders each
 * one from the current state when it delivers it.
 */
export type Effect =
  | { type: 'post_card'; pieceId: number }
  | { type: 'refresh'; pieceId: number }
  | { type: 'notify'; pieceId: number; to: string; notice: Notice; actorId: string; reason: string | null }
  | { type: 'thread_note'; pieceId: number; note: 'resubmitted' | 'design_delivered'; actorId: string }
  | { type: 'admin_alert'; to: string; pieceId: number | null; error: string; what: string }
  | { type: 'calendar_reminder'; to: string; entryId: number; occurrenceDate: LocalDate; late: boolean }
  | { type: 'piece_alert'; to: string; pieceId: number; late: boolean }
  | { type: 'digest'; to: string; date: LocalDate; personal: boolean; late: boolean };
