import type { PieceRepository } from '../domain/approvals/ports.js';
import type { Network, Piece, PieceEvent, PieceEventRecord, PieceKind, Stage } from '../domain/approvals/types.js';
import { inTransaction, type DB } from './db.js';

interface PieceRow {
  id: number;
  title: string;
  body: string;
  kind: string;
  networks: string;
  planned_at: number | null;
  planned_has_time: number;
  materials_url: string | null;
  needs_design: number;
  design_url: string | null;
  published_url: string | null;
  stage: string;
  version: number;
  author_id: string;
  platform: string;
  created_at: number;
  updated_at: number;
}

interface EventRow {
  id: number;
  piece_id: number;
  version_from: number;
  event: string;
  from_stage: string | null;
  to_stage: string;
  actor_id: string;
  reason: string | null;
  data: string | null;
  platform: string;
  at: number;
}

const toPiece = (r: PieceRow): Piece => ({
  id: r.id,
  title: r.title,
  body: r.body,
  kind: r.kind as PieceKind,
  networks: JSON.parse(r.networks) as Network[],
  plannedAt: r.planned_at,
  plannedHasTime: r.planned_has_time === 1,
  materialsUrl: r.materials_url,
  needsDesign: r.needs_design === 1,
  designUrl: r.design_url,
  publishedUrl: r.published_url,
  stage: r.stage as Stage,
  version: r.version,
  authorId: r.author_id,
  platform: r.platform,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toEvent = (r: EventRow): PieceEventRecord => ({
  id: r.id,
  pieceId: r.piece_id,
  versionFrom: r.version_from,
  event: r.event as PieceEvent,
  fromStage: r.from_stage as Stage | null,
  toStage: r.to_stage as Stage,
  actorId: r.actor_id,
  reason: r.reason,
  data: r.data ? (JSON.parse(r.data) as Record<string, string>) : {},
  platform: r.platform,
  at: r.at,
});

export class SqlitePieceRepository implements PieceRepository {
  private readonly q;

  constructor(private readonly db: DB) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO pieces (title, body, kind, networks, planned_at, planned_has_time, materials_url, needs_design,
           stage, version, author_id, platform, origin_key, created_at, updated_at)
         VALUES (@title, @body, @kind, @networks, @plannedAt, @plannedHasTime, @materialsUrl, @needsDesign,
           @stage, 1, @authorId, @platform, @originKey, @now, @now)
         ON CONFLICT (origin_key) DO NOTHING`,
      ),
      byOrigin: db.prepare<[string], PieceRow>('SELECT * FROM pieces WHERE origin_key = ?'),
      get: db.prepare<[number], PieceRow>('SELECT * FROM pieces WHERE id = ?'),
      update: db.prepare(
        `UPDATE pieces SET title = @title, body = @body, stage = @stage, version = @version, design_url = @designUrl,
           published_url = @publishedUrl, updated_at = @updatedAt
         WHERE id = @id AND version = @expectedVersion`,
      ),
      appendEvent: db.prepare(
        `INSERT INTO piece_events (piece_id, version_from, event, from_stage, to_stage, actor_id, reason, data, platform, at)
         VALUES (@pieceId, @versionFrom, @event, @fromStage, @toStage, @actorId, @reason, @data, @platform, @at)`,
      ),
      events: db.prepare<[number], EventRow>('SELECT * FROM piece_events WHERE piece_id = ? ORDER BY id'),
      eventAt: db.prepare<[number, number], EventRow>('SELECT * FROM piece_events WHERE piece_id = ? AND version_from = ?'),
      lastActor: db.prepare<[number, string], { actor_id: string }>(
        'SELECT actor_id FROM piece_events WHERE piece_id = ? AND event = ? ORDER BY id DESC LIMIT 1',
      ),
      byAuthor: db.prepare<[string, number], PieceRow>(
        'SELECT * FROM pieces WHERE author_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?',
      ),
    };
  }

  transaction<T>(fn: () => T): T {
    return inTransaction(this.db, fn);
  }

  insert(p: Parameters<PieceRepository['insert']>[0], now: number): { piece: Piece; created: boolean } {
    const info = this.q.insert.run({
      ...p,
      networks: JSON.stringify(p.networks),
      plannedHasTime: p.plannedHasTime ? 1 : 0,
      needsDesign: p.needsDesign ? 1 : 0,
      now,
    });
    if (info.changes === 1) return { piece: this.get(Number(info.lastInsertRowid))!, created: true };
    const existing = this.q.byOrigin.get(p.originKey ?? '');
    if (!existing) throw new Error('piece insert ignored without an origin key conflict');
    return { piece: toPiece(existing), created: false };
  }

  get(id: number): Piece | null {
    const r = this.q.get.get(id);
    return r ? toPiece(r) : null;
  }

  updateIfVersion(next: Piece, expectedVersion: number): boolean {
    return this.q.update.run({ ...next, expectedVersion }).changes === 1;
  }

  appendEvent(rec: Omit<PieceEventRecord, 'id'>): void {
    this.q.appendEvent.run({ ...rec, data: Object.keys(rec.data).length ? JSON.stringify(rec.data) : null });
  }

  events(pieceId: number): PieceEventRecord[] {
    return this.q.events.all(pieceId).map(toEvent);
  }

  eventAtVersion(pieceId: number, versionFrom: number): PieceEventRecord | null {
    const r = this.q.eventAt.get(pieceId, versionFrom);
    return r ? toEvent(r) : null;
  }

  lastActor(pieceId: number, event: PieceEvent): string | null {
    return this.q.lastActor.get(pieceId, event)?.actor_id ?? null;
  }

  byAuthor(authorId: string, limit: number): Piece[] {
    return this.q.byAuthor.all(authorId, limit).map(toPiece);
  }

  plannedBetween(from: number, to: number): Piece[] {
    return this.db
      .prepare<[number, number], PieceRow>(`SELECT * FROM pieces WHERE planned_at >= ? AND planned_at < ? AND stage != 'cancelled' ORDER BY planned_at, id`)
      .all(from, to)
      .map(toPiece);
  }

  publishedBetween(from: number, to: number): Piece[] {
    return this.db
      .prepare<[number, number], PieceRow>(
        `SELECT p.* FROM piece_events e JOIN pieces p ON p.id = e.piece_id
          WHERE e.event = 'publish' AND e.at >= ? AND e.at < ? AND p.stage = 'published' ORDER BY e.at, p.id`,
      )
      .all(from, to)
      .map(toPiece);
  }

  /** Oldest first: what has waited longest comes first. */
  inStages(stages: readonly Stage[], limit: number, filter: { authorId?: string; notAuthorId?: string } = {}): { pieces: Piece[]; total: number } {
    if (stages.length === 0) return { pieces: [], total: 0 };
    // Only placeholders are built here; every value is bound.
    const where = [`stage IN (${stages.map(() => '?').join(',')})`];
    const args: unknown[] = [...stages];
    if (filter.authorId !== undefined) {
      where.push('author_id = ?');
      args.push(filter.authorId);
    }
    if (filter.notAuthorId !== undefined) {
      where.push('author_id != ?');
      args.push(filter.notAuthorId);
    }
    const cond = where.join(' AND ');
    const rows = this.db.prepare<unknown[], PieceRow>(`SELECT * FROM pieces WHERE ${cond} ORDER BY updated_at, id LIMIT ?`).all(...args, limit);
    const { n } = this.db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM pieces WHERE ${cond}`).get(...args)!;
    return { pieces: rows.map(toPiece), total: n };
  }
}
