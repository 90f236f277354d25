import type { Core } from '../../core.js';
import type { PersonId } from '../../domain/people/types.js';
import { isDomainError } from '../../domain/shared/errors.js';
import { ROLES, type Role } from '../../domain/shared/roles.js';
import { EMAIL } from '../../config.js';
import { catalogs } from '../../i18n/index.js';
import { failureLine } from '../../views/delivery-views.js';
import { domainErrorText } from '../../views/errors.js';
import type { CardView, FormView, ListView, Rich } from '../../views/model.js';
import { newPieceForm } from '../../views/piece-forms.js';
import { historyList, myPiecesList, pendingList, pieceCard } from '../../views/piece-views.js';
import type { CampaignSummary } from '../../domain/kpis/types.js';

/** What a command answers: neutral views, rendered by each surface (Adaptive Cards in Teams, HTML in the console). */
export type CommandReply =
  | { kind: 'card'; view: CardView; notice?: Rich }
  | { kind: 'list'; view: ListView }
  /** a form; with `errors` (input id → message) it is shown again with them under their inputs */
  | { kind: 'form'; view: FormView; errors?: Record<string, string> }
  | { kind: 'text'; lines: Rich[] }
  /** every running campaign: each surface fits as many as its limits allow */
  | { kind: 'overview'; summaries: CampaignSummary[] }
  /**
   * A piece's card as it is now, for the person who acted: a line on top for them (why their click
   * did nothing), its history under it, or only the buttons they may use (`forPerson`).
   */
  | { kind: 'piece'; pieceId: number; notice?: Rich; history?: ListView; forPerson?: PersonId };

/** The surfaces that take typed commands (Slack has its own slash-command listeners). */
export type CommandSurface = 'teams' | 'console';

export interface CommandDeps {
  core: Core;
  /** where the command was typed: its name goes in the audit trail and in form keys */
  surface: CommandSurface;
  ctx: { nameOf(personId: PersonId): string };
  /** a fresh key for a form, so a second click on its submit button is the same submission */
  newFormKey: () => string;
  /** a mentioned user (a Teams 29:… id) as a person, when the bot has seen them */
  resolveUser: (userId: string) => PersonId | null;
  /**
   * Where the answer is shown: a 1:1 chat (only the person), or a channel or group chat, where
   * everyone reads it — Teams has no private answers there, so nothing personal goes in it.
   */
  shared: boolean;
}

export interface Mention {
  text: string;
  id: string;
}

/** Role words people type, in either language («aprobador», «diseño», «admin»…). */
const ROLE_WORDS: Record<string, Role> = Object.assign({}, catalogs.en.roleWord, catalogs.es.roleWord);
for (const r of ROLES) ROLE_WORDS[r] = r;

const text = (...lines: Rich[]): CommandReply => ({ kind: 'text', lines });
const list = (view: ListView): CommandReply => ({ kind: 'list', view });

/**
 * Commands as people type them to the bot in Teams (a 1:1 chat, or after an @mention in a channel) or
 * in the console's composer: the same words and subcommands as Slack's slash commands (a slash is allowed).
 */
export function runCommand(d: CommandDeps, person: PersonId, typed: string, mentions: Mention[]): CommandReply {
  // Mentions of people become tokens the parsers can read («@0»), whatever their display names hold.
  let clean = typed;
  mentions.forEach((m, i) => {
    clean = clean.split(m.text).join(` @${i} `);
  });
  clean = clean.replace(/^\/+/, '').trim();
  const words = clean.split(/\s+/).filter(Boolean);
  const command = (words[0] ?? '').toLowerCase();
  const rest = words.slice(1);
  const who = (w: string | undefined): PersonId | null => {
    if (!w) return null;
    const token = /^@(\d+)$/.exec(w);
    if (token) {
      const m = mentions[Number(token[1])];
      return m ? d.resolveUser(m.id) : null;
    }
    if (!EMAIL.test(w)) return null;
    // Someone not met yet is made from their e-mail only for an admin (who may give them a role or a
    // shift); for anyone else a typo must not leave a person behind.
    return d.core.people.byEmail(w) ?? (d.core.roles.rolesOf(person).has('admin') ? d.core.people.ensureByEmail(w) : null);
  };
  /** A word as the person wrote it: a mention token back to the name Teams showed («@Ana Pérez»). */
  const shown = (w: string): string => {
    const token = /^@(\d+)$/.exec(w);
    const m = token ? mentions[Number(token[1])] : undefined;
    return m ? `@${m.text.replace(/<\/?at>/g, '').trim()}` : w;
  };
  try {
    switch (command) {
      case 'pieza':
      case 'piece':
        return piece(d, person, rest, who);
      case '':
      case 'ayuda':
      case 'help':
      case 'hola':
      case 'hi':
        return list(helpView(d.core, null, d.surface));
      default: {
        const other = otherCommand(d, person, command, rest, who, shown);
        return other ?? list(helpView(d.core, clean, d.surface));
      }
    }
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return text(domainErrorText(d.core.fmt, e));
  }
}

/** A command's handler: the words after the command, and how to read a person from one of them. */
export type CommandHandler = (d: CommandDeps, person: PersonId, rest: string[], who: (w: string | undefined) => PersonId | null, shown: (w: string) => string) => CommandReply;

/**
 * A card action's handler (a button, or a form's submit: its inputs merged into `data`): the card to
 * show the person who clicked, or null when the verb is not its own.
 */
export type ActionHandler = (d: CommandDeps, person: PersonId, verb: string, data: Record<string, unknown>) => CommandReply | null;

const commands = new Map<string, CommandHandler>();
const actions: ActionHandler[] = [];

/** Each feature registers its command words (both languages) and its card actions. */
export function registerCommand(words: string[], handler: CommandHandler): void {
  for (const w of words) commands.set(w, handler);
}
export function registerAction(handler: ActionHandler): void {
  actions.push(handler);
}
const otherCommand = (d: CommandDeps, person: PersonId, command: string, rest: string[], who: (w: string | undefined) => PersonId | null, shown: (w: string) => string): CommandReply | null =>
  commands.get(command)?.(d, person, rest, who, shown) ?? null;

/** A card action of a registered feature; null when none knows the verb. */
export function runAction(d: CommandDeps, person: PersonId, verb: string, data: Record<string, unknown>): CommandReply | null {
  for (const a of actions) {
    try {
      const r = a(d, person, verb, data);
      if (r) return r;
    } catch (e) {
      if (!isDomainError(e)) throw e;
      return text(domainErrorText(d.core.fmt, e));
    }
  }
  return null;
}

function piece(d: CommandDeps, user: PersonId, words: string[], who: (w: string | undefined) => PersonId | null): CommandReply {
  const { core } = d;
  const f = core.fmt;
  const m = f.m;
  const sub = (words[0] ?? '').toLowerCase();
  if (sub === '' || sub === 'nueva' || sub === 'new') return { kind: 'form', view: newPieceForm(f, JSON.stringify({ k: d.newFormKey() })) };
  if (sub === 'lista' || sub === 'list') return list(myPiecesList(f, core.approvals.mine(user)));
  if (sub === 'pendientes' || sub === 'pendiente' || sub === 'pending') return list(pendingList(f, core.approvals.pendingFor(user)));
  const id = /^#?(\d+)$/.exec(sub)?.[1];
  if (id) {
    if (!Number.isSafeInteger(Number(id))) return text(m.reply.notFound(id));
    const { piece: p, events } = core.approvals.history(Number(id));
    const hist = historyList(f, p, events);
    // The card with its buttons, and its history under it.
    return { kind: 'card', view: { ...pieceCard(f, p, events.at(-1) ?? null), context: [...pieceCard(f, p, events.at(-1) ?? null).context, [hist.title], ...hist.sections.flatMap((s) => s.items)] } };
  }
  if (sub === 'cancelar' || sub === 'cancel') {
    const typed = /^#?(\d+)$/.exec(words[1] ?? '')?.[1];
    if (!typed) return text(m.reply.missingNumber(`pieza ${sub} 12`));
    const pid = Number(typed);
    if (!Number.isSafeInteger(pid)) return text(m.reply.notFound(typed));
    const p = core.approvals.get(pid);
    const { piece: next } = core.approvals.decide({ pieceId: pid, version: p.version, event: 'cancel', userId: user, platform: d.surface });
    core.kickOutbox();
    return text([m.reply.decided(next.id, m.stageNow[next.stage])]);
  }
  if (sub === 'roles') {
    const action = (words[1] ?? '').toLowerCase();
    if (action === '') {
      const items: Rich[] = core.roles.list().map((r) => [{ user: r.userId }, ` · ${m.role[r.role]}${r.source === 'env' ? ` ${m.reply.rolesFromEnv}` : ''}`]);
      return list({ title: m.reply.rolesTitle, sections: items.length ? [{ items }] : [], empty: m.reply.rolesUsage });
    }
    const target = who(words[2]);
    const role = ROLE_WORDS[(words[3] ?? '').toLowerCase()];
    if (!['dar', 'grant', 'quitar', 'revoke'].includes(action) || !target || !role) return text(m.reply.rolesUsage);
    const name = d.ctx.nameOf(target);
    if (action === 'dar' || action === 'grant') {
      const done = text([(core.roles.grant(user, target, role) ? m.reply.roleGranted : m.reply.roleAlready)(name, m.role[role])]);
      // An address nobody has used yet (a typo looks just the same): said, so it is checked.
      if (!core.people.hasIdentities(target) && done.kind === 'text') done.lines.push([m.teams.notMetYet(name)]);
      return done;
    }
    return text([(core.roles.revoke(user, target, role) ? m.reply.roleRevoked : m.reply.roleNotHeld)(name, m.role[role])]);
  }
  if (sub === 'fallos' || sub === 'failures') {
    if (!core.roles.rolesOf(user).has('admin')) return text([m.error.not_admin_failures]);
    // Who could not be reached, and why, is for the admins: in their chat with the bot, not a channel.
    if (d.shared) return text(m.teams.privateOnly('pieza fallos'));
    const titles = { piece: (id: number) => core.pieces.get(id)?.title ?? null, entry: (id: number) => core.entries.get(id)?.title ?? null, inquiry: (id: number) => core.inquiries.getById(id)?.folio ?? null };
    const items: Rich[] = core.outbox.failures(30).map((x) => failureLine(f, x, titles));
    return list({ title: m.reply.failuresTitle, sections: items.length ? [{ items }] : [], empty: m.reply.failuresEmpty });
  }
  if (sub === 'ayuda' || sub === 'help') return list(helpView(core, null, d.surface));
  return list(helpView(core, ['pieza', ...words].join(' '), d.surface));
}

/** Every command, as typed in Teams; `unknown` when the person typed something the bot did not understand. */
export function helpView(core: Core, unknown: string | null, surface: CommandSurface = 'teams'): ListView {
  const m = core.fmt.m;
  const t = m.teams;
  const head = surface === 'console' ? m.console : t;
  return {
    title: head.helpTitle,
    note: unknown ? [m.reply.unknown(unknown), ' ', head.helpNote] : head.helpNote,
    sections: [
      { heading: t.pieces, items: m.reply.help },
      { heading: t.calendar, items: m.cal.reply.help },
      { heading: t.kpis, items: m.kpiView.help() },
      { heading: m.inq.helpTitle, items: m.inq.help() },
      { heading: m.inq.oncallHelpTitle, items: m.inq.oncallHelp() },
    ],
    empty: '',
  };
}
