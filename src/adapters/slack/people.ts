import type { PeoplePort, PersonId } from '../../domain/people/types.js';

const SLACK_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * The Slack edge of «people, not platform ids»: a Slack user id becomes our person when a request
 * comes in, and a person becomes a Slack user id (or a name) when something goes out.
 */
export class SlackPeople {
  constructor(
    private readonly people: PeoplePort,
    /** names of the processes that act in the bot's name (the CSV import), from the catalog */
    private readonly actors: Record<string, string> = {},
  ) {}

  /** The person behind a Slack user (created on first sight; the Slack name is kept for display). */
  person(slackUserId: string, name?: string | null): PersonId {
    // The handle a request carries («ana.perez») is only a name for someone the bot knows no name
    // for: the real name Slack gave on first sight (users.info) is what Teams cards and the feed show.
    const known = this.people.find('slack', slackUserId);
    const id = known && this.people.get(known)?.name ? known : this.people.ensure('slack', slackUserId, { name: name ?? null });
    this.people.seen('slack', slackUserId, Date.now());
    return id;
  }

  /** A user picker's or a mention's Slack id as a person; null when it is not a user id. */
  personOrNull(slackUserId: string | null | undefined): PersonId | null {
    // Named by someone else (a picker, a mention): not a sign that they use Slack now.
    return slackUserId && SLACK_ID.test(slackUserId) ? this.people.ensure('slack', slackUserId) : null;
  }

  slackId(personId: PersonId): string | null {
    return this.people.identity(personId, 'slack');
  }

  /** How a person is named where no Slack mention is possible (someone only on Teams). */
  name(personId: PersonId): string {
    const p = this.people.get(personId);
    return this.actors[personId] ?? p?.name ?? p?.email ?? personId;
  }
}

let current: SlackPeople | null = null;

/**
 * Renderers turn `{ user: personId }` into a Slack mention through the Slack surface's people.
 * Hazard: one Slack surface per process (the composition root starts one).
 */
export function useSlackPeople(p: SlackPeople | null): void {
  current = p;
}

/** `<@U123>` for a person with a Slack identity; their name otherwise. */
export function mentionFor(personOrSlackId: string): { slackId: string } | { name: string } {
  if (SLACK_ID.test(personOrSlackId)) return { slackId: personOrSlackId };
  const slackId = current?.slackId(personOrSlackId);
  return slackId ? { slackId } : { name: current?.name(personOrSlackId) ?? personOrSlackId };
}

/** A person id as the Slack user id a user picker needs (null when they have none). */
export function slackUserOf(personId: string): string | null {
  if (SLACK_ID.test(personId)) return personId;
  return current?.slackId(personId) ?? null;
}
