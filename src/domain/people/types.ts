/**
 * People, not platform ids. A person has an id of ours (`p12`) and one identity per surface
 * (a Slack user id, a Teams user, the console's login). Roles, authorship and every decision in
 * the audit trail name the person; each surface translates at its edge.
 */
export type PersonId = string;

export const SURFACES = ['slack', 'teams', 'console'] as const;
export type Surface = (typeof SURFACES)[number];

/** Named destinations each surface maps to one of its channels. */
export const PLACES = ['review', 'calendar', 'digest', 'kpi', 'inquiries'] as const;
export type Place = (typeof PLACES)[number];

/** Whom a message goes to: a person (by direct message) or a named place. */
export type Address = { person: PersonId } | { place: Place };

/** Work done by a process rather than a person (the CSV import): recorded as such, never messaged. */
export const SYSTEM = { csvImport: 'sys:csv-import', kpiApi: 'sys:kpi-api', inquiryApi: 'sys:inquiry-api', escalation: 'sys:escalation' } as const;
export const isPerson = (id: string): boolean => /^p\d+$/.test(id);

export interface Person {
  id: PersonId;
  name: string | null;
  email: string | null;
}

/** Storage of people and their identities. */
export interface PeoplePort {
  /** The person behind a surface's id, created on first sight (name and e-mail kept when given). */
  ensure(surface: Surface, externalId: string, hint?: { name?: string | null; email?: string | null }): PersonId;
  find(surface: Surface, externalId: string): PersonId | null;
  /** The person acted from this surface now: their direct messages follow them there. */
  seen(surface: Surface, externalId: string, now: number): void;
  identity(personId: PersonId, surface: Surface): string | null;
  get(personId: PersonId): Person | null;
}
