import { isProof } from '../../domain/inquiries/service.js';
import type { Inquiry } from '../../domain/inquiries/types.js';
import type { PersonId } from '../../domain/people/types.js';
import { isDomainError } from '../../domain/shared/errors.js';
import { domainErrorText } from '../../views/errors.js';
import { isLocalDate, isTime, localDateOf, localToEpoch } from '../../domain/shared/time.js';
import { INQ_ACTION, INQ_FIELD, INQ_FORM } from '../../views/ids.js';
import { extendForm, INQUIRY_FIELD_INPUT, inquiryProblemText, newInquiryForm, respondForm, transferForm } from '../../views/inquiry-forms.js';
import { inquiryReportView } from '../../views/inquiry-report-view.js';
import { dayText, historyList, inquiryCard, inquiryDetail, inquiryList } from '../../views/inquiry-views.js';
import type { FormView, Rich } from '../../views/model.js';
import { registerAction, registerCommand, type CommandReply, type CommandDeps } from './commands.js';
import { formStr as str, metaOf, readForm, refilled, type FormValues } from './forms.js';

const LIST_SHOWN = 25;

const text = (...lines: Rich[]): CommandReply => ({ kind: 'text', lines });

/** An inquiry's detail with its history under it; the requester's data only for the assignee and admins. */
function detail(d: CommandDeps, i: Inquiry, person: PersonId): CommandReply {
  const s = d.core.inquiries;
  const { events } = s.history(i.id);
  // In a channel everyone reads the answer: the requester's data only in the person's own chat.
  const personal = s.maySeePersonalData(i, person);
  const card = inquiryDetail(d.core.fmt, i, events, s.daysLeft(i), personal && !d.shared);
  if (personal && d.shared) card.context = [...card.context, d.core.fmt.m.teams.privateOnly(`consulta ${i.folio}`)];
  const hist = historyList(d.core.fmt, i, events);
  return { kind: 'card', view: { ...card, context: [...card.context, [{ b: hist.title }], ...hist.sections.flatMap((x) => x.items)] } };
}

/** `consulta`: the same subcommands as Slack's /consulta (the form, lista, vencen, informe, a folio). */
registerCommand(['consulta', 'consultas', 'inquiry'], (d, person, words) => {
  const { core } = d;
  const f = core.fmt;
  const q = f.m.inq;
  const s = core.inquiries;
  const withLeft = (items: Inquiry[]) => items.map((i) => ({ i, left: s.daysLeft(i) }));
  const sub = (words[0] ?? '').toLowerCase();
  if (sub === '' || sub === 'nueva' || sub === 'registrar') return { kind: 'form', view: newInquiryForm(f, {}, JSON.stringify({ k: d.newFormKey() })) };
  if (sub === 'lista') {
    const r = s.open(LIST_SHOWN);
    return { kind: 'list', view: inquiryList(f, q.listTitle, q.listEmpty, withLeft(r.inquiries), r.total, q.listNote) };
  }
  if (sub === 'vencen') {
    const r = s.dueWithin(5, LIST_SHOWN);
    return { kind: 'list', view: inquiryList(f, q.dueTitle, q.dueEmpty, withLeft(r.inquiries), r.total) };
  }
  if (sub === 'informe') {
    const view = inquiryReportView(f, s, words[1] ?? '');
    return view ? { kind: 'list', view } : text([q.report.badPeriod]);
  }
  if (sub === 'ayuda' || sub === 'help') return { kind: 'list', view: { title: q.helpTitle, sections: [{ items: q.help() }], empty: '' } };
  const i = s.find(words[0]!);
  if (!i) return text(q.notFound(words[0]!));
  return detail(d, i, person);
});

const idOf = (data: Record<string, unknown>): number | null => {
  const v = String(data.value ?? '');
  return /^\d{1,15}$/.test(v) ? Number(v) : null;
};

/** The inquiry's card as it is now, with a line for the person on top (what their click did, or why not). */
const current = (d: CommandDeps, id: number, notice?: Rich): CommandReply => {
  const i = d.core.inquiries.getById(id);
  if (!i) return text(d.core.fmt.m.outdated.button(null));
  return { kind: 'card', view: inquiryCard(d.core.fmt, i, d.core.inquiries.history(i.id).events, d.core.inquiries.daysLeft(i)), ...(notice ? { notice } : {}) };
};

/** Inquiry buttons (Tomar, Soltar, Responder, Prórroga, Trasladar, Historial, Detalle) and forms. */
registerAction((d, person, verb, data) => {
  const { core } = d;
  const f = core.fmt;
  const q = f.m.inq;
  const s = core.inquiries;
  if (!verb.startsWith('inq.')) return null;
  if (verb === INQ_FORM.register) return register(d, person, data);
  const forms: Record<string, { action: 'respond' | 'extend' | 'transfer'; form: (i: Inquiry, extra: Record<string, unknown>) => FormView }> = {
    [INQ_ACTION.respond]: { action: 'respond', form: (i, x) => respondForm(f, i, x) },
    [INQ_ACTION.extend]: { action: 'extend', form: (i, x) => extendForm(f, i, s.extensionDate(i)!, x) },
    [INQ_ACTION.transfer]: { action: 'transfer', form: (i, x) => transferForm(f, i, s.legal.transferDays, x) },
  };
  if (verb === INQ_FORM.respond || verb === INQ_FORM.extend || verb === INQ_FORM.transfer) return decision(d, person, verb, data);
  const id = idOf(data);
  if (!id) return text(f.m.outdated.button(null));
  const i = s.getById(id);
  if (!i) return text(f.m.outdated.button(null));
  try {
    if (verb === INQ_ACTION.take) {
      s.take(id, person, d.surface);
      return current(d, id);
    }
    if (verb === INQ_ACTION.release) {
      s.release(id, person, d.surface);
      return current(d, id);
    }
    if (verb === INQ_ACTION.history) return { kind: 'list', view: historyList(f, i, s.history(i.id).events) };
    if (verb === INQ_ACTION.detail) return detail(d, i, person);
    const form = forms[verb];
    if (form) {
      const checked = s.check(id, person, form.action);
      // o: the day the form opened, the date picker's initial value.
      return { kind: 'form', view: form.form(checked, { o: localDateOf(f.now(), f.tz) }) };
    }
  } catch (e) {
    // Refused (taken by someone else, answered already…): the card as it is now, with why.
    if (!isDomainError(e)) throw e;
    return current(d, id, domainErrorText(f, e));
  }
  return text(q.notFound(String(id)));
});


/** The new-inquiry form: errors on the form (nothing stored), else the inquiry, once per form. */
function register(d: CommandDeps, person: PersonId, data: Record<string, unknown>): CommandReply {
  const f = d.core.fmt;
  const q = f.m.inq;
  const meta = metaOf(data);
  const view = newInquiryForm(f, {}, typeof data.meta === 'string' ? data.meta : '');
  const v = readForm(view, data);
  const errors: Record<string, string> = {};
  const date = str(v[INQ_FIELD.receivedDate]);
  const time = str(v[INQ_FIELD.receivedTime]) || '00:00';
  let receivedAt: number | null = null;
  if (!isLocalDate(date) || !isTime(time)) errors[INQ_FIELD.receivedDate] = q.problem.invalidDate;
  else receivedAt = localToEpoch(date, time, f.tz) ?? NaN;
  if (Object.keys(errors).length) return { kind: 'form', view: refilled(view, v), errors };
  const input = {
    channel: str(v[INQ_FIELD.channel]),
    type: str(v[INQ_FIELD.type]),
    name: str(v[INQ_FIELD.name]),
    contact: str(v[INQ_FIELD.contact]),
    text: str(v[INQ_FIELD.text]),
    receivedAt,
    sourceLink: str(v[INQ_FIELD.source]),
  };
  const key = typeof meta.k === 'string' && meta.k ? `${d.surface}:form:${meta.k}` : null;
  const result = d.core.inquiries.register(input, person, d.surface, key ? { key, request: 'form' } : undefined);
  if (!result.ok && 'problems' in result) {
    for (const p of result.problems) errors[INQUIRY_FIELD_INPUT[p.field]] ??= inquiryProblemText(f, p);
    return { kind: 'form', view: refilled(view, v), errors };
  }
  if (!result.ok) return text([q.registerFailed]);
  const i = result.inquiry;
  if (!result.created) return text(q.alreadyRegistered(i.folio));
  return text([q.registered(i.folio, i.dueDate ? dayText(f, i.dueDate) : null)]);
}

/**
 * The day an answer or a transfer was sent: the date picker says the day the form opened; left as it
 * was, it means «today» when sent. Never in the future, never before the inquiry came in.
 */
function sentDate(d: CommandDeps, v: FormValues, meta: Record<string, unknown>, errors: Record<string, string>): string | null {
  const f = d.core.fmt;
  const date = str(v[INQ_FIELD.answeredDate]).trim();
  if (!date || date === meta.o) return null;
  const i = typeof meta.i === 'number' ? d.core.inquiries.getById(meta.i) : null;
  const received = i ? localDateOf(i.receivedAt, f.tz) : null;
  if (!isLocalDate(date) || date > localDateOf(f.now(), f.tz) || (received && date < received)) errors[INQ_FIELD.answeredDate] = f.m.inq.problem.answeredDate(received ? dayText(f, received) : '');
  return date;
}

/** Responder, Prórroga, Trasladar: validated on the form, then decided once; the card as it is now. */
function decision(d: CommandDeps, person: PersonId, verb: string, data: Record<string, unknown>): CommandReply {
  const { core } = d;
  const f = core.fmt;
  const q = f.m.inq;
  const s = core.inquiries;
  const meta = metaOf(data);
  const id = typeof meta.i === 'number' ? meta.i : null;
  const i = id ? s.getById(id) : null;
  if (!i) return text(f.m.outdated.button(null));
  const extra = { o: meta.o };
  const view = verb === INQ_FORM.respond ? respondForm(f, i, extra) : verb === INQ_FORM.extend ? extendForm(f, i, s.extensionDate(i) ?? i.dueDate ?? '', extra) : transferForm(f, i, s.legal.transferDays, extra);
  const v = readForm(view, data);
  const errors: Record<string, string> = {};
  try {
    if (verb === INQ_FORM.respond) {
      const summary = str(v[INQ_FIELD.summary]).trim();
      const link = str(v[INQ_FIELD.link]).trim();
      const answeredDate = sentDate(d, v, meta, errors);
      if (!summary) errors[INQ_FIELD.summary] = q.problem.summaryRequired;
      if (!isProof(link)) errors[INQ_FIELD.link] = q.problem.linkRequired;
      if (Object.keys(errors).length) return { kind: 'form', view: refilled(view, v), errors };
      const done = s.respond(i.id, person, d.surface, { summary, link, answeredDate });
      return current(d, i.id, [q.answered(done.folio)]);
    }
    if (verb === INQ_FORM.extend) {
      const reason = str(v[INQ_FIELD.reason]).trim();
      if (!reason) return { kind: 'form', view: refilled(view, v), errors: { [INQ_FIELD.reason]: q.problem.reasonRequired } };
      const done = s.extend(i.id, person, d.surface, { reason });
      return current(d, i.id, [q.extended(done.folio, done.extendedDueDate ? dayText(f, done.extendedDueDate) : '')]);
    }
    const entity = str(v[INQ_FIELD.entity]).trim();
    const transferredDate = sentDate(d, v, meta, errors);
    if (!entity) errors[INQ_FIELD.entity] = q.problem.entityRequired;
    if (Object.keys(errors).length) return { kind: 'form', view: refilled(view, v), errors };
    const done = s.transfer(i.id, person, d.surface, { entity, reason: str(v[INQ_FIELD.reason]).trim(), transferredDate });
    return current(d, i.id, [q.transferred(done.folio, entity)]);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return current(d, i.id, domainErrorText(f, e));
  }
}
