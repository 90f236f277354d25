import { describe, expect, it } from 'vitest';
import { effectsOf } from '../../src/domain/approvals/effects.js';
import { TRANSITIONS, transition, type Party } from '../../src/domain/approvals/transitions.js';
import { EVENTS, STAGES, type Piece, type PieceEvent, type Stage } from '../../src/domain/approvals/types.js';
import { DomainError } from '../../src/domain/shared/errors.js';
import type { Actor, Role } from '../../src/domain/shared/roles.js';

const makePiece = (over: Partial<Piece> = {}): Piece => ({
  id: 7,
  title: 'Comunicado',
  body: 'Texto',
  kind: 'post',
  networks: ['x'],
  plannedAt: null,
  plannedHasTime: false,
  materialsUrl: null,
  needsDesign: false,
  designUrl: null,
  publishedUrl: null,
  stage: 'content_review',
  version: 3,
  authorId: 'UAUTHOR',
  platform: 'slack',
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

const ACTORS: Record<Party | 'nobody', Actor> = {
  author: { userId: 'UAUTHOR', roles: new Set<Role>() },
  approver: { userId: 'UAPP', roles: new Set<Role>(['approver']) },
  designer: { userId: 'UDES', roles: new Set<Role>(['designer']) },
  admin: { userId: 'UADM', roles: new Set<Role>(['admin']) },
  nobody: { userId: 'UNOBODY', roles: new Set<Role>() },
};

/** The procedure, written out: stage → event → who may → next stage. Anything not here is refused. */
const EXPECTED: [Stage, PieceEvent, (Party | 'nobody')[], Stage][] = [
  ['draft', 'submit', ['author'], 'content_review'],
  ['draft', 'cancel', ['author', 'admin'], 'cancelled'],
  ['content_review', 'approve', ['approver'], 'approved'],
  ['content_review', 'reject', ['approver'], 'changes_requested'],
  ['content_review', 'cancel', ['author', 'admin'], 'cancelled'],
  ['changes_requested', 'resubmit', ['author'], 'content_review'],
  ['changes_requested', 'cancel', ['author', 'admin'], 'cancelled'],
  ['design', 'deliver_design', ['designer'], 'design_review'],
  ['design', 'cancel', ['author', 'admin'], 'cancelled'],
  ['design_review', 'approve', ['approver'], 'approved'],
  ['design_review', 'reject', ['approver'], 'design'],
  ['design_review', 'cancel', ['author', 'admin'], 'cancelled'],
  ['approved', 'publish', ['author', 'admin'], 'published'],
  ['approved', 'cancel', ['author', 'admin'], 'cancelled'],
];

const input = { reason: 'Motivo', link: 'https://example.org/x' };
const policy = { allowSelfApproval: false };

describe('the transition table, every stage × event × role', () => {
  for (const stage of STAGES) {
    for (const event of EVENTS) {
      const row = EXPECTED.find(([s, e]) => s === stage && e === event);
      for (const [name, actor] of Object.entries(ACTORS)) {
        const allowed = row?.[2].includes(name as Party) ?? false;
        it(`${stage} × ${event} × ${name} → ${allowed ? row![3] : 'refused'}`, () => {
          const piece = makePiece({ stage });
          if (allowed) {
            const r = transition(piece, event, actor, input, policy, 1000, 'slack');
            expect(r.piece.stage).toBe(row![3]);
            expect(r.piece.version).toBe(4);
            expect(r.record).toMatchObject({ pieceId: 7, versionFrom: 3, event, fromStage: stage, toStage: row![3], actorId: actor.userId, at: 1000 });
          } else {
            expect(() => transition(piece, event, actor, input, policy, 1000, 'slack')).toThrow(DomainError);
            try {
              transition(piece, event, actor, input, policy, 1000, 'slack');
            } catch (e) {
              expect((e as DomainError).code).toBe(row ? 'approval.not_allowed' : 'approval.invalid_event');
            }
          }
        });
      }
    }
  }

  it('the table in code is exactly the procedure above', () => {
    const inCode = Object.entries(TRANSITIONS).flatMap(([s, evs]) => Object.keys(evs!).map((e) => `${s}:${e}`));
    expect(inCode.sort()).toEqual(EXPECTED.map(([s, e]) => `${s}:${e}`).sort());
  });
});

describe('design routing and guards', () => {
  it('graphics and videos, and any piece that asked for it, go to design after content approval', () => {
    for (const [over, to] of [
      [{ kind: 'graphic' }, 'design'],
      [{ kind: 'video' }, 'design'],
      [{ kind: 'post', needsDesign: true }, 'design'],
      [{ kind: 'press_release' }, 'approved'],
    ] as const) {
      expect(transition(makePiece(over), 'approve', ACTORS.approver, {}, policy, 1, 'slack').piece.stage).toBe(to);
    }
  });

  it('self-approval is refused unless allowed; an approver may still reject their own piece', () => {
    const own = makePiece({ authorId: 'UAPP' });
    expect(() => transition(own, 'approve', ACTORS.approver, {}, policy, 1, 'slack')).toThrow(expect.objectContaining({ code: 'approval.self_approval' }));
    expect(transition(own, 'approve', ACTORS.approver, {}, { allowSelfApproval: true }, 1, 'slack').piece.stage).toBe('approved');
    expect(transition(own, 'reject', ACTORS.approver, { reason: 'x' }, policy, 1, 'slack').piece.stage).toBe('changes_requested');
  });

  it('reject needs a reason; design delivery and publishing need an http(s) link', () => {
    expect(() => transition(makePiece(), 'reject', ACTORS.approver, { reason: '  ' }, policy, 1, 'slack')).toThrow(expect.objectContaining({ code: 'approval.reason_required' }));
    const design = makePiece({ stage: 'design' });
    for (const link of [null, 'no es un enlace', 'javascript:alert(1)', 'ftp://x.org/a']) {
      expect(() => transition(design, 'deliver_design', ACTORS.designer, { link }, policy, 1, 'slack')).toThrow(expect.objectContaining({ code: 'approval.invalid_link' }));
    }
    const r = transition(design, 'deliver_design', ACTORS.designer, { link: ' https://drive.example.org/a ' }, policy, 1, 'slack');
    expect(r.piece.designUrl).toBe('https://drive.example.org/a');
    expect(r.record.data).toEqual({ designUrl: 'https://drive.example.org/a' });
  });
});

describe('effects of a decision', () => {
  const run = (piece: Piece, event: PieceEvent, actor: Actor, ctx = { designers: ['UD1', 'UD2'], admins: [] as string[], lastDesigner: null as string | null }) => {
    const r = transition(piece, event, actor, input, policy, 1, 'slack');
    return effectsOf(piece, r.piece, r.record, ctx);
  };

  it('every decision refreshes the card; design approval tells every designer (with the approver\'s comment)', () => {
    const fx = run(makePiece({ kind: 'graphic' }), 'approve', ACTORS.approver);
    expect(fx).toEqual([
      { type: 'refresh', pieceId: 7 },
      { type: 'notify', pieceId: 7, to: { person: 'UD1' }, notice: 'design_task', actorId: 'UAPP', reason: 'Motivo' },
      { type: 'notify', pieceId: 7, to: { person: 'UD2' }, notice: 'design_task', actorId: 'UAPP', reason: 'Motivo' },
    ]);
  });

  it('a design rejection goes to the designer who delivered, with the reason', () => {
    const fx = run(makePiece({ stage: 'design_review' }), 'reject', ACTORS.approver, { designers: ['UD1', 'UD2'], admins: [], lastDesigner: 'UD2' });
    expect(fx[1]).toEqual({ type: 'notify', pieceId: 7, to: { person: 'UD2' }, notice: 'fix_design', actorId: 'UAPP', reason: 'Motivo' });
    expect(fx).toHaveLength(2);
  });

  it('an author cancelling their own piece is not told about it; an admin cancelling is reported to the author', () => {
    expect(run(makePiece(), 'cancel', ACTORS.author)).toEqual([{ type: 'refresh', pieceId: 7 }]);
    expect(run(makePiece(), 'cancel', ACTORS.admin)[1]).toMatchObject({ type: 'notify', to: { person: 'UAUTHOR' }, notice: 'cancelled' });
  });
});

describe('stalls are never silent', () => {
  it('a piece approved into design with no designer tells each admin that nobody can act on it', () => {
    const piece = makePiece({ kind: 'graphic' });
    const r = transition(piece, 'approve', ACTORS.approver, input, policy, 1, 'slack');
    const fx = effectsOf(piece, r.piece, r.record, { designers: [], admins: ['pA', 'pB'], lastDesigner: null });
    expect(fx.filter((e) => e.type === 'unassigned')).toEqual([
      { type: 'unassigned', to: { person: 'pA' }, pieceId: 7, role: 'designer' },
      { type: 'unassigned', to: { person: 'pB' }, pieceId: 7, role: 'designer' },
    ]);
  });
});
