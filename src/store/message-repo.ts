import { inTransaction, type DB } from './db.js';

export interface PostedMessage {
  /** the surface that holds it (slack, teams, console) */
  surface: string;
  channel: string;
  ts: string;
  pieceId: number;
  kind: string;
  params: Record<string, unknown>;
}

/** Messages the bot posted about a piece, so that they can be updated in place. */
export class SqliteMessageRepository {
  constructor(private readonly db: DB) {}

  record(m: PostedMessage, now: number): void {
    this.db
      .prepare(
        `INSERT INTO piece_messages (surface, channel, ts, piece_id, kind, params, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (surface, channel, ts) DO NOTHING`,
      )
      .run(m.surface, m.channel, m.ts, m.pieceId, m.kind, JSON.stringify(m.params), now);
  }

  /** A message that is gone (deleted in the chat) and the one posted in its place. */
  replace(gone: { surface: string; channel: string; ts: string }, by: PostedMessage, now: number): void {
    inTransaction(this.db, () => {
      this.db.prepare('DELETE FROM piece_messages WHERE surface = ? AND channel = ? AND ts = ?').run(gone.surface, gone.channel, gone.ts);
      this.record(by, now);
    });
  }

  /** The messages of a piece on one surface, oldest first. */
  forPiece(pieceId: number, surface: string): PostedMessage[] {
    return this.db
      .prepare<[number, string], { surface: string; channel: string; ts: string; piece_id: number; kind: string; params: string }>(
        'SELECT surface, channel, ts, piece_id, kind, params FROM piece_messages WHERE piece_id = ? AND surface = ? ORDER BY created_at, ts',
      )
      .all(pieceId, surface)
      .map((r) => ({ surface: r.surface, channel: r.channel, ts: r.ts, pieceId: r.piece_id, kind: r.kind, params: JSON.parse(r.params) }));
  }

  card(pieceId: number, surface: string): PostedMessage | null {
    return this.forPiece(pieceId, surface).find((m) => m.kind === 'card') ?? null;
  }
}
