import type { Clock } from './clock.js';
import { DomainError } from './errors.js';
import { ROLES, type Role } from './roles.js';
import type { RoleDirectory, RoleRepository } from '../approvals/ports.js';

export interface EnvRoles {
  approverIds: readonly string[];
  designerIds: readonly string[];
  adminIds: readonly string[];
  kpiEditorIds?: readonly string[];
}

/**
 * Roles come from the environment (fixed at start) plus grants stored from chat. An admin may
 * grant and remove stored roles; roles from the environment are changed in the environment.
 */
export class RoleService implements RoleDirectory {
  private cache: { from: EnvRoles; map: Map<Role, Set<string>> } | null = null;

  constructor(
    /** fixed lists, or a function that resolves the settings again when people are linked */
    private readonly envRoles: EnvRoles | (() => EnvRoles),
    private readonly repo: RoleRepository,
    private readonly clock: Clock,
  ) {}

  private get env(): Map<Role, Set<string>> {
    const e = typeof this.envRoles === 'function' ? this.envRoles() : this.envRoles;
    if (this.cache?.from !== e) {
      this.cache = {
        from: e,
        map: new Map([
          ['approver', new Set(e.approverIds)],
          ['designer', new Set(e.designerIds)],
          ['admin', new Set(e.adminIds)],
          ['kpi_editor', new Set(e.kpiEditorIds ?? [])],
        ]),
      };
    }
    return this.cache.map;
  }

  rolesOf(userId: string): Set<Role> {
    const out = new Set<Role>();
    for (const role of ROLES) if (this.env.get(role)?.has(userId)) out.add(role);
    for (const g of this.repo.grants()) if (g.userId === userId) out.add(g.role);
    return out;
  }

  usersWith(role: Role): string[] {
    const out = new Set(this.env.get(role));
    for (const g of this.repo.grants()) if (g.role === role) out.add(g.userId);
    return [...out].sort();
  }

  isFromEnv(userId: string, role: Role): boolean {
    return this.env.get(role)?.has(userId) ?? false;
  }

  /** Everyone with a role, and where each role comes from. */
  list(): { userId: string; role: Role; source: 'env' | 'chat' }[] {
    const out: { userId: string; role: Role; source: 'env' | 'chat' }[] = [];
    for (const role of ROLES) for (const userId of this.env.get(role) ?? []) out.push({ userId, role, source: 'env' });
    for (const g of this.repo.grants()) if (!this.isFromEnv(g.userId, g.role)) out.push({ userId: g.userId, role: g.role, source: 'chat' });
    return out;
  }

  private requireAdmin(actorId: string): void {
    if (!this.rolesOf(actorId).has('admin')) throw new DomainError('roles.not_admin');
  }

  /** Returns false when the person already had the role (nothing written). */
  grant(actorId: string, userId: string, role: string): boolean {
    this.requireAdmin(actorId);
    const r = parseRole(role);
    if (this.isFromEnv(userId, r)) return false;
    return this.repo.transaction(() => this.repo.grant(userId, r, actorId, this.clock.now()));
  }

  revoke(actorId: string, userId: string, role: string): boolean {
    this.requireAdmin(actorId);
    const r = parseRole(role);
    if (this.isFromEnv(userId, r)) throw new DomainError('roles.env_role', { userId, role: r });
    return this.repo.transaction(() => this.repo.revoke(userId, r, actorId, this.clock.now()));
  }
}

function parseRole(role: string): Role {
  if ((ROLES as readonly string[]).includes(role)) return role as Role;
  throw new DomainError('roles.unknown_role', { role });
}
