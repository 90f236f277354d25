import { randomUUID } from 'node:crypto';
import { CardFactory, TeamsActivityHandler, TeamsInfo, TurnContext, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue } from 'botbuilder';
import type { Core } from '../../core.js';
import { isHttpUrl } from '../../domain/approvals/transitions.js';
import type { Network, PieceEvent } from '../../domain/approvals/types.js';
import { checkBodyForNetworks, checkTitle, validateNewPiece } from '../../domain/approvals/validate.js';
import { isDomainError } from '../../domain/shared/errors.js';
import type { PersonId } from '../../domain/people/types.js';
import type { SqliteTeamsConversations } from '../../store/teams-repo.js';
import { domainErrorText } from '../../views/errors.js';
import { ACTION, FIELD, FORM } from '../../views/ids.js';
import type { FormView, Rich } from '../../views/model.js';
import { designForm, fieldErrorText, fixForm, newPieceForm, publishForm, rawPieceInput, rejectForm } from '../../views/piece-forms.js';
import { historyList, pieceCard } from '../../views/piece-views.js';
import { REFRESH_VERB, cardActivity, type TeamsDeliverer } from './deliver.js';
import { withoutOwnRetries } from './connector.js';
import { RecentActivities, type TeamsReplies } from './replies.js';
import { CARD_CONTENT_TYPE, cardOf, formOf, listOf, textOf, type Json, type TeamsRenderContext } from './render/adaptive-card.js';
import './features.js';
import { readForm, refilled } from './forms.js';
import { runAction, runCommand, type CommandReply, type TeamsCommandDeps } from './commands.js';

const str = (v: string | string[] | null | undefined): string => (typeof v === 'string' ? v : '');

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

/** The second step of Cancelar: the person confirmed on the card. */
const CANCEL_CONFIRMED = 'piece.cancel_confirmed';

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

  private commandDeps(context: TurnContext): TeamsCommandDeps {
    const shared = (context.activity.conversation?.conversationType ?? 'personal') !== 'personal';
    return { core: this.core, ctx: this.d.ctx, newFormKey: () => randomUUID(), resolveUser: (id) => this.userFromMention(id), shared };
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
      case 'json':
        return reply.card;
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
      return cardResponse(await this.act(context, person, verb, data));
    } catch (e) {
      this.d.log.error({ err: e, verb }, 'a Teams card action failed');
      return cardResponse(textOf([[this.core.fmt.m.reply.internal]], this.d.ctx));
    }
  }

  private pieceRef(data: Record<string, unknown>): { p: number; v: number } | null {
    const p = Number(data.piece);
    const v = Number(data.version);
    return Number.isSafeInteger(p) && p > 0 && Number.isSafeInteger(v) && v > 0 ? { p, v } : null;
  }

  /** The piece's card as it is now, with a line on top for this person (why their click did nothing). */
  private currentCard(pieceId: number, notice?: Rich, person?: PersonId): Json {
    const piece = this.core.pieces.get(pieceId);
    if (!piece) return textOf([notice ?? this.core.fmt.m.reply.notFound(String(pieceId))], this.d.ctx);
    return this.d.deliverer.pieceCardJson(piece, { ...(notice ? { notice } : {}), ...(person ? { may: this.mayUse(piece.id, piece.version, person) } : {}) });
  }

  /** Which of a piece's buttons a person may use now (the card Teams shows them on refresh). */
  private mayUse(pieceId: number, version: number, person: PersonId): (actionId: string) => boolean {
    const events: Record<string, PieceEvent> = { [ACTION.approve]: 'approve', [ACTION.reject]: 'reject', [ACTION.cancel]: 'cancel', [ACTION.publish]: 'publish', [ACTION.deliverDesign]: 'deliver_design', [ACTION.fix]: 'resubmit' };
    return (actionId) => {
      const event = events[actionId];
      if (!event) return true; // Historial, for everyone
      try {
        this.core.approvals.check({ pieceId, version, event, userId: person });
        return true;
      } catch (e) {
        if (isDomainError(e)) return false;
        throw e;
      }
    };
  }

  private async act(context: TurnContext, person: PersonId, verb: string, data: Record<string, unknown>): Promise<Json> {
    const { core } = this;
    const f = core.fmt;
    const piece = this.pieceRef(data);
    const decisionForms: Record<string, { event: PieceEvent; form: (p: Parameters<typeof rejectForm>[1]) => FormView }> = {
      [ACTION.reject]: { event: 'reject', form: (p) => rejectForm(f, p) },
      [ACTION.publish]: { event: 'publish', form: (p) => publishForm(f, p) },
      [ACTION.deliverDesign]: { event: 'deliver_design', form: (p) => designForm(f, p) },
      [ACTION.fix]: { event: 'resubmit', form: (p) => fixForm(f, p) },
    };
    const pieceId = piece?.p ?? Number(data.piece);
    try {
      if (verb === REFRESH_VERB) return this.currentCard(pieceId, undefined, person);
      if (verb === ACTION.cancel) {
        // As on Slack, a cancellation is confirmed first (Adaptive Cards have no confirm dialog: the
        // card asks, for this person only).
        if (!piece) return this.outdated(data);
        const p = core.approvals.check({ pieceId: piece.p, version: piece.v, event: 'cancel', userId: person });
        const last = core.pieces.events(p.id).at(-1) ?? null;
        const cancel = pieceCard(f, p, last).actions.find((x) => x.id === ACTION.cancel);
        if (!cancel?.confirm) return this.currentCard(p.id);
        const ask = cancel.confirm;
        const ref = JSON.stringify({ p: p.id, v: p.version });
        return cardOf(
          { header: ask.title, fields: [], body: [ask.text], context: [], fallback: ask.title, actions: [{ id: CANCEL_CONFIRMED, label: ask.yes, value: ref, style: 'danger' }, { id: REFRESH_VERB, label: ask.no, value: ref }] },
          this.d.ctx,
        );
      }
      if (verb === ACTION.approve || verb === CANCEL_CONFIRMED) {
        if (!piece) return this.outdated(data);
        core.approvals.decide({ pieceId: piece.p, version: piece.v, event: verb === ACTION.approve ? 'approve' : 'cancel', userId: person, platform: 'teams' });
        core.kickOutbox();
        return this.currentCard(piece.p);
      }
      if (verb in decisionForms) {
        if (!piece) return this.outdated(data);
        const { event, form } = decisionForms[verb]!;
        const p = core.approvals.check({ pieceId: piece.p, version: piece.v, event, userId: person });
        return formOf(form(p), this.d.ctx);
      }
      if (verb === ACTION.history) {
        const id = Number(data.value ?? data.piece);
        const { piece: p, events } = core.approvals.history(id);
        // Shown to the person who clicked only (the invoke's answer replaces the card for them; the
        // next refresh brings the plain card back) — never posted to the channel.
        return this.d.deliverer.pieceCardJson(p, { history: historyList(f, p, events) });
      }
      if (verb === FORM.newPiece) return this.submitPiece(person, data);
      const decision = this.decisionForm(verb);
      if (decision) return this.submitDecision(person, verb, decision, data);
      const other = await this.otherAction(context, person, verb, data);
      if (other) return other;
      return this.outdated(data);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      const text = domainErrorText(f, e);
      return Number.isSafeInteger(pieceId) && pieceId > 0 && core.pieces.get(pieceId) ? this.currentCard(pieceId, text) : textOf([text], this.d.ctx);
    }
  }

  /** Inquiry, calendar and on-call buttons and forms (registered by each feature); null when the verb is none of theirs. */
  protected async otherAction(_context: TurnContext, person: PersonId, verb: string, data: Record<string, unknown>): Promise<Json | null> {
    const reply = runAction(this.commandDeps(_context), person, verb, data);
    if (reply) this.core.kickOutbox();
    return reply ? this.render(reply) : null;
  }

  private outdated(data: Record<string, unknown>): Json {
    const p = Number(data.piece);
    return textOf([this.core.fmt.m.outdated.button(Number.isSafeInteger(p) && p > 0 ? p : null)], this.d.ctx);
  }

  private decisionForm(verb: string): { event: PieceEvent; form: (p: Parameters<typeof rejectForm>[1]) => FormView } | null {
    const f = this.core.fmt;
    const forms: Record<string, { event: PieceEvent; form: (p: Parameters<typeof rejectForm>[1]) => FormView }> = {
      [FORM.reject]: { event: 'reject', form: (p) => rejectForm(f, p) },
      [FORM.publish]: { event: 'publish', form: (p) => publishForm(f, p) },
      [FORM.deliverDesign]: { event: 'deliver_design', form: (p) => designForm(f, p) },
      [FORM.fix]: { event: 'resubmit', form: (p) => fixForm(f, p) },
    };
    return forms[verb] ?? null;
  }

  private metaOf(data: Record<string, unknown>): Record<string, unknown> {
    try {
      const m = JSON.parse(typeof data.meta === 'string' ? data.meta : '{}') as unknown;
      return m && typeof m === 'object' && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  /** A decision form (reject, design, publish, fix): errors on the form, else the decision and the piece's card. */
  private submitDecision(person: PersonId, verb: string, decision: { event: PieceEvent; form: (p: Parameters<typeof rejectForm>[1]) => FormView }, data: Record<string, unknown>): Json {
    const { core } = this;
    const f = core.fmt;
    const meta = this.metaOf(data);
    const ref = this.pieceRef({ piece: meta.p, version: meta.v });
    if (!ref) return this.outdated({});
    const piece = core.approvals.get(ref.p);
    const view = decision.form({ ...piece, version: ref.v });
    const v = readForm(view, data);
    const errors: Record<string, string> = {};
    let input: { reason?: string; link?: string; title?: string; body?: string } = {};
    if (verb === FORM.reject) {
      const reason = str(v[FIELD.reason]).trim();
      if (reason) input = { reason };
      else errors[FIELD.reason] = f.m.error.reason_required;
    } else if (verb === FORM.deliverDesign || verb === FORM.publish) {
      const url = str(v[FIELD.link]).trim();
      if (isHttpUrl(url)) input = { link: url };
      else errors[FIELD.link] = f.m.error.invalid_link;
    } else {
      const title = str(v[FIELD.title]).trim();
      const body = str(v[FIELD.body]).trim();
      const te = checkTitle(title);
      if (te) errors[FIELD.title] = fieldErrorText(f, te);
      const be = body ? checkBodyForNetworks(body, piece.networks as Network[]) : ({ code: 'required' } as const);
      if (be) errors[FIELD.body] = fieldErrorText(f, be);
      input = { title, body };
    }
    if (Object.keys(errors).length) return formOf(refilled(view, v), this.d.ctx, errors);
    core.approvals.decide({ pieceId: ref.p, version: ref.v, event: decision.event, userId: person, platform: 'teams', input });
    core.kickOutbox();
    return this.currentCard(ref.p);
  }

  /** The new-piece form: errors on the form (nothing stored), else the piece, once per form. */
  private submitPiece(person: PersonId, data: Record<string, unknown>): Json {
    const { core } = this;
    const f = core.fmt;
    const meta = this.metaOf(data);
    const view = newPieceForm(f, typeof data.meta === 'string' ? data.meta : '');
    const v = readForm(view, data);
    const result = validateNewPiece(
      rawPieceInput(v),
      f.now(),
      f.tz,
    );
    if (!result.ok) {
      const errors = Object.fromEntries(Object.entries(result.errors).map(([k, e]) => [k, fieldErrorText(f, e!)]));
      return formOf(refilled(view, v), this.d.ctx, errors);
    }
    // The form's own key makes a second click on «Enviar» the same piece, never a second one.
    const key = typeof meta.k === 'string' && meta.k ? `teams:form:${meta.k}` : `teams:form:${randomUUID()}`;
    const { piece } = core.approvals.submit(result.value, person, 'teams', key);
    core.kickOutbox();
    return textOf([[f.m.reply.submitted(piece.id)]], this.d.ctx);
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
