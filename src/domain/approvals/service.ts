import type { Clock } from '../shared/clock.js';
import type { JobsPort } from '../shared/jobs.js';
import { pieceAlertJob } from './jobs.js';
import { DomainError } from '../shared/errors.js';
import type { Actor } from '../shared/roles.js';
import { effectsOf, unassigned } from './effects.js';
import type { OutboxPort, PieceRepository, RoleDirectory } from './ports.js';
import { authorize, transition, type DecisionInput, type Policy } from './transitions.js';
import type { Piece, PieceEvent, PieceEventRecord, Stage } from './types.js';
import type { NewPiece } from './validate.js';

export interface ApprovalDeps {
  pieces: PieceRepository;
  outbox: OutboxPort;
  roles: RoleDirectory;
  clock: Clock;
  policy: Policy;
  /** timed work a piece causes (the «se publica mañana» alert), planned when it is written */
  jobs: JobsPort;
  /** the office's time zone: «mañana» is the office's tomorrow */
  tz: string;
}

export interface DecideCommand {
  pieceId: number;
  /** the version shown on the button that was clicked */
  version: number;
  event: PieceEvent;
  userId: string;
  platform: string;
  input?: DecisionInput;
}

/** Which stages wait for whom, for «/pieza pendientes». */
const WAITING_FOR_APPROVERS: readonly Stage[] = ['content_review', 'design_review'];
const WAITING_FOR_DESIGNERS: readonly Stage[] = ['design'];
const WAITING_FOR_AUTHOR: readonly Stage[] = ['changes_requested', 'approved'];

export class ApprovalService {
  constructor(private readonly d: ApprovalDeps) {}

  actor(userId: string): Actor {
    return { userId, roles: this.d.roles.rolesOf(userId) };
  }

  /** A new piece enters content review; its card and audit event are written in one transaction. */
  submit(input: NewPiece, authorId: string, platform: string, originKey: string | null): { piece: Piece; created: boolean } {
    const now = this.d.clock.now();
    return this.d.pieces.transaction(() => {
      const res = this.d.pieces.insert({ ...input, authorId, platform, stage: 'content_review', originKey }, now);
      if (!res.created) return res;
      this.d.pieces.appendEvent({
        pieceId: res.piece.id,
        versionFrom: 0,
        event: 'submit',
        fromStage: 'draft',
        toStage: 'content_review',
        actorId: authorId,
        reason: null,
        data: {},
        platform,
        at: now,
      });
      this.d.outbox.enqueue({ type: 'post_card', pieceId: res.piece.id }, now);
      if (this.d.roles.usersWith('approver').length === 0) {
        for (const e of unassigned(res.piece, 'approver', { admins: this.d.roles.usersWith('admin') })) this.d.outbox.enqueue(e, now);
      }
      this.planAlert(res.piece, now);
      return res;
    });
  }

  /**
   * One decision, exactly once: the state write is guarded by the clicked version, and the
   * audit event and the messages it must send commit in the same transaction.
   */
  decide(cmd: DecideCommand): { piece: Piece; record: Omit<PieceEventRecord, 'id'> } {
    const now = this.d.clock.now();
    const actor = this.actor(cmd.userId);
    return this.d.pieces.transaction(() => {
      const piece = this.d.pieces.get(cmd.pieceId);
      if (!piece) throw new DomainError('approval.not_found', { pieceId: cmd.pieceId });
      if (piece.version !== cmd.version) throw this.staleError(piece, cmd.version, cmd.event);
      const { piece: next, record } = transition(piece, cmd.event, actor, cmd.input ?? {}, this.d.policy, now, cmd.platform);
      if (!this.d.pieces.updateIfVersion(next, cmd.version)) throw this.staleError(piece, cmd.version, cmd.event);
      this.d.pieces.appendEvent(record);
      const effects = effectsOf(piece, next, record, {
        designers: this.d.roles.usersWith('designer'),
        admins: this.d.roles.usersWith('admin'),
        lastDesigner: this.d.pieces.lastActor(piece.id, 'deliver_design'),
      });
      for (const e of effects) this.d.outbox.enqueue(e, now);
      this.planAlert(next, now);
      return { piece: next, record };
    });
  }

  /**
   * Would this decision be accepted now? Throws the same coded errors as `decide`, writes nothing.
   * Used before opening a form, so nobody fills in a reason only to be refused.
   */
  check(cmd: Omit<DecideCommand, 'input' | 'platform'>): Piece {
    const piece = this.get(cmd.pieceId);
    if (piece.version !== cmd.version) throw this.staleError(piece, cmd.version, cmd.event);
    authorize(piece, cmd.event, this.actor(cmd.userId), this.d.policy);
    return piece;
  }

  private planAlert(p: Piece, now: number): void {
    const row = pieceAlertJob(p, now, this.d.tz);
    if (row) this.d.jobs.schedule([row]);
  }

  /** The decision that was taken on the version a late click carried: «ya fue aprobada por @x a las 10:42». */
  private staleError(piece: Piece, clickedVersion: number, clicked: PieceEvent): DomainError {
    const ev = this.d.pieces.eventAtVersion(piece.id, clickedVersion);
    return new DomainError('approval.stale_version', {
      pieceId: piece.id,
      stage: piece.stage,
      event: ev?.event ?? null,
      actorId: ev?.actorId ?? null,
      at: ev?.at ?? null,
      clicked,
    });
  }

  get(pieceId: number): Piece {
    const piece = this.d.pieces.get(pieceId);
    if (!piece) throw new DomainError('approval.not_found', { pieceId });
    return piece;
  }

  history(pieceId: number): { piece: Piece; events: PieceEventRecord[] } {
    return { piece: this.get(pieceId), events: this.d.pieces.events(pieceId) };
  }

  mine(userId: string, limit = 30): Piece[] {
    return this.d.pieces.byAuthor(userId, limit);
  }

  /** What waits for this person, by role: reviews for approvers, designs for designers, fixes and publishing for authors. */
  pendingFor(userId: string, limit = 30): { reviews: Piece[]; designs: Piece[]; mine: Piece[]; total: number } {
    const actor = this.actor(userId);
    let total = 0;
    const take = (stages: readonly Stage[], filter: { authorId?: string; notAuthorId?: string } = {}): Piece[] => {
      const r = this.d.pieces.inStages(stages, limit, filter);
      total += r.total;
      return r.pieces;
    };
    const reviews = actor.roles.has('approver') ? take(WAITING_FOR_APPROVERS, this.d.policy.allowSelfApproval ? {} : { notAuthorId: userId }) : [];
    const designs = actor.roles.has('designer') ? take(WAITING_FOR_DESIGNERS) : [];
    const mine = take(WAITING_FOR_AUTHOR, { authorId: userId });
    return { reviews, designs, mine, total };
  }
}
