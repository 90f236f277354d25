import type { RoleRepository } from '../domain/approvals/ports.js';
import type { Role } from '../domain/shared/roles.js';
import { inTransaction, type DB } from './db.js';

export class SqliteRoleRepository implements RoleRepository {
  constructor(private readonly db: DB) {}

  transaction<T>(fn: () => T): T {
    return inTransaction(this.db, fn);
  }

  grants(): { userId: string; role: Role; grantedBy: string; grantedAt: number }[] {
    return this.db
      .prepare<[], { user_id: string; role: Role; granted_by: string; granted_at: number }>(
        'SELECT user_id, role, granted_by, granted_at FROM role_grants ORDER BY user_id, role',
      )
      .all()
      .map((r) => ({ userId: r.user_id, role: r.role, grantedBy: r.granted_by, grantedAt: r.granted_at }));
  }

  grant(userId: string, role: Role, actorId: string, now: number): boolean {
    const changed = this.db
      .prepare('INSERT INTO role_grants (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(userId, role, actorId, now).changes;
    if (changed) this.audit(userId, role, 'grant', actorId, now);
    return changed === 1;
  }

  revoke(userId: string, role: Role, actorId: string, now: number): boolean {
    const changed = this.db.prepare('DELETE FROM role_grants WHERE user_id = ? AND role = ?').run(userId, role).changes;
    if (changed) this.audit(userId, role, 'revoke', actorId, now);
    return changed === 1;
  }

  events(): { userId: string; role: Role; action: 'grant' | 'revoke'; actorId: string; at: number }[] {
    return this.db
      .prepare<[], { user_id: string; role: Role; action: 'grant' | 'revoke'; actor_id: string; at: number }>(
        'SELECT user_id, role, action, actor_id, at FROM role_events ORDER BY id',
      )
      .all()
      .map((r) => ({ userId: r.user_id, role: r.role, action: r.action, actorId: r.actor_id, at: r.at }));
  }

  private audit(userId: string, role: Role, action: 'grant' | 'revoke', actorId: string, at: number): void {
    this.db
      .prepare('INSERT INTO role_events (user_id, role, action, actor_id, at) VALUES (?, ?, ?, ?, ?)')
      .run(userId, role, action, actorId, at);
  }
}
