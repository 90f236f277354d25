import type { DB } from './db.js';

export interface PostedMessage {
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
        `INSERT INTO piece_messages (channel, ts, piece_id, kind, params, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel, ts) DO NOTHING`,
      )
      .run(m.channel, m.ts, m.pieceId, m.kind, JSON.stringify(m.params), now);
  }

  forPiece(pieceId: number): PostedMessage[] {
    return this.db
      .prepare<[number], { channel: string; ts: string; piece_id: number; kind: string; params: string }>(
        'SELECT channel, ts, piece_id, kind, params FROM piece_messages WHERE piece_id = ? ORDER BY created_at, ts',
      )
      .all(pieceId)
      .map((r) => ({ channel: r.channel, ts: r.ts, pieceId: r.piece_id, kind: r.kind, params: JSON.parse(r.params) }));
  }

  card(pieceId: number): PostedMessage | null {
    return this.forPiece(pieceId).find((m) => m.kind === 'card') ?? null;
  }
}
