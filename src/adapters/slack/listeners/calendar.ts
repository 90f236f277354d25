import type { App, BlockButtonAction, RespondFn, SlackViewAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { agenda } from '../../../domain/calendar/agenda.js';
import type { CalendarService, Scope } from '../../../domain/calendar/service.js';
import { parseQuickAdd, validateEdit, validateEntry, type RawEntryInput } from '../../../domain/calendar/validate.js';
import type { PieceRepository } from '../../../domain/approvals/ports.js';
import { isDomainError } from '../../../domain/shared/errors.js';
import { addDays, daysInMonth, localToEpoch, parseLocalDate } from '../../../domain/shared/time.js';
import { entryErrorText, entryForm, removeForm } from '../../../views/calendar-forms.js';
import { agendaList, dayLabel, entryCard, occurrenceWhen } from '../../../views/calendar-views.js';
import { domainErrorText } from '../../../views/errors.js';
import { formatMonth } from '../../../views/format.js';
import { CAL_ACTION, CAL_FIELD, CAL_FORM } from '../../../views/ids.js';
import { cardBlocks, formString, listBlocks, readFormState, type Block } from '../render/block-kit.js';
import { answer, noteAfterForm, openModal } from '../reply.js';
import type { FormView } from '../../../views/model.js';
import { escapeMrkdwn, richToMrkdwn } from '../render/mrkdwn.js';
import { parseJson, type SlackDeps } from '../deps.js';

export interface CalendarSlackDeps extends SlackDeps {
  calendar: CalendarService;
  pieces: PieceRepository;
  /** Sends the digest for today to one person now (through the outbox). */
  sendDigestTo: (userId: string) => void;
  subscribe: (userId: string) => boolean;
  unsubscribe: (userId: string) => boolean;
}

// `v`: the version the card or form was opened on (absent on cards from before versions: not checked).
const entryRefSchema = z.object({ e: z.number().int().positive(), d: z.string(), v: z.number().int().positive().optional() });
const formMetaSchema = z.object({ e: z.number().int().positive().optional(), d: z.string().optional(), v: z.number().int().positive().optional(), c: z.string().optional() });

type Values = ReturnType<typeof readFormState>;
const str = formString;
const list = (v: Values[string] | undefined) => (Array.isArray(v) ? v : []);

/** A submitted entry form as the domain's raw input. */
function rawFromForm(v: Values): RawEntryInput {
  return {
    title: str(v[CAL_FIELD.title]),
    date: str(v[CAL_FIELD.date]),
    time: str(v[CAL_FIELD.time]),
    kind: str(v[CAL_FIELD.kind]),
    ownerId: str(v[CAL_FIELD.owner]),
    recurrence: str(v[CAL_FIELD.recurrence]) ?? 'none',
    weekdays: list(v[CAL_FIELD.weekdays]),
    untilDate: str(v[CAL_FIELD.until]),
    reminders: list(v[CAL_FIELD.reminders]),
  };
}

/** `/calendario`, its buttons and forms. Ack first; pure validation answers inside the modal. */
export function registerCalendar(app: App, d: CalendarSlackDeps): void {
  const m = d.fmt.m;
  const c = m.cal;
  /** The user picker gives a Slack user id; the calendar stores the person (written after ack). */
  const ownerAsPerson = (raw: RawEntryInput): RawEntryInput => ({ ...raw, ownerId: d.people.personOrNull(raw.ownerId) ?? raw.ownerId });
  /**
   * What the form is checked with before ack, without touching the database: Slack's user picker
   * only ever gives a user, so the owner needs no check here (the service checks it again).
   */
  const forChecking = (raw: RawEntryInput): RawEntryInput => ({ ...raw, ownerId: null });
  const reply = (respond: RespondFn, text: string, blocks?: Block[], inChannel = false) => answer(respond, d.log, text, { blocks, inChannel });
  const tell = (client: WebClient, userId: string, channel: string | undefined, text: string) => noteAfterForm(client, d.log, userId, channel, text);
  const open = (client: WebClient, trigger: string, view: FormView, respond: RespondFn) => openModal(client, d.log, respond, trigger, view, m.reply.openFailed);

  app.command('/calendario', async ({ ack, command, respond, client }) => {
    await ack();
    const text = (command.text ?? '').trim();
    const words = text.split(/\s+/).filter(Boolean);
    const sub = (words[0] ?? '').toLowerCase();
    // «publicar» at the end of a view shows it to the channel; in «agregar …» it is just a word of the title.
    const publish = sub !== 'agregar' && sub !== 'add' && words.length > 0 && words.at(-1)!.toLowerCase() === 'publicar';
    const args = publish ? words.slice(0, -1) : words;
    const user = d.people.person(command.user_id, command.user_name);
    const today = d.calendar.today();
    const show = async (title: string, from: string, to: string) => {
      const view = agendaList(d.fmt, title, agenda(d.calendar, d.pieces, d.fmt.tz, from, to));
      await reply(respond, escapeMrkdwn(title), listBlocks(view), publish);
    };
    try {
      if (sub === '' || sub === 'semana' || sub === 'publicar') return await show(c.view.week(dayLabel(d.fmt, today), dayLabel(d.fmt, addDays(today, 6))), today, addDays(today, 6));
      if (sub === 'hoy') return await show(c.view.day(dayLabel(d.fmt, today)), today, today);
      const month = sub === 'mes' ? today.slice(0, 7) : /^\d{4}-\d{2}$/.test(sub) ? sub : null;
      if (month) {
        const first = `${month}-01`;
        const p = parseLocalDate(first);
        if (!p) return await reply(respond, c.error.invalid_date);
        return await show(c.view.month(formatMonth(d.fmt, localToEpoch(first, null, d.fmt.tz)!)), first, `${month}-${String(daysInMonth(p.y, p.m)).padStart(2, '0')}`);
      }
      if (sub === 'agregar' || sub === 'add') {
        const rest = text.replace(/^\S+\s*/, '');
        if (!rest) return await open(client, command.trigger_id, entryForm(d.fmt, JSON.stringify({ c: command.channel_id })), respond);
        const raw = parseQuickAdd(rest);
        // What was typed, what is wrong, and how to write it.
        const refuse = (why: string) => reply(respond, richToMrkdwn([`«${rest}»: ${why} `, ...c.error.quickExample]));
        if (raw === 'unreadable') return await refuse(c.error.unreadable);
        if (raw === 'missing_title') return await refuse(c.error.missing_title);
        if (raw === 'invalid_time') return await refuse(c.error.quick_time);
        const r = d.calendar.create({ ...raw, ownerId: user }, user);
        if (!r.ok) {
          const code = Object.values(r.errors)[0]!;
          return await refuse(entryErrorText(d.fmt, code));
        }
        // Repeat what was understood (title, date, time or «todo el día») so a misread shows at once.
        const next = d.calendar.nextOccurrence(r.entry);
        return await reply(respond, escapeMrkdwn(c.reply.added(r.entry.id, r.entry.title, next ? occurrenceWhen(d.fmt, next) : r.entry.startDate)));
      }
      const id = /^#?(\d+)$/.exec(sub)?.[1];
      if (id) {
        // Digits beyond any id we hand out are answered with the digits typed, never «1e+23».
        if (!Number.isSafeInteger(Number(id))) return await reply(respond, escapeMrkdwn(c.error.not_found(id)));
        const entry = d.calendar.get(Number(id));
        const card = entryCard(d.fmt, entry, d.calendar.nextOccurrence(entry), d.calendar.canEdit(entry, user));
        return await reply(respond, escapeMrkdwn(card.fallback), cardBlocks(card), publish);
      }
      if (sub === 'resumen' || sub === 'digest') {
        const opt = (args[1] ?? '').toLowerCase();
        if (opt === 'diario' || opt === 'daily') {
          d.subscribe(user);
          return await reply(respond, c.reply.subscribed);
        }
        if (opt === 'no' || opt === 'off') {
          d.unsubscribe(user);
          return await reply(respond, c.reply.unsubscribed);
        }
        d.sendDigestTo(user);
        return await reply(respond, c.reply.digestSent);
      }
      const help = c.reply.help.map(richToMrkdwn).join('\n');
      return await reply(respond, sub === 'ayuda' || sub === 'help' ? help : `${escapeMrkdwn(m.reply.unknown(text))}\n${help}`);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      await reply(respond, richToMrkdwn(domainErrorText(d.fmt, e)));
    }
  });

  const entryButton = (id: string, form: typeof entryForm | typeof removeForm) =>
    app.action<BlockButtonAction>(id, async ({ ack, body, action, respond, client }) => {
      await ack();
      const ref = parseJson(entryRefSchema, action.value);
      if (!ref) {
        const e = /"e":\s*(\d{1,15})\b/.exec(action.value ?? '')?.[1];
        return reply(respond, richToMrkdwn(e ? m.outdated.entry(Number(e)) : m.outdated.button(null)));
      }
      try {
        const entry = d.calendar.current(ref.e, ref.v, d.people.person(body.user.id));
        const meta = JSON.stringify({ e: entry.id, d: ref.d, v: entry.version, c: body.channel?.id });
        await open(client, body.trigger_id, form(d.fmt, meta, entry, ref.d), respond);
      } catch (e) {
        if (!isDomainError(e)) throw e;
        await reply(respond, richToMrkdwn(domainErrorText(d.fmt, e)));
      }
    });
  entryButton(CAL_ACTION.edit, entryForm);
  entryButton(CAL_ACTION.remove, removeForm);

  /** A form refused after it closed: «No se guardó su cambio. Esta fecha fue modificada por @x …». */
  const refused = (what: string, e: Parameters<typeof domainErrorText>[1]) => {
    const why = richToMrkdwn(domainErrorText(d.fmt, e));
    return e.code === 'calendar.stale_version' ? `${escapeMrkdwn(what)} ${why}` : why;
  };

  const errorsOf = (errors: ReturnType<typeof validateEntry> & { ok: false }) =>
    Object.fromEntries(Object.entries(errors.errors).map(([k, e]) => [k === 'owner' ? CAL_FIELD.owner : k, entryErrorText(d.fmt, e!)]));

  app.view<SlackViewAction>(CAL_FORM.add, async ({ ack, body, view, client }) => {
    const picked = rawFromForm(readFormState(view.state.values as never));
    const v = validateEntry(forChecking(picked), d.fmt.now(), d.fmt.tz);
    if (!v.ok) return void (await ack({ response_action: 'errors', errors: errorsOf(v) }));
    await ack();
    const meta = parseJson(formMetaSchema, view.private_metadata);
    const r = d.calendar.create(ownerAsPerson(picked), d.people.person(body.user.id), `slack:view:${view.id}`);
    if (r.ok) {
      const next = d.calendar.nextOccurrence(r.entry);
      await tell(client, body.user.id, meta?.c, escapeMrkdwn(c.reply.added(r.entry.id, r.entry.title, next ? occurrenceWhen(d.fmt, next) : r.entry.startDate)));
    }
  });

  app.view<SlackViewAction>(CAL_FORM.edit, async ({ ack, body, view, client }) => {
    const meta = parseJson(formMetaSchema, view.private_metadata);
    const v = readFormState(view.state.values as never);
    const picked = rawFromForm(v);
    const scope: Scope = str(v[CAL_FIELD.scope]) === 'occurrence' && meta?.d ? { kind: 'occurrence', date: meta.d } : { kind: 'series', shown: meta?.d ?? null };
    const check = validateEdit(forChecking(picked), meta?.d ?? null, scope.kind, d.fmt.now(), d.fmt.tz);
    if (!check.ok) return void (await ack({ response_action: 'errors', errors: errorsOf(check) }));
    await ack();
    if (!meta?.e) return;
    try {
      const r = d.calendar.update(meta.e, ownerAsPerson(picked), scope, d.people.person(body.user.id), { version: meta.v, originKey: `slack:view:${view.id}` });
      await tell(client, body.user.id, meta.c, r.ok ? escapeMrkdwn(c.reply.updated(meta.e)) : entryErrorText(d.fmt, Object.values(r.errors)[0]!));
    } catch (e) {
      if (!isDomainError(e)) throw e;
      await tell(client, body.user.id, meta.c, refused(c.reply.notSaved, e));
    }
  });

  app.view<SlackViewAction>(CAL_FORM.remove, async ({ ack, body, view, client }) => {
    await ack();
    const meta = parseJson(formMetaSchema, view.private_metadata);
    if (!meta?.e) return;
    const v = readFormState(view.state.values as never);
    const scope: Scope = str(v[CAL_FIELD.scope]) === 'occurrence' && meta.d ? { kind: 'occurrence', date: meta.d } : { kind: 'series' };
    try {
      d.calendar.remove(meta.e, scope, d.people.person(body.user.id), { version: meta.v, originKey: `slack:view:${view.id}` });
      const text = scope.kind === 'series' ? c.reply.deleted(meta.e) : c.reply.deletedOne(meta.e, dayLabel(d.fmt, scope.date));
      await tell(client, body.user.id, meta.c, escapeMrkdwn(text));
    } catch (e) {
      if (!isDomainError(e)) throw e;
      await tell(client, body.user.id, meta.c, refused(c.reply.notDeleted, e));
    }
  });
}
