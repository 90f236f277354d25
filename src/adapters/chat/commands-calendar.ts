import { z } from 'zod';
import { EMAIL } from '../../config.js';
import { agenda } from '../../domain/calendar/agenda.js';
import type { Scope } from '../../domain/calendar/service.js';
import type { CalendarEntry } from '../../domain/calendar/types.js';
import { parseQuickAdd, validateEdit, validateEntry, type EntryError, type EntryField, type RawEntryInput } from '../../domain/calendar/validate.js';
import type { PersonId } from '../../domain/people/types.js';
import { isDomainError, type DomainError } from '../../domain/shared/errors.js';
import { addDays, daysInMonth, localDateOf, localToEpoch, parseLocalDate } from '../../domain/shared/time.js';
import { entryErrorText, entryForm, removeForm } from '../../views/calendar-forms.js';
import { agendaList, dayLabel, entryCard, occurrenceWhen } from '../../views/calendar-views.js';
import { domainErrorText } from '../../views/errors.js';
import { formatMonth } from '../../views/format.js';
import { CAL_ACTION, CAL_FIELD, CAL_FORM } from '../../views/ids.js';
import type { FormView, ListView, Rich } from '../../views/model.js';
import { registerAction, registerCommand, type CommandReply, type CommandDeps } from './commands.js';
import { formStr as str, metaOf, readForm, type FormValues } from './forms.js';

/**
 * `calendario` in Teams: the same subcommands as Slack's /calendario (semana, hoy, mes, 2026-12,
 * agregar, a number, resumen), and the entry card's Editar / Borrar with their forms.
 *
 * The owner («Responsable»): Slack has a person picker; a card input in Teams is plain text, so the
 * owner is typed as an e-mail (the person with that e-mail, known or not yet seen). Left empty, the
 * entry has no owner, as when Slack's picker is left empty. An edit form shows the current owner (their
 * e-mail, or their name when the bot knows no e-mail): left as shown, the owner stays.
 */

const text = (...lines: Rich[]): CommandReply => ({ kind: 'text', lines });

// `v`: the version the card was shown at (absent on cards from before versions: not checked).
const entryRefSchema = z.object({ e: z.number().int().positive(), d: z.string(), v: z.number().int().positive().optional() });

/** What a calendar form carries: the entry, the date it was opened for, its version, its key, its owner when opened. */
interface CalMeta {
  e?: number;
  d?: string;
  v?: number;
  k?: string;
  o?: string | null;
}
const calMeta = (data: Record<string, unknown>): CalMeta => {
  const m = metaOf(data);
  const pos = (x: unknown) => (typeof x === 'number' && Number.isSafeInteger(x) && x > 0 ? x : undefined);
  return {
    e: pos(m.e),
    d: typeof m.d === 'string' ? m.d : undefined,
    v: pos(m.v),
    k: typeof m.k === 'string' && m.k ? m.k : undefined,
    o: typeof m.o === 'string' ? m.o : null,
  };
};

/** The form's metadata as it came (kept as is on a form shown again). */
const metaString = (data: Record<string, unknown>): string => (typeof data.meta === 'string' ? data.meta : '');

/** The same form with what was typed (an emptied input stays empty), to show it again with its errors. */
const refill = (view: FormView, v: FormValues, data: Record<string, unknown>): FormView => ({
  ...view,
  inputs: view.inputs.map((i) => ({ ...i, initial: i.id in data ? (v[i.id] ?? null) : (i.initial ?? null) })),
});

const picks = (x: FormValues[string] | undefined) => (Array.isArray(x) ? x : []);

/** A submitted entry form as the domain's raw input (the owner is read apart: see `ownerOf`). */
function rawFromForm(v: FormValues): RawEntryInput {
  return {
    title: str(v[CAL_FIELD.title]),
    date: str(v[CAL_FIELD.date]),
    time: str(v[CAL_FIELD.time]),
    kind: str(v[CAL_FIELD.kind]),
    ownerId: null,
    recurrence: str(v[CAL_FIELD.recurrence]) || 'none',
    weekdays: picks(v[CAL_FIELD.weekdays]),
    untilDate: str(v[CAL_FIELD.until]),
    reminders: picks(v[CAL_FIELD.reminders]),
  };
}

/** How the owner input shows a person: their e-mail when known (it reads back as them), else their name. */
const ownerText = (d: CommandDeps, person: PersonId | null): string => (person ? (d.core.people.get(person)?.email ?? d.ctx.nameOf(person)) : '');

/** The entry form as Teams shows it: the owner as text (an e-mail), with a hint; for an edit, the owner it had. */
function teamsEntryForm(d: CommandDeps, meta: string, entry?: CalendarEntry, shown?: { date?: string; owner: PersonId | null }): FormView {
  const f = d.core.fmt;
  const view = entryForm(f, meta, entry, entry ? shown?.date : undefined);
  return {
    ...view,
    inputs: view.inputs.map((i) => (i.id === CAL_FIELD.owner ? { ...i, hint: f.m.cal.form.ownerHint, initial: entry ? ownerText(d, shown?.owner ?? null) : null } : i)),
  };
}

/**
 * The owner typed: as the form showed it → the owner it was opened with; empty → none; an e-mail
 * (alone, or in «Ana Pérez <ana@x.org>») → that person, resolved only once the whole form is valid.
 */
type OwnerTyped = { kind: 'same'; person: PersonId | null } | { kind: 'none' } | { kind: 'email'; email: string } | { kind: 'bad' };
function ownerOf(d: CommandDeps, v: FormValues, editing: CalendarEntry | null): OwnerTyped {
  const typed = str(v[CAL_FIELD.owner]).trim();
  // The owner the entry has (read from the entry, never from what the form sent back).
  const was = editing?.ownerId ?? null;
  if (editing && (typed === ownerText(d, was) || (was && typed === d.ctx.nameOf(was)))) return { kind: 'same', person: was };
  if (!typed) return { kind: 'none' };
  const email = /[^\s@,<>:;]+@[^\s@,<>:;]+\.[^\s@,<>:;]+/.exec(typed)?.[0];
  return email && EMAIL.test(email) ? { kind: 'email', email } : { kind: 'bad' };
}
const resolveOwner = (d: CommandDeps, o: OwnerTyped): PersonId | null => (o.kind === 'same' ? o.person : o.kind === 'email' ? d.core.people.ensureByEmail(o.email) : null);

const fieldErrors = (d: CommandDeps, errors: Partial<Record<EntryField, EntryError>>): Record<string, string> =>
  Object.fromEntries(Object.entries(errors).map(([k, e]) => [k === 'owner' ? CAL_FIELD.owner : k, entryErrorText(d.core.fmt, e!)]));

const addedText = (d: CommandDeps, entry: CalendarEntry): string => {
  const next = d.core.calendar.nextOccurrence(entry);
  return d.core.fmt.m.cal.reply.added(entry.id, entry.title, next ? occurrenceWhen(d.core.fmt, next) : entry.startDate);
};

/** The entry's card: Editar and Borrar for who may change it. */
const cardFor = (d: CommandDeps, entry: CalendarEntry, person: PersonId): CommandReply => ({
  kind: 'card',
  view: entryCard(d.core.fmt, entry, d.core.calendar.nextOccurrence(entry), d.core.calendar.canEdit(entry, person)),
});

/** A change refused after the form was sent: «No se guardó su cambio. Esta fecha fue modificada por …». */
const refused = (d: CommandDeps, what: string, e: DomainError): CommandReply => {
  const why = domainErrorText(d.core.fmt, e);
  return text(e.code === 'calendar.stale_version' ? [what, ' ', ...why] : why);
};

registerCommand(['calendario', 'calendar'], (d, person, words, who, shown) => {
  const { core } = d;
  const f = core.fmt;
  const m = f.m;
  const c = m.cal;
  const sub = (words[0] ?? '').toLowerCase();
  // «publicar» at the end shows a view to the channel in Slack; a Teams answer already goes to the
  // conversation it was asked in, so the word is accepted and left out. In «agregar …» it is part of the title.
  const adding = sub === 'agregar' || sub === 'add';
  const args = !adding && words.length > 0 && words.at(-1)!.toLowerCase() === 'publicar' ? words.slice(0, -1) : words;
  const today = core.calendar.today();
  const show = (title: string, from: string, to: string): CommandReply => ({ kind: 'list', view: agendaList(f, title, agenda(core.calendar, core.pieces, f.tz, from, to)) });
  const help = (unknown: string | null): CommandReply => {
    const view: ListView = { title: m.teams.calendar, sections: [{ items: c.reply.help }], empty: '' };
    return { kind: 'list', view: unknown ? { ...view, note: m.reply.unknown(unknown) } : view };
  };

  if (sub === '' || sub === 'semana' || sub === 'week' || sub === 'publicar') return show(c.view.week(dayLabel(f, today), dayLabel(f, addDays(today, 6))), today, addDays(today, 6));
  if (sub === 'hoy' || sub === 'today') return show(c.view.day(dayLabel(f, today)), today, today);
  const month = sub === 'mes' || sub === 'month' ? today.slice(0, 7) : /^\d{4}-\d{2}$/.test(sub) ? sub : null;
  if (month) {
    const first = `${month}-01`;
    const p = parseLocalDate(first);
    if (!p) return text([c.error.invalid_date]);
    return show(c.view.month(formatMonth(f, localToEpoch(first, null, f.tz)!)), first, `${month}-${String(daysInMonth(p.y, p.m)).padStart(2, '0')}`);
  }
  if (adding) {
    if (words.length === 1) return { kind: 'form', view: teamsEntryForm(d, JSON.stringify({ k: d.newFormKey() })) };
    // A person @mentioned in the title reads as their name (the command line holds «@0» for them).
    const rest = words
      .slice(1)
      .map((w) => {
        if (!/^@\d+$/.test(w)) return w;
        const p = who(w);
        return p ? d.ctx.nameOf(p) : shown(w).replace(/^@/, '');
      })
      .join(' ');
    const raw = parseQuickAdd(rest);
    // What was typed, what is wrong, and how to write it.
    const refuse = (why: string) => text([`«${rest}»: ${why} `, ...c.error.quickExample]);
    if (raw === 'unreadable') return refuse(c.error.unreadable);
    if (raw === 'missing_title') return refuse(c.error.missing_title);
    if (raw === 'invalid_time') return refuse(c.error.quick_time);
    const r = core.calendar.create({ ...raw, ownerId: person }, person);
    if (!r.ok) return refuse(entryErrorText(f, Object.values(r.errors)[0]!));
    // Repeat what was understood (title, date, time or «todo el día») so a misread shows at once.
    return text([addedText(d, r.entry)]);
  }
  const id = /^#?(\d+)$/.exec(sub)?.[1];
  if (id) {
    // Digits beyond any id we hand out are answered with the digits typed, never «1e+23».
    if (!Number.isSafeInteger(Number(id))) return text([c.error.not_found(id)]);
    return cardFor(d, core.calendar.get(Number(id)), person);
  }
  if (sub === 'resumen' || sub === 'digest') {
    const opt = (args[1] ?? '').toLowerCase();
    const now = core.clock.now();
    if (opt === 'diario' || opt === 'daily') {
      core.subscriptions.subscribe(person, now);
      return text([c.reply.subscribed]);
    }
    if (opt === 'no' || opt === 'off') {
      core.subscriptions.unsubscribe(person);
      return text([c.reply.unsubscribed]);
    }
    core.enqueue({ type: 'digest', to: { person }, date: localDateOf(now, f.tz), personal: true, late: false }, now);
    core.kickOutbox();
    return text([c.reply.digestSent]);
  }
  if (sub === 'ayuda' || sub === 'help') return help(null);
  return help(['calendario', ...words].join(' '));
});

/** Editar / Borrar on an entry's card: the form, for who may change the entry, at the version the card showed. */
function entryButton(d: CommandDeps, person: PersonId, verb: string, data: Record<string, unknown>): CommandReply {
  const m = d.core.fmt.m;
  const raw = typeof data.value === 'string' ? data.value : '';
  let ref: z.infer<typeof entryRefSchema> | null = null;
  try {
    const r = entryRefSchema.safeParse(JSON.parse(raw));
    ref = r.success ? r.data : null;
  } catch {
    ref = null;
  }
  if (!ref) {
    const e = /"e":\s*(\d{1,15})\b/.exec(raw)?.[1];
    return text(e ? m.outdated.entry(Number(e)) : m.outdated.button(null));
  }
  const entry = d.core.calendar.current(ref.e, ref.v, person);
  const meta: CalMeta = { e: entry.id, d: ref.d, v: entry.version, k: d.newFormKey(), o: entry.ownerId };
  if (verb === CAL_ACTION.edit) return { kind: 'form', view: teamsEntryForm(d, JSON.stringify(meta), entry, { date: ref.d, owner: entry.ownerId }) };
  return { kind: 'form', view: removeForm(d.core.fmt, JSON.stringify(meta), entry, ref.d) };
}

/** The add form: errors on the form (nothing stored), else the entry, once per form (its key). */
function submitAdd(d: CommandDeps, person: PersonId, data: Record<string, unknown>): CommandReply {
  const { core } = d;
  const meta = calMeta(data);
  const view = teamsEntryForm(d, metaString(data));
  const v = readForm(view, data);
  const picked = rawFromForm(v);
  const owner = ownerOf(d, v, null);
  const check = validateEntry(picked, core.clock.now(), core.fmt.tz);
  const errors = check.ok ? {} : fieldErrors(d, check.errors);
  if (owner.kind === 'bad') errors[CAL_FIELD.owner] = core.fmt.m.cal.error.owner_email;
  if (Object.keys(errors).length) return { kind: 'form', view: refill(view, v, data), errors };
  // Without a key (a form from before keys) the submission is taken once anyway: nothing to match.
  const r = core.calendar.create({ ...picked, ownerId: resolveOwner(d, owner) }, person, meta.k ? `${d.surface}:form:${meta.k}` : null);
  if (!r.ok) return { kind: 'form', view: refill(view, v, data), errors: fieldErrors(d, r.errors) };
  return text([addedText(d, r.entry)]);
}

/** The edit form: errors on the form; else the change (once per form), and the entry's card as it is now. */
function submitEdit(d: CommandDeps, person: PersonId, data: Record<string, unknown>): CommandReply {
  const { core } = d;
  const f = core.fmt;
  const c = f.m.cal;
  const meta = calMeta(data);
  const entry = meta.e ? core.entries.getWithDeleted(meta.e) : null;
  if (!meta.e || !entry) return text([f.m.outdated.form]);
  const view = teamsEntryForm(d, metaString(data), entry, { date: meta.d, owner: entry.ownerId ?? null });
  const v = readForm(view, data);
  const picked = rawFromForm(v);
  const owner = ownerOf(d, v, entry);
  const scope: Scope = str(v[CAL_FIELD.scope]) === 'occurrence' && meta.d ? { kind: 'occurrence', date: meta.d } : { kind: 'series', shown: meta.d ?? null };
  const check = validateEdit(picked, meta.d ?? null, scope.kind, core.clock.now(), f.tz);
  const errors = check.ok ? {} : fieldErrors(d, check.errors);
  if (owner.kind === 'bad') errors[CAL_FIELD.owner] = c.error.owner_email;
  if (Object.keys(errors).length) return { kind: 'form', view: refill(view, v, data), errors };
  try {
    const r = core.calendar.update(meta.e, { ...picked, ownerId: resolveOwner(d, owner) }, scope, person, { version: meta.v, originKey: meta.k ? `${d.surface}:form:${meta.k}` : null });
    if (!r.ok) return { kind: 'form', view: refill(view, v, data), errors: fieldErrors(d, r.errors) };
    return text([c.reply.updated(meta.e)]);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return refused(d, c.reply.notSaved, e);
  }
}

/** The delete form: the series, or one of its dates; once per form. */
function submitRemove(d: CommandDeps, person: PersonId, data: Record<string, unknown>): CommandReply {
  const { core } = d;
  const f = core.fmt;
  const c = f.m.cal;
  const meta = calMeta(data);
  if (!meta.e) return text([f.m.outdated.form]);
  const scope: Scope = data[CAL_FIELD.scope] === 'occurrence' && meta.d ? { kind: 'occurrence', date: meta.d } : { kind: 'series' };
  try {
    core.calendar.remove(meta.e, scope, person, { version: meta.v, originKey: meta.k ? `${d.surface}:form:${meta.k}` : null });
    return text([scope.kind === 'series' ? c.reply.deleted(meta.e) : c.reply.deletedOne(meta.e, dayLabel(f, scope.date))]);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return refused(d, c.reply.notDeleted, e);
  }
}

/** Calendar buttons (Editar, Borrar) and forms (nueva fecha, editar, borrar). */
registerAction((d, person, verb, data) => {
  if (verb === CAL_ACTION.edit || verb === CAL_ACTION.remove) return entryButton(d, person, verb, data);
  if (verb === CAL_FORM.add) return submitAdd(d, person, data);
  if (verb === CAL_FORM.edit) return submitEdit(d, person, data);
  if (verb === CAL_FORM.remove) return submitRemove(d, person, data);
  return null;
});
