import type { OnCallRepository, StoredOverride, StoredRotation } from '../domain/oncall/ports.js';
import { inTransaction, type DB } from './db.js';

interface RotationRow {
  id: number;
  people: string;
  anchor: string;
  source: string;
  set_by: string;
  set_at: number;
}
interface OverrideRow {
  id: number;
  person_id: string;
  from_date: string;
  to_date: string;
  created_by: string;
  created_at: number;
  cancelled_at: number | null;
}
const toOverride = (r: OverrideRow): StoredOverride => ({ id: r.id, personId: r.person_id, from: r.from_date, to: r.to_date, createdBy: r.created_by, createdAt: r.created_at });

/** The rotation (every list it had; the newest is in force) and the overrides. */
export class SqliteOnCallRepository implements OnCallRepository {
  private readonly q;

  constructor(private readonly db: DB) {
    this.q = {
      rotation: db.prepare<[], RotationRow>('SELECT * FROM oncall_rotations ORDER BY id DESC LIMIT 1'),
      setRotation: db.prepare('INSERT INTO oncall_rotations (people, anchor, source, set_by, set_at) VALUES (?, ?, ?, ?, ?) RETURNING id'),
      overrides: db.prepare<[string], OverrideRow>('SELECT * FROM oncall_overrides WHERE cancelled_at IS NULL AND to_date >= ? ORDER BY id'),
      addOverride: db.prepare('INSERT INTO oncall_overrides (person_id, from_date, to_date, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id'),
      getOverride: db.prepare<[number], OverrideRow>('SELECT * FROM oncall_overrides WHERE id = ?'),
      cancelOverride: db.prepare('UPDATE oncall_overrides SET cancelled_by = ?, cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL'),
      version: db.prepare<[], { r: number | null; o: number | null; c: number }>(
        `SELECT (SELECT max(id) FROM oncall_rotations) AS r, (SELECT max(id) FROM oncall_overrides) AS o,
                (SELECT count(*) FROM oncall_overrides WHERE cancelled_at IS NOT NULL) AS c`,
      ),
    };
  }

  transaction<T>(fn: () => T): T {
    return inTransaction(this.db, fn);
  }

  rotation(): StoredRotation | null {
    const r = this.q.rotation.get();
    return r ? { id: r.id, people: JSON.parse(r.people) as string[], anchor: r.anchor, source: r.source as 'env' | 'chat', setBy: r.set_by, setAt: r.set_at } : null;
  }

  setRotation(r: Omit<StoredRotation, 'id'>): StoredRotation {
    const { id } = this.q.setRotation.get(JSON.stringify(r.people), r.anchor, r.source, r.setBy, r.setAt) as { id: number };
    return { id, ...r };
  }

  overrides(since: string): StoredOverride[] {
    return this.q.overrides.all(since).map(toOverride);
  }

  addOverride(o: Omit<StoredOverride, 'id'>): StoredOverride {
    const { id } = this.q.addOverride.get(o.personId, o.from, o.to, o.createdBy, o.createdAt) as { id: number };
    return { id, ...o };
  }

  getOverride(id: number): (StoredOverride & { cancelledAt: number | null }) | null {
    const r = this.q.getOverride.get(id);
    return r ? { ...toOverride(r), cancelledAt: r.cancelled_at } : null;
  }

  cancelOverride(id: number, by: string, at: number): boolean {
    return this.q.cancelOverride.run(by, at, id).changes === 1;
  }

  version(): string {
    const v = this.q.version.get()!;
    return `r${v.r ?? 0}o${v.o ?? 0}c${v.c}`;
  }
}
