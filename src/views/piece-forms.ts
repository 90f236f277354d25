import type { RawPieceInput } from '../domain/approvals/validate.js';
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

/** A form that completes one decision on a piece; it remembers the version the person clicked on. */
function decisionForm(p: Piece, callbackId: string, title: string, submit: string, close: string, inputs: FormView['inputs'], withIntro = true): FormView {
  return { callbackId, title, submit, close, privateMetadata: encodeRef({ p: p.id, v: p.version }), ...(withIntro ? { intro: intro(p) } : {}), inputs };
}

export const rejectForm = (f: Fmt, p: Piece): FormView =>
  decisionForm(p, FORM.reject, f.m.form.rejectTitle, f.m.form.rejectSubmit, f.m.form.cancel, [
    { id: FIELD.reason, label: f.m.form.reason, kind: 'multiline', maxLength: MAX_REASON, hint: f.m.form.reasonHint },
  ]);

export const designForm = (f: Fmt, p: Piece): FormView =>
  decisionForm(p, FORM.deliverDesign, f.m.form.designTitle, f.m.form.designSubmit, f.m.form.cancel, [
    { id: FIELD.link, label: f.m.form.designLink, kind: 'url', initial: p.designUrl },
  ]);

export const publishForm = (f: Fmt, p: Piece): FormView =>
  decisionForm(p, FORM.publish, f.m.form.publishTitle, f.m.form.publishSubmit, f.m.form.cancel, [
    { id: FIELD.link, label: f.m.form.publishLink, kind: 'url' },
  ]);

/** Fix and resend: the current title and text, prefilled. */
export const fixForm = (f: Fmt, p: Piece): FormView =>
  decisionForm(
    p,
    FORM.fix,
    f.m.form.fixTitle,
    f.m.form.fixSubmit,
    f.m.form.cancel,
    [
      { id: FIELD.title, label: f.m.form.title, kind: 'text', maxLength: MAX_TITLE, initial: p.title },
      { id: FIELD.body, label: f.m.form.body, kind: 'multiline', maxLength: MAX_BODY, initial: p.body, hint: f.m.form.bodyHint },
    ],
    false,
  );

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

/** A submitted new-piece form (any surface: each reads its form into input id → value) as the domain's raw input. */
export function rawPieceInput(v: Record<string, string | string[] | null | undefined>): RawPieceInput {
  const one = (x: string | string[] | null | undefined): string => (typeof x === 'string' ? x : '');
  const many = (x: string | string[] | null | undefined): string[] => (Array.isArray(x) ? x : []);
  return {
    title: one(v[FIELD.title]),
    body: one(v[FIELD.body]),
    kind: one(v[FIELD.kind]),
    networks: many(v[FIELD.networks]),
    date: one(v[FIELD.date]) || null,
    time: one(v[FIELD.time]) || null,
    materialsUrl: one(v[FIELD.materials]) || null,
    needsDesign: many(v[FIELD.needsDesign]).length > 0,
  };
}
