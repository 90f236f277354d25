import type { PersonId } from '../people/types.js';
import type { LocalDate } from '../shared/time.js';

export interface StoredRotation {
  id: number;
  people: PersonId[];
  anchor: LocalDate;
  source: 'env' | 'chat';
  setBy: string;
  setAt: number;
}

export interface StoredOverride {
  id: number;
  personId: PersonId;
  from: LocalDate;
  to: LocalDate;
  createdBy: string;
  createdAt: number;
}

export interface OnCallRepository {
  transaction<T>(fn: () => T): T;
  rotation(): StoredRotation | null;
  setRotation(r: Omit<StoredRotation, 'id'>): StoredRotation;
  /** overrides not cancelled that end on or after `since` */
  overrides(since: LocalDate): StoredOverride[];
  addOverride(o: Omit<StoredOverride, 'id'>): StoredOverride;
  getOverride(id: number): (StoredOverride & { cancelledAt: number | null }) | null;
  cancelOverride(id: number, by: string, at: number): boolean;
  /** changes whenever the rotation or an override changes: hand-off rows are planned under it */
  version(): string;
}
