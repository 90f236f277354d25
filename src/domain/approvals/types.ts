export const PIECE_KINDS = ['post', 'press_release', 'graphic', 'video', 'web_article'] as const;
export type PieceKind = (typeof PIECE_KINDS)[number];

export const NETWORKS = ['x', 'facebook', 'instagram', 'youtube', 'tiktok', 'website', 'press'] as const;
export type Network = (typeof NETWORKS)[number];

export const STAGES = [
  'draft',
  'content_review',
  'changes_requested',
  'design',
  'design_review',
  'approved',
  'published',
  'cancelled',
] as const;
export type Stage = (typeof STAGES)[number];

export const EVENTS = ['submit', 'approve', 'reject', 'deliver_design', 'resubmit', 'publish', 'cancel'] as const;
export type PieceEvent = (typeof EVENTS)[number];

/** Kinds that always go through design after the content is approved. */
export const KINDS_NEEDING_DESIGN: ReadonlySet<PieceKind> = new Set(['graphic', 'video']);

export interface Piece {
  id: number;
  title: string;
  body: string;
  kind: PieceKind;
  networks: Network[];
  plannedAt: number | null;
  plannedHasTime: boolean;
  materialsUrl: string | null;
  needsDesign: boolean;
  designUrl: string | null;
  publishedUrl: string | null;
  stage: Stage;
  version: number;
  authorId: string;
  platform: string;
  createdAt: number;
  updatedAt: number;
}

/** One row of the audit trail. */
export interface PieceEventRecord {
  id: number;
  pieceId: number;
  versionFrom: number;
  event: PieceEvent;
  fromStage: Stage | null;
  toStage: Stage;
  actorId: string;
  reason: string | null;
  data: Record<string, string>;
  platform: string;
  at: number;
}

/** Stages in which a piece is still on its way to approval: not ready to publish, not withdrawn. */
export const AWAITING_APPROVAL: readonly Stage[] = ['draft', 'content_review', 'changes_requested', 'design', 'design_review'];
export const isAwaitingApproval = (stage: Stage): boolean => AWAITING_APPROVAL.includes(stage);
