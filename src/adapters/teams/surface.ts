import type { IncomingMessage, ServerResponse } from 'node:http';
import { ActivityTypes, CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication, TeamsActivityHandler, TurnContext, type Activity } from 'botbuilder';
import { readJsonBody, sendJson } from '../../api/http.js';
import type { TeamsConfig } from '../../config-teams.js';
import type { Core } from '../../core.js';
import type { Mount } from '../../http/server.js';
import { SqliteTeamsConversations } from '../../store/teams-repo.js';
import type { ListView } from '../../views/model.js';
import { listOf, type TeamsRenderContext } from './render/adaptive-card.js';

/** Where the Bot Framework posts activities (the messaging endpoint registered in Azure). */
export const TEAMS_PATH = '/api/messages';

export interface TeamsSurface {
  mount: Mount;
  adapter: CloudAdapter;
}

/**
 * Microsoft Teams on the project's HTTP server: botbuilder's CloudAdapter at /api/messages. With an
 * app id, botbuilder validates each request's token (never turned off); without one (TEAMS=on) it
 * authenticates nothing, and the bot listens on 127.0.0.1 only. Every botbuilder import stays in
 * src/adapters/teams/.
 */
export function createTeamsSurface(core: Core, cfg: TeamsConfig): TeamsSurface {
  const log = core.log.child({ component: 'teams' });
  // An empty app id is botbuilder's own «authentication disabled» (TEAMS=on, local testing only).
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: cfg.authenticated ? (cfg.appId ?? '') : '',
      MicrosoftAppPassword: cfg.authenticated ? (cfg.appPassword ?? '') : '',
      MicrosoftAppType: cfg.authenticated ? cfg.appType : 'MultiTenant',
      MicrosoftAppTenantId: cfg.authenticated ? (cfg.tenantId ?? '') : '',
    }),
  );
  adapter.onTurnError = async (context, error) => {
    log.error({ err: error, activityType: context.activity.type }, 'teams turn failed');
    if (context.activity.type === ActivityTypes.Message) await context.sendActivity(core.fmt.m.reply.internal).catch(() => undefined);
  };
  const bot = new VistoBuenoTeamsBot(core, new SqliteTeamsConversations(core.db));

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'POST' });
      const body = await readJsonBody(req);
      if (!body.ok) return sendJson(res, body.status, { error: body.reason });
      const activity = body.value as Partial<Activity> | null;
      // botbuilder throws (outside its own try) on an activity without a type: answer 400, never crash.
      if (!activity || typeof activity !== 'object' || Array.isArray(activity) || typeof activity.type !== 'string' || !activity.type) {
        return sendJson(res, 400, { error: 'invalid_activity' });
      }
      await adapter.process({ body: activity as Record<string, unknown>, headers: req.headers as Record<string, string | string[] | undefined>, method: req.method }, nodeResponse(res), (ctx) => bot.run(ctx));
    })().catch((e: unknown) => {
      log.error({ err: e }, 'teams request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal' });
      else res.end();
    });
  };
  return { mount: { prefix: TEAMS_PATH, listener }, adapter };
}

/** botbuilder's Response over Node's ServerResponse. */
function nodeResponse(res: ServerResponse) {
  return {
    socket: res.socket,
    status(code: number) {
      res.statusCode = code;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
    },
    send(body?: unknown) {
      if (body === undefined || body === null) return;
      if (typeof body === 'string' || Buffer.isBuffer(body)) res.write(body);
      else {
        if (!res.getHeader('content-type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.write(JSON.stringify(body));
      }
    },
    end() {
      res.end();
    },
  };
}

/** The bot's turn logic: commands typed in a 1:1 chat or after an @mention in a channel. */
class VistoBuenoTeamsBot extends TeamsActivityHandler {
  constructor(
    private readonly core: Core,
    conversations: SqliteTeamsConversations,
  ) {
    super();
    // Every activity: who it is (a person of ours, by their Azure AD object id) and where to write
    // back later (the conversation reference: a 1:1 chat, a channel, a group chat).
    this.onTurn(async (context, next) => {
      const a = context.activity;
      const external = a.from?.aadObjectId ?? a.from?.id;
      const personId = external && a.from?.role !== 'bot' ? this.core.people.ensure('teams', external, { name: a.from?.name ?? null }) : null;
      if (a.conversation?.id) {
        const type = a.conversation.conversationType;
        const kind = type === 'channel' || type === 'groupChat' ? type : 'personal';
        conversations.remember({ conversationId: a.conversation.id, kind, personId: kind === 'personal' ? personId : null, reference: TurnContext.getConversationReference(a) }, this.core.clock.now());
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      const text = commandText(context);
      const [word] = text.split(/\s+/);
      // Only the help is in Teams so far; every other command says so (issue 9 brings the rest).
      const view = helpView(this.core, (word ?? '').toLowerCase());
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(listOf(view, renderContext(this.core)))] });
      await next();
    });
  }
}

/** The text without the bot's @mention, trimmed. */
function commandText(context: TurnContext): string {
  const stripped = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
  return stripped.replace(/<at>[^<]*<\/at>/g, '').trim();
}

export const renderContext = (core: Core): TeamsRenderContext => ({ nameOf: (id) => core.people.label(id) });

function helpView(core: Core, word: string): ListView {
  const m = core.fmt.m;
  const t = m.teams;
  return {
    title: t.helpTitle,
    note: word && word !== 'ayuda' && word !== 'help' ? t.notYet(word) : t.helpNote,
    sections: [
      { heading: t.pieces, items: m.reply.help },
      { heading: m.inq.helpTitle, items: m.inq.help() },
      { heading: m.inq.oncallHelpTitle, items: m.inq.oncallHelp() },
    ],
    empty: '',
  };
}
