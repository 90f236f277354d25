import type { Role } from '../shared/roles.js';
import type { Effect } from './effects.js';
import type { NewPiece } from './validate.js';
import type { Piece, PieceEvent, PieceEventRecord, Stage } from './types.js';

/** Storage the approval use-cases need. Every method is synchronous inside `transaction`. */
export interface PieceRepository {
  transaction<T>(fn: () => T): T;
  /** Inserts, or returns the piece already created with the same origin key (a replayed submission). */
  insert(p: NewPiece & { authorId: string; platform: string; stage: Stage; originKey: string | null }, now: number): {
    piece: Piece;
    created: boolean;
  };
  get(id: number): Piece | null;
  /** Writes `next` only if the stored version is still `expectedVersion`; false when someone was first. */
  updateIfVersion(next: Piece, expectedVersion: number): boolean;
  appendEvent(rec: Omit<PieceEventRecord, 'id'>): void;
  events(pieceId: number): PieceEventRecord[];
  eventAtVersion(pieceId: number, versionFrom: number): PieceEventRecord | null;
  lastActor(pieceId: number, event: PieceEvent): string | null;
  byAuthor(authorId: string, limit: number): Piece[];
  /** Oldest first; `total` counts all that match, not just the ones returned. */
  inStages(stages: readonly Stage[], limit: number, filter?: { authorId?: string; notAuthorId?: string }): { pieces: Piece[]; total: number };
  /** Pieces (not cancelled) planned in [from, to), by planned time. */
  plannedBetween(from: number, to: number): Piece[];
  /** Pieces marked published in [from, to). */
  publishedBetween(from: number, to: number): Piece[];
}

export interface OutboxPort {
  enqueue(effect: Effect, now: number): void;
}

export interface RoleDirectory {
  rolesOf(userId: string): Set<Role>;
  usersWith(role: Role): string[];
}

export interface RoleRepository {
  transaction<T>(fn: () => T): T;
  grants(): { userId: string; role: Role; grantedBy: string; grantedAt: number }[];
  grant(userId: string, role: Role, actorId: string, now: number): boolean;
  revoke(userId: string, role: Role, actorId: string, now: number): boolean;
}
