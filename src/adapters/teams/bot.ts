import { randomUUID } from 'node:crypto';
import { TeamsActivityHandler, TeamsInfo, TurnContext, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue } from 'botbuilder';
import type { Core } from '../../core.js';
import type { PersonId } from '../../domain/people/types.js';
import type { SqliteTeamsConversations } from '../../store/teams-repo.js';
import { cardActivity, type TeamsDeliverer } from './deliver.js';
import { withoutOwnRetries } from './connector.js';
import { RecentActivities, type TeamsReplies } from './replies.js';
import { CARD_CONTENT_TYPE, cardOf, formOf, listOf, textOf, type Json, type TeamsRenderContext } from './render/adaptive-card.js';
import { runAction, runCommand, type CommandReply, type CommandDeps } from '../chat/commands.js';
import '../chat/features.js';
import { mayUse, pieceAction } from '../chat/piece-actions.js';
import { overviewCard } from './render/overview.js';

export interface TeamsBotDeps {
  replies: TeamsReplies;
  /** MICROSOFT_APP_TENANT_ID: activities from other tenants are ignored */
  tenantId: string | null;
  core: Core;
  conversations: SqliteTeamsConversations;
  deliverer: TeamsDeliverer;
  ctx: TeamsRenderContext;
  log: Core['log'];
}

/** How long a first-seen person's e-mail is waited for before the turn goes on without it. */
const MEMBER_WAIT_MS = 1500;

const tenantOf = (context: TurnContext): string | null =>
  context.activity.conversation?.tenantId ?? (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? null;

const cardResponse = (card: Json): AdaptiveCardInvokeResponse => ({ statusCode: 200, type: CARD_CONTENT_TYPE, value: card as never });

/**
 * The bot's turn logic: who is writing (a person of ours, by their Azure AD object id), commands typed
 * in a 1:1 chat or after an @mention, and Action.Execute invokes from cards (buttons and forms).
 */
export class VistoBuenoTeamsBot extends TeamsActivityHandler {
  private readonly core: Core;
  private readonly recent = new RecentActivities();
  /** people whose e-mail was asked of Teams in this run (once is enough) */
  private readonly askedEmail = new Set<string>();

  constructor(private readonly d: TeamsBotDeps) {
    super();
    this.core = d.core;
    this.onTurn(async (context, next) => {
      // Another organisation's Teams (the app side-loaded there): nothing is done, nobody is created.
      const tenant = tenantOf(context);
      if (this.d.tenantId && tenant !== this.d.tenantId) {
        this.d.log.info({ tenant, type: context.activity.type }, 'an activity from another tenant was ignored');
        if (context.activity.type === 'invoke') await context.sendActivity({ type: 'invokeResponse', value: { status: 403, body: { statusCode: 403, type: 'application/vnd.microsoft.error', value: { code: 'Forbidden', message: 'tenant' } } } });
        return;
      }
      // Replies to this turn: retried by the outbox's owner (the person), never by the client behind their back.
      withoutOwnRetries(context.turnState.get(context.adapter.ConnectorClientKey));
      await this.identify(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      const a = context.activity;
      const person = this.personOf(context);
      // The same activity again (Teams resends what it thinks went unanswered): done once already.
      if (person && a.conversation?.id && this.recent.first(`${a.conversation.id}|${a.id ?? ''}`, this.core.clock.now())) {
        const mentions = mentionsOf(context);
        await this.learnMentioned(context, mentions);
        const reply = runCommand(this.commandDeps(context), person, commandText(context), mentions);
        // Answered after Teams' request is: the command is done now; the reply goes on its own.
        this.d.replies.send({ serviceUrl: a.serviceUrl, conversationId: a.conversation.id, replyToId: a.id ?? '', activity: cardActivity(this.render(reply)) });
      }
      await next();
    });
  }

  private commandDeps(context: TurnContext | null): CommandDeps {
    const shared = (context?.activity.conversation?.conversationType ?? 'personal') !== 'personal';
    return { core: this.core, surface: 'teams', ctx: this.d.ctx, newFormKey: () => randomUUID(), resolveUser: (id) => this.userFromMention(id), shared };
  }

  private render(reply: CommandReply): Json {
    switch (reply.kind) {
      case 'card':
        return cardOf(reply.view, this.d.ctx, reply.notice ? { notice: reply.notice } : {});
      case 'list':
        return listOf(reply.view, this.d.ctx);
      case 'form':
        return formOf(reply.view, this.d.ctx, reply.errors ?? {});
      case 'text':
        return textOf(reply.lines, this.d.ctx);
      case 'overview':
        return overviewCard(this.d.ctx, this.core.fmt, reply.summaries);
      case 'piece': {
        const piece = this.core.pieces.get(reply.pieceId);
        if (!piece) return textOf([reply.notice ?? this.core.fmt.m.reply.notFound(String(reply.pieceId))], this.d.ctx);
        const may = reply.forPerson ? mayUse(this.commandDeps(null), piece.id, piece.version, reply.forPerson) : undefined;
        return this.d.deliverer.pieceCardJson(piece, { ...(reply.notice ? { notice: reply.notice } : {}), ...(reply.history ? { history: reply.history } : {}), ...(may ? { may } : {}) });
      }
    }
  }

  /** The person behind an activity, from the Azure AD object id Teams sends with every one. */
  private personOf(context: TurnContext): PersonId | null {
    const a = context.activity;
    const aad = a.from?.aadObjectId?.toLowerCase();
    return aad && a.from?.role !== 'bot' ? this.core.people.find('teams', aad) : null;
  }

  /** A mentioned user (29:…) as a person, when Teams has shown them to us before. */
  private userFromMention(userId: string): PersonId | null {
    const aad = this.d.conversations.aadOf(userId);
    return aad ? this.core.people.ensure('teams', aad) : null;
  }

  /**
   * Every activity: the person (created on first sight; their e-mail, asked of Teams once, links
   * them to the same person on Slack), and where to write back later (the conversation reference).
   */
  private async identify(context: TurnContext): Promise<void> {
    const a = context.activity;
    const now = this.core.clock.now();
    const aad = a.from?.aadObjectId?.toLowerCase();
    let personId: PersonId | null = null;
    if (aad && a.from?.role !== 'bot') {
      personId = this.core.people.find('teams', aad);
      // First sight — or someone named in a setting by their Teams id whose e-mail the bot does not
      // know yet (the same human may be named by e-mail in another setting): their e-mail, asked once.
      const needsEmail = !personId || (!this.core.people.get(personId)?.email && !this.askedEmail.has(aad));
      if (needsEmail) {
        this.askedEmail.add(aad);
        const email = await this.emailOf(context, a.from.id);
        const conflicts = this.core.people.conflicts.length;
        personId = this.core.people.ensure('teams', aad, { name: a.from.name ?? null, email: email && /@/.test(email) ? email : null });
        if (this.core.people.conflicts.length > conflicts) this.d.log.warn({ people: this.core.people.conflicts.slice(conflicts) }, 'one e-mail, two people who both acted already (before either gave the e-mail): they stay two');
      } else if (a.from.name) this.core.people.ensure('teams', aad, { name: a.from.name });
      // Used Teams: a message, or a click — not the refreshes Teams asks for by itself when a card is
      // on screen (someone who only looks keeps their direct messages where they were).
      const automatic = a.type === 'invoke' && (a.value as { trigger?: string } | undefined)?.trigger === 'automatic';
      if (a.type === 'message' || (a.type === 'invoke' && !automatic)) this.core.people.seen('teams', aad, now);
      const tenantId = a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? null;
      this.d.conversations.rememberUser({ aadObjectId: aad, userId: a.from.id, tenantId, serviceUrl: a.serviceUrl ?? null }, now);
    }
    if (a.conversation?.id) {
      const type = a.conversation.conversationType;
      const kind = type === 'channel' || type === 'groupChat' ? type : 'personal';
      // A channel message's conversation id names its thread (…;messageid=…): the channel is what is kept.
      const conversationId = kind === 'channel' ? a.conversation.id.split(';')[0]! : a.conversation.id;
      const reference = TurnContext.getConversationReference(a);
      this.d.conversations.remember({ conversationId, kind, personId: kind === 'personal' ? personId : null, reference: { ...reference, conversation: { ...reference.conversation, id: conversationId } } }, now);
    }
  }

  /** A member's e-mail, asked of Teams (at most 1.5 s: a slow Teams never holds a click); null when unknown. */
  private async emailOf(context: TurnContext, userId: string): Promise<string | null> {
    try {
      const member = await Promise.race([TeamsInfo.getMember(context, userId), new Promise<null>((r) => setTimeout(() => r(null), MEMBER_WAIT_MS).unref())]);
      // A guest's UPN (…#EXT#@…) is another organisation's address: never a link to one of ours.
      const upn = member?.userPrincipalName && !member.userPrincipalName.includes('#EXT#') ? member.userPrincipalName : null;
      const email = member?.email ?? upn ?? null;
      return email && /@/.test(email) ? email : null;
    } catch (e) {
      this.d.log.info({ err: e }, 'Teams did not give the member (their e-mail links them to Slack when it does)');
      return null;
    }
  }

  /**
   * People @mentioned in a command whom the bot has not met (a new hire given a role): Teams knows who
   * they are — their Azure AD id, name and e-mail — so the command can name them.
   */
  private async learnMentioned(context: TurnContext, mentions: { id: string }[]): Promise<void> {
    for (const m of mentions) {
      if (this.d.conversations.aadOf(m.id)) continue;
      try {
        const member = await Promise.race([TeamsInfo.getMember(context, m.id), new Promise<null>((r) => setTimeout(() => r(null), MEMBER_WAIT_MS).unref())]);
        const aad = member?.aadObjectId?.toLowerCase();
        if (!member || !aad) continue;
        const upn = member.userPrincipalName && !member.userPrincipalName.includes('#EXT#') ? member.userPrincipalName : null;
        const email = member.email ?? upn ?? null;
        this.core.people.ensure('teams', aad, { name: member.name ?? null, email: email && /@/.test(email) ? email : null });
        this.d.conversations.rememberUser({ aadObjectId: aad, userId: m.id, tenantId: tenantOf(context), serviceUrl: context.activity.serviceUrl ?? null }, this.core.clock.now());
      } catch (e) {
        this.d.log.info({ err: e, userId: m.id }, 'Teams did not say who was mentioned');
      }
    }
  }

  /** Buttons and forms of cards (Universal Actions). Answered at once with the card to show the person. */
  protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const person = this.personOf(context);
    const verb = value.action?.verb ?? '';
    const data = (value.action?.data ?? {}) as Record<string, unknown>;
    if (!person) return cardResponse(textOf([[this.core.fmt.m.reply.internal]], this.d.ctx));
    try {
      return cardResponse(this.act(context, person, verb, data));
    } catch (e) {
      this.d.log.error({ err: e, verb }, 'a Teams card action failed');
      return cardResponse(textOf([[this.core.fmt.m.reply.internal]], this.d.ctx));
    }
  }

  /** A piece's buttons and forms, then every other feature's (src/adapters/chat/): the card to show. */
  private act(context: TurnContext, person: PersonId, verb: string, data: Record<string, unknown>): Json {
    const deps = this.commandDeps(context);
    const reply = pieceAction(deps, person, verb, data) ?? runAction(deps, person, verb, data);
    if (!reply) {
      const p = Number(data.piece);
      return textOf([this.core.fmt.m.outdated.button(Number.isSafeInteger(p) && p > 0 ? p : null)], this.d.ctx);
    }
    this.core.kickOutbox();
    return this.render(reply);
  }
}

/** The text of a message without the bot's @mention (other mentions stay, as <at>…</at>). */
export function commandText(context: TurnContext): string {
  const a = context.activity;
  const stripped = (a.recipient ? TurnContext.removeMentionText(a, a.recipient.id) : a.text) ?? a.text ?? '';
  return stripped.replace(/&nbsp;/g, ' ').trim();
}

/** The people @mentioned in a message (not the bot): their display text and Teams user id. */
export function mentionsOf(context: TurnContext): { text: string; id: string }[] {
  const a = context.activity;
  return (a.entities ?? [])
    .filter((e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id !== a.recipient?.id)
    .map((e) => ({ text: String((e as { text?: string }).text ?? ''), id: String((e as { mentioned?: { id?: string } }).mentioned?.id ?? '') }))
    .filter((m) => m.id);
}
