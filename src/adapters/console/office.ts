/**
 * The demo office of the console: a small press office whose people and roles are settings like any
 * office's (roles given by e-mail, as ADMIN_IDS=… would), so the console shows the product as it is.
 * Each person has a console login; the e-mail links the login to the roles.
 */
export interface DemoPerson {
  login: string;
  name: string;
  email: string;
}

export const DEMO_PEOPLE = {
  author: { login: 'ana', name: 'Ana Torres', email: 'ana.torres@oficina.example' },
  approver1: { login: 'rosa', name: 'Rosa Méndez', email: 'rosa.mendez@oficina.example' },
  approver2: { login: 'jorge', name: 'Jorge Ruiz', email: 'jorge.ruiz@oficina.example' },
  designer: { login: 'luis', name: 'Luis Campos', email: 'luis.campos@oficina.example' },
  admin: { login: 'carmen', name: 'Carmen Vidal', email: 'carmen.vidal@oficina.example' },
  oncall1: { login: 'sofia', name: 'Sofía Lara', email: 'sofia.lara@oficina.example' },
  oncall2: { login: 'diego', name: 'Diego Paz', email: 'diego.paz@oficina.example' },
} as const satisfies Record<string, DemoPerson>;

const P = DEMO_PEOPLE;

/** The demo office's settings: who approves, designs, administers, records figures, and the on-call rotation. */
export const DEMO_ROLES = {
  approverIds: [P.approver1.email, P.approver2.email],
  designerIds: [P.designer.email],
  adminIds: [P.admin.email],
  kpiEditorIds: [P.admin.email, P.approver1.email],
  oncallIds: [P.oncall1.email, P.oncall2.email, P.author.email],
};

/** Everyone in the demo office, in the order the «who you are» selector lists them. */
export const DEMO_ORDER: DemoPerson[] = [P.author, P.approver1, P.approver2, P.designer, P.admin, P.oncall1, P.oncall2];
