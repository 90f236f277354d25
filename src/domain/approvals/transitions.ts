import { DomainError } from '../shared/errors.js';
import { hasRole, type Actor } from '../shared/roles.js';
import { KINDS_NEEDING_DESIGN, type Piece, type PieceEvent, type PieceEventRecord, type Stage } from './types.js';

/** Who may fire an event: a role, or the piece's author. */
export type Party = 'author' | 'approver' | 'designer' | 'admin';

export interface Rule {
  to: (piece: Piece) => Stage;
  who: readonly Party[];
  /** Approvals of one's own piece are refused unless the office allows it. */
  notOwnPiece?: boolean;
}

const afterContentApproval = (p: Piece): Stage =>
  p.needsDesign || KINDS_NEEDING_DESIGN.has(p.kind) ? 'design' : 'approved';

const cancel: Rule = { to: () => 'cancelled', who: ['author', 'admin'] };

/**
 * The approval procedure as data: stage → event → rule. This is the office's procedure
 * (content review → design → design review → approved → published), reviewable in one screen.
 */
export const TRANSITIONS: Readonly<Partial<Record<Stage, Partial<Record<PieceEvent, Rule>>>>> = {
  draft: {
    submit: { to: () => 'content_review', who: ['author'] },
    cancel,
  },
  content_review: {
    approve: { to: afterContentApproval, who: ['approver'], notOwnPiece: true },
    reject: { to: () => 'changes_requested', who: ['approver'] },
    cancel,
  },
  changes_requested: {
    resubmit: { to: () => 'content_review', who: ['author'] },
    cancel,
  },
  design: {
    deliver_design: { to: () => 'design_review', who: ['designer'] },
    cancel,
  },
  design_review: {
    approve: { to: () => 'approved', who: ['approver'], notOwnPiece: true },
    reject: { to: () => 'design', who: ['approver'] },
    cancel,
  },
  approved: {
    publish: { to: () => 'published', who: ['author', 'admin'] },
    cancel,
  },
};

export interface DecisionInput {
  reason?: string | null;
  /** design link for deliver_design, testigo for publish */
  link?: string | null;
  /** new text and title for resubmit */
  title?: string;
  body?: string;
}

export interface Policy {
  allowSelfApproval: boolean;
}

const isParty = (party: Party, piece: Piece, actor: Actor): boolean =>
  party === 'author' ? piece.authorId === actor.userId : hasRole(actor, party);

export const MAX_REASON = 2000;

export function isHttpUrl(s: string): boolean {
  if (/\s/.test(s)) return false;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Throws a coded error if `actor` may not fire `event` on `piece` as it is now. */
export function authorize(piece: Piece, event: PieceEvent, actor: Actor, policy: Policy): Rule {
  const rule = TRANSITIONS[piece.stage]?.[event];
  if (!rule) throw new DomainError('approval.invalid_event', { event, stage: piece.stage, pieceId: piece.id });
  if (!rule.who.some((p) => isParty(p, piece, actor))) {
    throw new DomainError('approval.not_allowed', { event, who: rule.who, pieceId: piece.id });
  }
  if (rule.notOwnPiece && piece.authorId === actor.userId && !policy.allowSelfApproval) {
    throw new DomainError('approval.self_approval', { pieceId: piece.id });
  }
  return rule;
}

export interface TransitionResult {
  piece: Piece;
  record: Omit<PieceEventRecord, 'id'>;
}

/**
 * Pure: the next piece and its audit record, or a coded error. The caller persists both
 * guarded by `piece.version` (the version the person clicked on).
 */
export function transition(
  piece: Piece,
  event: PieceEvent,
  actor: Actor,
  input: DecisionInput,
  policy: Policy,
  now: number,
  platform: string,
): TransitionResult {
  const rule = authorize(piece, event, actor, policy);
  const reason = input.reason?.trim() || null;
  const link = input.link?.trim() || null;
  if (event === 'reject' && !reason) throw new DomainError('approval.reason_required', { pieceId: piece.id });
  if ((event === 'deliver_design' || event === 'publish') && (!link || !isHttpUrl(link))) {
    throw new DomainError('approval.invalid_link', { pieceId: piece.id });
  }
  const to = rule.to(piece);
  const next: Piece = { ...piece, stage: to, version: piece.version + 1, updatedAt: now };
  const data: Record<string, string> = {};
  if (event === 'deliver_design' && link) {
    next.designUrl = link;
    data.designUrl = link;
  }
  if (event === 'publish' && link) {
    next.publishedUrl = link;
    data.publishedUrl = link;
  }
  if (event === 'resubmit') {
    if (input.title !== undefined) next.title = input.title;
    if (input.body !== undefined) next.body = input.body;
  }
  return {
    piece: next,
    record: {
      pieceId: piece.id,
      versionFrom: piece.version,
      event,
      fromStage: piece.stage,
      toStage: to,
      actorId: actor.userId,
      reason: reason ? reason.slice(0, MAX_REASON) : null,
      data,
      platform,
      at: now,
    },
  };
}
