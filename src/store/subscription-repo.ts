import type { DigestSubscriptions } from '../domain/calendar/ports.js';
import type { DB } from './db.js';

/** People who asked for the daily digest by direct message. */
export class SqliteDigestSubscriptions implements DigestSubscriptions {
  constructor(private readonly db: DB) {}

  subscribe(userId: string, now: number): boolean {
    return this.db.prepare('INSERT INTO digest_subscriptions (user_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(userId, now).changes === 1;
  }

  unsubscribe(userId: string): boolean {
    return this.db.prepare('DELETE FROM digest_subscriptions WHERE user_id = ?').run(userId).changes === 1;
  }

  subscribers(): string[] {
    return this.db.prepare<[], { user_id: string }>('SELECT user_id FROM digest_subscriptions ORDER BY user_id').all().map((r) => r.user_id);
  }
}
