import { INQUIRY_TYPES } from '../domain/inquiries/legal-terms.js';
import type { Inquiry } from '../domain/inquiries/types.js';
import { INQUIRY_CHANNELS } from '../domain/inquiries/types.js';
import { MAX_CONTACT, MAX_NAME, MAX_TEXT, type InquiryProblem } from '../domain/inquiries/validate.js';
import { localDateOf, localTimeOf, type LocalDate } from '../domain/shared/time.js';
import { truncate, type Fmt } from './format.js';
import { INQ_FIELD, INQ_FORM } from './ids.js';
import { dayText } from './inquiry-views.js';
import type { FormView } from './model.js';

/** `/consulta` and the message shortcut: the same form; the shortcut prefills the text and the link. */
export function newInquiryForm(f: Fmt, prefill: { text?: string; sourceLink?: string | null; channel?: string } = {}, privateMetadata = ''): FormView {
  const t = f.m.inq.form;
  const now = f.now();
  const inputs: FormView['inputs'] = [
    { id: INQ_FIELD.channel, label: t.channel, kind: 'select', options: INQUIRY_CHANNELS.map((c) => ({ value: c, label: f.m.inq.channel[c] })), ...(prefill.channel ? { initial: prefill.channel } : {}) },
    { id: INQ_FIELD.type, label: t.type, kind: 'select', options: INQUIRY_TYPES.map((c) => ({ value: c, label: f.m.inq.type[c] })) },
    { id: INQ_FIELD.name, label: t.name, kind: 'text', optional: true, maxLength: MAX_NAME, hint: t.personalHint },
    { id: INQ_FIELD.contact, label: t.contact, kind: 'text', optional: true, maxLength: MAX_CONTACT },
    { id: INQ_FIELD.text, label: t.text, kind: 'multiline', maxLength: MAX_TEXT, ...(prefill.text ? { initial: truncate(prefill.text, MAX_TEXT) } : {}) },
    { id: INQ_FIELD.receivedDate, label: t.receivedDate, kind: 'date', initial: localDateOf(now, f.tz), hint: t.receivedHint },
    { id: INQ_FIELD.receivedTime, label: t.receivedTime, kind: 'time', initial: localTimeOf(now, f.tz) },
  ];
  if (prefill.sourceLink) inputs.push({ id: INQ_FIELD.source, label: t.source, kind: 'url', optional: true, initial: prefill.sourceLink });
  return { callbackId: INQ_FORM.register, title: t.newTitle, submit: t.submit, close: t.cancel, privateMetadata, inputs };
}

const meta = (i: Inquiry, extra: Record<string, unknown> = {}) => JSON.stringify({ i: i.id, ...extra });

export function respondForm(f: Fmt, i: Inquiry, extra: Record<string, unknown> = {}): FormView {
  const t = f.m.inq.form;
  return {
    callbackId: INQ_FORM.respond,
    title: t.respondTitle,
    submit: t.respondSubmit,
    close: t.cancel,
    privateMetadata: meta(i, extra),
    intro: [{ b: i.folio }, ` · ${truncate(i.text, 200)}`],
    inputs: [
      { id: INQ_FIELD.summary, label: t.summary, kind: 'multiline', maxLength: 2000 },
      { id: INQ_FIELD.link, label: t.link, kind: 'text', maxLength: 500, hint: t.linkHint },
      { id: INQ_FIELD.answeredDate, label: t.answeredDate, kind: 'date', initial: localDateOf(f.now(), f.tz), hint: t.answeredDateHint },
    ],
  };
}

export function extendForm(f: Fmt, i: Inquiry, until: LocalDate, extra: Record<string, unknown> = {}): FormView {
  const t = f.m.inq.form;
  return {
    callbackId: INQ_FORM.extend,
    title: t.extendTitle,
    submit: t.extendSubmit,
    close: t.cancel,
    privateMetadata: meta(i, extra),
    intro: [t.extendIntro(i.folio, dayText(f, i.dueDate!), dayText(f, until), `${i.term!.law}, ${i.term!.article}`)],
    inputs: [{ id: INQ_FIELD.reason, label: t.reason, kind: 'multiline', maxLength: 2000 }],
  };
}

export function transferForm(f: Fmt, i: Inquiry, transferDays: number | null, extra: Record<string, unknown> = {}): FormView {
  const t = f.m.inq.form;
  return {
    callbackId: INQ_FORM.transfer,
    title: t.transferTitle,
    submit: t.transferSubmit,
    close: t.cancel,
    privateMetadata: meta(i, extra),
    intro: [t.transferIntro(i.folio, transferDays)],
    inputs: [
      { id: INQ_FIELD.entity, label: t.entity, kind: 'text', maxLength: 300 },
      { id: INQ_FIELD.reason, label: t.transferReason, kind: 'multiline', optional: true, maxLength: 2000 },
      { id: INQ_FIELD.answeredDate, label: t.transferredDate, kind: 'date', initial: localDateOf(f.now(), f.tz), hint: t.transferredDateHint },
    ],
  };
}

/** A field problem in the person's words. */
export function inquiryProblemText(f: Fmt, p: InquiryProblem): string {
  const q = f.m.inq.problem;
  switch (p.code) {
    case 'unknown':
      return q.unknown(p.options.join(', '));
    case 'too_long':
      return q.too_long(p.max);
    default:
      return q[p.code];
  }
}

/** Which form input a domain field lands on. */
export const INQUIRY_FIELD_INPUT: Record<InquiryProblem['field'], string> = {
  channel: INQ_FIELD.channel,
  type: INQ_FIELD.type,
  name: INQ_FIELD.name,
  contact: INQ_FIELD.contact,
  text: INQ_FIELD.text,
  received_at: INQ_FIELD.receivedDate,
  source_link: INQ_FIELD.source,
};
