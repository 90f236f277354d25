/** `kpi_editor`: records campaign figures («métricas»). */
export const ROLES = ['approver', 'designer', 'admin', 'kpi_editor'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  userId: string;
  roles: ReadonlySet<Role>;
}

export const hasRole = (actor: Actor, role: Role): boolean => actor.roles.has(role);
