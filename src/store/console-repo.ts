import type { DB } from './db.js';

export type ConsoleMessageKind = 'piece' | 'notice' | 'inquiry' | 'view' | 'chart';

export interface ConsoleMessage {
  id: number;
  conversation: string;
  visibleTo: string | null;
  parentId: number | null;
  kind: ConsoleMessageKind;
  ref: number | null;
  body: unknown;
  createdAt: number;
}

interface Row {
  id: number;
  conversation: string;
  visible_to: string | null;
  parent_id: number | null;
  kind: ConsoleMessageKind;
  ref: number | null;
  body: string;
  created_at: number;
}

const toMessage = (r: Row): ConsoleMessage => ({ id: r.id, conversation: r.conversation, visibleTo: r.visible_to, parentId: r.parent_id, kind: r.kind, ref: r.ref, body: JSON.parse(r.body) as unknown, createdAt: r.created_at });

/** The console's conversations (migrations/0011_console.sql). */
export class SqliteConsoleMessages {
  constructor(private readonly db: DB) {}

  add(m: { conversation: string; visibleTo?: string | null; parentId?: number | null; kind: ConsoleMessageKind; ref?: number | null; body: unknown }, now: number): number {
    const r = this.db
      .prepare('INSERT INTO console_messages (conversation, visible_to, parent_id, kind, ref, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(m.conversation, m.visibleTo ?? null, m.parentId ?? null, m.kind, m.ref ?? null, JSON.stringify(m.body), now);
    return Number(r.lastInsertRowid);
  }

  /** The last `limit` messages of a conversation that `viewer` may see (oldest first), with their thread replies. */
  conversation(conversation: string, viewer: string, limit = 200): ConsoleMessage[] {
    const rows = this.db
      .prepare<[string, string, number], Row>(
        'SELECT * FROM (SELECT * FROM console_messages WHERE conversation = ? AND (visible_to IS NULL OR visible_to = ?) ORDER BY id DESC LIMIT ?) ORDER BY id ASC',
      )
      .all(conversation, viewer, limit);
    return rows.map(toMessage);
  }

  /** The first message of a kind about something in a conversation (a piece's card in «review»). */
  find(conversation: string, kind: ConsoleMessageKind, ref: number): ConsoleMessage | null {
    const r = this.db.prepare<[string, string, number], Row>('SELECT * FROM console_messages WHERE conversation = ? AND kind = ? AND ref = ? AND parent_id IS NULL ORDER BY id LIMIT 1').get(conversation, kind, ref);
    return r ? toMessage(r) : null;
  }

  /** The conversations that show something about a piece or an inquiry (to tell their viewers it changed). */
  conversationsAbout(kinds: ConsoleMessageKind[], ref: number): string[] {
    const marks = kinds.map(() => '?').join(',');
    return this.db
      .prepare<unknown[], { conversation: string }>(`SELECT DISTINCT conversation FROM console_messages WHERE kind IN (${marks}) AND ref = ?`)
      .all(...kinds, ref)
      .map((r) => r.conversation);
  }

  /** The newest message id a viewer may see in each conversation (for unread marks). */
  latest(viewer: string): Map<string, number> {
    const rows = this.db
      .prepare<[string], { conversation: string; id: number }>('SELECT conversation, max(id) AS id FROM console_messages WHERE visible_to IS NULL OR visible_to = ? GROUP BY conversation')
      .all(viewer);
    return new Map(rows.map((r) => [r.conversation, r.id]));
  }

  /**
   * The nightly prune (RETENTION_DAYS): messages delivered as they were and answers only one person
   * saw. Cards of pieces and inquiries are kept — they are drawn from current state, the only copy.
   */
  prune(before: number, limit: number): number {
    return this.db.prepare("DELETE FROM console_messages WHERE id IN (SELECT id FROM console_messages WHERE created_at < ? AND kind IN ('view', 'chart', 'notice') LIMIT ?)").run(before, limit).changes;
  }

  remove(id: number, viewer: string): boolean {
    return this.db.prepare('DELETE FROM console_messages WHERE id = ? AND visible_to = ?').run(id, viewer).changes > 0;
  }

  /** When the next pending job falls due after `now` (the demo clock stops there, so nothing fires late). */
  nextJobAfter(now: number): number | null {
    return this.db.prepare<[number], { t: number | null }>("SELECT min(due_at) AS t FROM jobs WHERE state = 'pending' AND due_at > ?").get(now)?.t ?? null;
  }

  state(key: string): string | null {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM console_state WHERE key = ?').get(key)?.value ?? null;
  }

  setState(key: string, value: string): void {
    this.db.prepare('INSERT INTO console_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
