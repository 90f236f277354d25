import { MAX_REASON } from '../domain/approvals/transitions.js';
import { NETWORKS, PIECE_KINDS, type Piece } from '../domain/approvals/types.js';
import { MAX_BODY, MAX_TITLE, type FieldError } from '../domain/approvals/validate.js';
import { truncate, type Fmt } from './format.js';
import { FIELD, FORM, encodeRef } from './ids.js';
import type { FormView, Rich } from './model.js';

export function newPieceForm(f: Fmt, privateMetadata = ''): FormView {
  const t = f.m.form;
  return {
    callbackId: FORM.newPiece,
    title: t.newTitle,
    submit: t.submit,
    close: t.cancel,
    privateMetadata,
    inputs: [
      { id: FIELD.title, label: t.title, kind: 'text', maxLength: MAX_TITLE },
      { id: FIELD.body, label: t.body, kind: 'multiline', maxLength: MAX_BODY, hint: t.bodyHint },
      { id: FIELD.kind, label: t.kind, kind: 'select', options: PIECE_KINDS.map((k) => ({ value: k, label: f.m.kind[k] })) },
      { id: FIELD.networks, label: t.networks, kind: 'multiselect', options: NETWORKS.map((n) => ({ value: n, label: f.m.network[n] })) },
      { id: FIELD.date, label: t.date, kind: 'date' },
      { id: FIELD.time, label: t.time, kind: 'time', optional: true },
      { id: FIELD.materials, label: t.materials, kind: 'url', optional: true },
      {
        id: FIELD.needsDesign,
        label: t.needsDesign,
        kind: 'checkboxes',
        optional: true,
        options: [{ value: 'yes', label: t.needsDesignOption }],
      },
    ],
  };
}

const intro = (p: Piece): Rich => [{ b: `#${p.id} ${truncate(p.title, 140)}` }];

export function rejectForm(f: Fmt, p: Piece): FormView {
  const t = f.m.form;
  return {
    callbackId: FORM.reject,
    title: t.rejectTitle,
    submit: t.rejectSubmit,
    close: t.cancel,
    privateMetadata: encodeRef({ p: p.id, v: p.version }),
    intro: intro(p),
    inputs: [{ id: FIELD.reason, label: t.reason, kind: 'multiline', maxLength: MAX_REASON, hint: t.reasonHint }],
  };
}

export function designForm(f: Fmt, p: Piece): FormView {
  const t = f.m.form;
  return {
    callbackId: FORM.deliverDesign,
    title: t.designTitle,
    submit: t.designSubmit,
    close: t.cancel,
    privateMetadata: encodeRef({ p: p.id, v: p.version }),
    intro: intro(p),
    inputs: [{ id: FIELD.link, label: t.designLink, kind: 'url', initial: p.designUrl }],
  };
}

export function fixForm(f: Fmt, p: Piece): FormView {
  const t = f.m.form;
  return {
    callbackId: FORM.fix,
    title: t.fixTitle,
    submit: t.fixSubmit,
    close: t.cancel,
    privateMetadata: encodeRef({ p: p.id, v: p.version }),
    inputs: [
      { id: FIELD.title, label: t.title, kind: 'text', maxLength: MAX_TITLE, initial: p.title },
      { id: FIELD.body, label: t.body, kind: 'multiline', maxLength: MAX_BODY, initial: p.body, hint: t.bodyHint },
    ],
  };
}

export function publishForm(f: Fmt, p: Piece): FormView {
  const t = f.m.form;
  return {
    callbackId: FORM.publish,
    title: t.publishTitle,
    submit: t.publishSubmit,
    close: t.cancel,
    privateMetadata: encodeRef({ p: p.id, v: p.version }),
    intro: intro(p),
    inputs: [{ id: FIELD.link, label: t.publishLink, kind: 'url' }],
  };
}

/** A field error in the person's words. */
export function fieldErrorText(f: Fmt, e: FieldError): string {
  const fe = f.m.fieldError;
  switch (e.code) {
    case 'too_long':
      return fe.too_long(e);
    case 'too_long_for_network':
      return fe.too_long_for_network({ ...e, network: f.m.network[e.network] });
    default:
      return fe[e.code];
  }
}
