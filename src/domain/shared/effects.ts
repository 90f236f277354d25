import type { Notice } from '../approvals/effects.js';
import type { Address, PersonId } from '../people/types.js';
import type { Role } from './roles.js';
import type { LocalDate } from './time.js';
import type { KpiAlert } from '../kpis/alerts.js';

/**
 * Everything the bot must send, as neutral rows of the outbox. Effects name people and named
 * places, never a platform's ids; each surface resolves them and renders each row from the
 * current state when it delivers it.
 */
export type Effect =
  | { type: 'post_card'; pieceId: number }
  | { type: 'refresh'; pieceId: number }
  | { type: 'notify'; pieceId: number; to: Address; notice: Notice; actorId: PersonId; reason: string | null }
  | { type: 'thread_note'; pieceId: number; note: 'resubmitted' | 'design_delivered'; actorId: PersonId }
  /** a message that will never arrive (outbox row `failedId`), told to an admin; rendered when delivered */
  | { type: 'admin_alert'; to: Address; pieceId: number | null; failedId: number }
  /** a piece waits for a role nobody holds: the admins are told, so it does not stall in silence */
  | { type: 'unassigned'; to: Address; pieceId: number; role: Role }
  | { type: 'calendar_reminder'; to: Address; entryId: number; occurrenceDate: LocalDate; late: boolean }
  | { type: 'piece_alert'; to: Address; pieceId: number; late: boolean }
  | { type: 'digest'; to: Address; date: LocalDate; personal: boolean; late: boolean }
  /** a campaign condition became true (rendered with the campaign's figures as of `date`) */
  | { type: 'kpi_alert'; to: Address; campaignId: number; alert: KpiAlert; metric: string | null; date: LocalDate }
  /** the periodic status of every campaign running on `date` */
  | { type: 'kpi_report'; to: Address; date: LocalDate; late: boolean }
  | { type: 'kpi_closing'; to: Address; campaignId: number }
  /** a campaign's chart, as a PNG, to the person who asked for it */
  | { type: 'kpi_chart'; to: Address; campaignId: number; metric: string | null; date: LocalDate }
  /** an inquiry's card in the inquiry channel (no personal data) */
  | { type: 'inquiry_card'; inquiryId: number }
  /** every card and page of an inquiry, updated in place to its current state */
  | { type: 'inquiry_refresh'; inquiryId: number }
  /** a page: nobody has taken it yet (not sent if someone took it before delivery) */
  | { type: 'inquiry_page'; to: Address; inquiryId: number; round: number; step: number; level: number; /** why this person is paged: on call, next in the rotation, admin */ as?: 'oncall' | 'next' | 'admin'; /** when the next step pages (the same people and more): a page still unsent by then is superseded */ nextAt?: number }
  /** the detail, personal data included, to whoever took it */
  | { type: 'inquiry_assigned'; to: Address; inquiryId: number; actorId: string; returned: boolean }
  /** someone else (an admin) answered, transferred, extended or released what this person had taken */
  | { type: 'inquiry_notice'; to: Address; inquiryId: number; actorId: string; event: 'answered' | 'transferred' | 'extended' | 'released' }
  /** its legal term ends in `daysLeft` business days (0: today) */
  | { type: 'inquiry_warning'; to: Address; inquiryId: number; daysLeft: number; date: LocalDate }
  /** the person's taken, unanswered inquiries (not warned about today) */
  | { type: 'inquiry_reminder'; to: Address; date: LocalDate; except: number[] }
  /** every inquiry past its term, to the admins each business day */
  | { type: 'inquiry_overdue'; to: Address; date: LocalDate }
  /** a new shift: to the incoming person and the inquiry channel */
  | { type: 'oncall_handoff'; to: Address; personId: string; start: number; end: number };

