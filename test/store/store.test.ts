import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../../src/store/db.js';
import { DatabaseTooNewError, loadMigrations, migrate } from '../../src/store/migrate.js';
import { SqliteOutbox } from '../../src/store/outbox-repo.js';
import { SqlitePieceRepository } from '../../src/store/piece-repo.js';

const newPiece = {
  title: 'T',
  body: 'B',
  kind: 'post' as const,
  networks: ['x' as const],
  plannedAt: 1,
  plannedHasTime: false,
  materialsUrl: null,
  needsDesign: false,
  authorId: 'UA',
  platform: 'slack',
  stage: 'content_review' as const,
};

let db: DB;
let pieces: SqlitePieceRepository;
beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db);
  pieces = new SqlitePieceRepository(db);
});

describe('migrations', () => {
  it('apply once, record the version, and are idempotent', () => {
    const latest = loadMigrations().at(-1)!.version;
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(migrate(db)).toEqual({ from: latest, to: latest });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('the database file runs in WAL mode', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vb-')), 'x.db');
    const fileDb = openDatabase(file);
    expect(fileDb.pragma('journal_mode', { simple: true })).toBe('wal');
    fileDb.close();
  });

  it('refuse a database newer than the code, and say so without touching it', () => {
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(DatabaseTooNewError);
    expect(() => migrate(db)).toThrow(/versión 999.*actualice el código/);
    expect(db.pragma('user_version', { simple: true })).toBe(999);
  });

  it('a failing migration rolls back whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vb-mig-'));
    writeFileSync(join(dir, '0001_ok.sql'), 'CREATE TABLE a (x INTEGER) STRICT;');
    writeFileSync(join(dir, '0002_bad.sql'), 'CREATE TABLE b (x INTEGER) STRICT; INSERT INTO nope VALUES (1);');
    const fresh = openDatabase(':memory:');
    expect(() => migrate(fresh, loadMigrations(dir))).toThrow();
    expect(fresh.pragma('user_version', { simple: true })).toBe(1);
    expect(fresh.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
  });
});

describe('piece repository', () => {
  it('a write guarded by version succeeds once', () => {
    const { piece } = pieces.insert({ ...newPiece, originKey: null }, 10);
    const next = { ...piece, stage: 'approved' as const, version: 2, updatedAt: 11 };
    expect(pieces.updateIfVersion(next, 1)).toBe(true);
    expect(pieces.updateIfVersion({ ...next, version: 3 }, 1)).toBe(false);
    expect(pieces.get(piece.id)).toMatchObject({ stage: 'approved', version: 2 });
  });

  it('the same origin key returns the existing piece instead of a second one', () => {
    const a = pieces.insert({ ...newPiece, originKey: 'slack:view:V1' }, 10);
    const b = pieces.insert({ ...newPiece, title: 'otro', originKey: 'slack:view:V1' }, 11);
    expect(a.created).toBe(true);
    expect(b).toEqual({ piece: a.piece, created: false });
  });

  it('one decision per version, even if two writers got past the version check', () => {
    const { piece } = pieces.insert({ ...newPiece, originKey: null }, 10);
    const rec = { pieceId: piece.id, versionFrom: 1, event: 'approve' as const, fromStage: 'content_review' as const, toStage: 'approved' as const, actorId: 'U1', reason: null, data: {}, platform: 'slack', at: 1 };
    pieces.appendEvent(rec);
    expect(() => pieces.appendEvent({ ...rec, actorId: 'U2' })).toThrow(/UNIQUE/);
    expect(pieces.eventAtVersion(piece.id, 1)?.actorId).toBe('U1');
  });
});

describe('outbox', () => {
  it('a row being sent by a bot that died is due again when its lease runs out, not before', () => {
    const outbox = new SqliteOutbox(db);
    const { piece } = pieces.insert({ ...newPiece, originKey: null }, 10);
    outbox.enqueue({ type: 'refresh', pieceId: piece.id }, 100);
    const [claimed] = outbox.claimDue(100, 10, 1000);
    expect(claimed).toMatchObject({ attempts: 1 });
    expect(outbox.claimDue(500, 10, 1000)).toEqual([]);
    const [again] = outbox.claimDue(1100, 10, 1000);
    expect(again).toMatchObject({ id: claimed!.id, attempts: 2 });
    outbox.markSent(again!.id, 1200);
    expect(outbox.claimDue(5000, 10, 1000)).toEqual([]);
    // /healthz counts open rows only: the sent one is not counted.
    expect(outbox.counts()).toEqual({});
  });
});
