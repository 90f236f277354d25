import type { App, RespondFn } from '@slack/bolt';
import { isDomainError } from '../../../domain/shared/errors.js';
import { ROLES, type Role } from '../../../domain/shared/roles.js';
import { catalogs } from '../../../i18n/index.js';
import { domainErrorText } from '../../../views/errors.js';
import { failureLine } from '../../../views/delivery-views.js';
import type { ListView, Rich } from '../../../views/model.js';
import { newPieceForm } from '../../../views/piece-forms.js';
import { historyList, myPiecesList, pendingList, pieceCard } from '../../../views/piece-views.js';
import { cardBlocks, listBlocks, type Block } from '../render/block-kit.js';
import { answer, openModal } from '../reply.js';
import { escapeMrkdwn, richToMrkdwn } from '../render/mrkdwn.js';
import type { SlackDeps } from '../deps.js';

/** Role words people type, in either language («aprobador», «diseño», «admin»…). */
const ROLE_WORDS: Record<string, Role> = Object.assign({}, catalogs.en.roleWord, catalogs.es.roleWord);
for (const r of ROLES) ROLE_WORDS[r] = r;

/** A user as Slack escapes it in a command (<@U123|name>), or a bare id. */
const parseUser = (s: string | undefined): string | null => {
  const m = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(s ?? '') ?? /^([UW][A-Z0-9]{2,})$/.exec(s ?? '');
  return m ? m[1]! : null;
};

/** `/pieza` and its subcommands. Acks at once; every answer is ephemeral. */
export function registerPieceCommand(app: App, d: SlackDeps): void {
  const m = d.fmt.m;
  const say = (respond: RespondFn, text: string, blocks?: Block[]) => answer(respond, d.log, text, { blocks });
  const sayRich = (respond: RespondFn, rich: Rich) => say(respond, richToMrkdwn(rich));
  const list = (respond: RespondFn, view: ListView) => say(respond, escapeMrkdwn(view.title), listBlocks(view));
  const help = () => m.reply.help.map(richToMrkdwn).join('\n');

  app.command('/pieza', async ({ ack, command, respond, client }) => {
    await ack();
    // A command posted without a text field (an old client, a hand-made request) is an empty command.
    const text = (command.text ?? '').trim();
    const words = text.split(/\s+/).filter(Boolean);
    const sub = (words[0] ?? '').toLowerCase();
    const user = d.people.person(command.user_id, command.user_name);
    try {
      if (sub === '') {
        return await openModal(client, d.log, respond, command.trigger_id, newPieceForm(d.fmt, JSON.stringify({ c: command.channel_id })), m.reply.openFailed);
      }
      if (sub === 'lista' || sub === 'list') return await list(respond, myPiecesList(d.fmt, d.approvals.mine(user)));
      if (sub === 'pendientes' || sub === 'pendiente' || sub === 'pending') return await list(respond, pendingList(d.fmt, d.approvals.pendingFor(user)));
      const id = /^#?(\d+)$/.exec(sub)?.[1];
      if (id) {
        // Digits beyond any id we hand out are answered with the digits typed, never «1e+23».
        if (!Number.isSafeInteger(Number(id))) return await sayRich(respond, m.reply.notFound(id));
        const { piece, events } = d.approvals.history(Number(id));
        const card = pieceCard(d.fmt, piece, events.at(-1) ?? null);
        return await say(respond, escapeMrkdwn(card.fallback), [...cardBlocks(card), ...listBlocks(historyList(d.fmt, piece, events))].slice(0, 50));
      }
      if (sub === 'cancelar' || sub === 'cancel') {
        const typed = /^#?(\d+)$/.exec(words[1] ?? '')?.[1];
        if (!typed) return await sayRich(respond, m.reply.missingNumber(`pieza ${sub} 12`));
        const pid = Number(typed);
        if (!Number.isSafeInteger(pid)) return await sayRich(respond, m.reply.notFound(typed));
        const piece = d.approvals.get(pid);
        const { piece: next } = d.approvals.decide({ pieceId: pid, version: piece.version, event: 'cancel', userId: user, platform: 'slack' });
        d.kickOutbox();
        return await say(respond, escapeMrkdwn(m.reply.decided(next.id, m.stageNow[next.stage])));
      }
      if (sub === 'roles') return await roles(words.slice(1), user, respond);
      if (sub === 'fallos' || sub === 'failures') return await failures(user, respond);
      if (sub === 'ayuda' || sub === 'help') return await say(respond, help());
      return await say(respond, `${escapeMrkdwn(m.reply.unknown(text))}\n${help()}`);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      await sayRich(respond, domainErrorText(d.fmt, e));
    }
  });

  async function roles(args: string[], actorId: string, respond: RespondFn): Promise<void> {
    const action = (args[0] ?? '').toLowerCase();
    if (action === '') {
      const items: Rich[] = d.roles.list().map((r) => [{ user: r.userId }, ` · ${m.role[r.role]}${r.source === 'env' ? ` ${m.reply.rolesFromEnv}` : ''}`]);
      return list(respond, { title: m.reply.rolesTitle, sections: items.length ? [{ items }] : [], empty: m.reply.rolesUsage });
    }
    const target = d.people.personOrNull(parseUser(args[1]));
    const role = ROLE_WORDS[(args[2] ?? '').toLowerCase()];
    if (!['dar', 'grant', 'quitar', 'revoke'].includes(action) || !target || !role) return sayRich(respond, m.reply.rolesUsage);
    const who = richToMrkdwn([{ user: target }]);
    if (action === 'dar' || action === 'grant') {
      const changed = d.roles.grant(actorId, target, role);
      return say(respond, (changed ? m.reply.roleGranted : m.reply.roleAlready)(who, m.role[role]));
    }
    const changed = d.roles.revoke(actorId, target, role);
    return say(respond, (changed ? m.reply.roleRevoked : m.reply.roleNotHeld)(who, m.role[role]));
  }

  async function failures(actorId: string, respond: RespondFn): Promise<void> {
    if (!d.roles.rolesOf(actorId).has('admin')) return say(respond, m.error.not_admin_failures);
    const items: Rich[] = d.outbox.failures(30).map((f) => failureLine(d.fmt, f, d.titles));
    return list(respond, { title: m.reply.failuresTitle, sections: items.length ? [{ items }] : [], empty: m.reply.failuresEmpty });
  }
}
