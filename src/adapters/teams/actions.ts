import type { PersonId } from '../../domain/people/types.js';
import type { TeamsCommandDeps } from './commands.js';
import type { Json } from './render/adaptive-card.js';

/** Buttons of inquiry, calendar and on-call cards; null when the verb is none of theirs. */
export function cardAction(_d: TeamsCommandDeps, _person: PersonId, _verb: string, _data: Record<string, unknown>): Json | null {
  return null;
}
