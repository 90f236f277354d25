import type { Piece, PieceEventRecord, Stage } from './types.js';

/** Direct messages that carry a task; each names the stage in which its button still makes sense. */
export const NOTICE_STAGE = {
  design_task: 'design',
  fix_design: 'design',
  fix_content: 'changes_requested',
  approved: 'approved',
  cancelled: 'cancelled',
} as const satisfies Record<string, Stage>;
export type Notice = keyof typeof NOTICE_STAGE;

export type { Effect } from '../shared/effects.js';
import type { Effect } from '../shared/effects.js';

export interface EffectContext {
  designers: readonly string[];
  /** told when the piece now waits for a role nobody holds */
  admins: readonly string[];
  /** who delivered the design last: the one to fix it when the design is rejected */
  lastDesigner: string | null;
}

/** Nobody holds the role the piece now waits for: each admin is told (stalls are never silent). */
export function unassigned(p: Piece, role: 'approver' | 'designer', ctx: Pick<EffectContext, 'admins'>): Effect[] {
  return ctx.admins.map((a) => ({ type: 'unassigned' as const, to: { person: a }, pieceId: p.id, role }));
}

/** Pure: the messages that follow from one decision. */
export function effectsOf(prev: Piece, next: Piece, rec: Omit<PieceEventRecord, 'id'>, ctx: EffectContext): Effect[] {
  const pieceId = next.id;
  const out: Effect[] = [{ type: 'refresh', pieceId }];
  const notify = (to: string, notice: Notice): Effect => ({
    type: 'notify',
    pieceId,
    to: { person: to },
    notice,
    actorId: rec.actorId,
    reason: rec.reason,
  });
  switch (rec.event) {
    case 'approve':
      if (next.stage === 'design') out.push(...ctx.designers.map((d) => notify(d, 'design_task')));
      if (next.stage === 'design' && ctx.designers.length === 0) out.push(...unassigned(next, 'designer', ctx));
      if (next.stage === 'approved') out.push(notify(next.authorId, 'approved'));
      break;
    case 'reject':
      if (next.stage === 'changes_requested') out.push(notify(next.authorId, 'fix_content'));
      if (next.stage === 'design') {
        const fixers = ctx.lastDesigner ? [ctx.lastDesigner] : ctx.designers;
        out.push(...fixers.map((d) => notify(d, 'fix_design')));
      }
      break;
    case 'deliver_design':
      out.push({ type: 'thread_note', pieceId, note: 'design_delivered', actorId: rec.actorId });
      break;
    case 'resubmit':
      out.push({ type: 'thread_note', pieceId, note: 'resubmitted', actorId: rec.actorId });
      break;
    case 'cancel':
      if (rec.actorId !== prev.authorId) out.push(notify(next.authorId, 'cancelled'));
      break;
    default:
      break;
  }
  return out;
}
