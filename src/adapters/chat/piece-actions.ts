import { isHttpUrl } from '../../domain/approvals/transitions.js';
import type { Network, Piece, PieceEvent } from '../../domain/approvals/types.js';
import { checkBodyForNetworks, checkTitle, validateNewPiece } from '../../domain/approvals/validate.js';
import type { PersonId } from '../../domain/people/types.js';
import { isDomainError } from '../../domain/shared/errors.js';
import { domainErrorText } from '../../views/errors.js';
import { ACTION, FIELD, FORM } from '../../views/ids.js';
import type { FormView } from '../../views/model.js';
import { designForm, fieldErrorText, fixForm, newPieceForm, publishForm, rawPieceInput, rejectForm } from '../../views/piece-forms.js';
import { historyList, pieceCard } from '../../views/piece-views.js';
import type { CommandDeps, CommandReply } from './commands.js';
import { formStr, metaOf, readForm, refilled } from './forms.js';

/** The piece's card again for the person who asked (Teams' refresh verb, a confirmation's «no»). */
export const PIECE_VIEW = 'piece.refresh';
/** The second step of Cancelar: the person confirmed. */
export const CANCEL_CONFIRMED = 'piece.cancel_confirmed';

type DecisionForm = { event: PieceEvent; form: (p: Piece) => FormView };

const pieceRef = (data: Record<string, unknown>): { p: number; v: number } | null => {
  const p = Number(data.piece);
  const v = Number(data.version);
  return Number.isSafeInteger(p) && p > 0 && Number.isSafeInteger(v) && v > 0 ? { p, v } : null;
};

const outdated = (d: CommandDeps, data: Record<string, unknown>): CommandReply => {
  const p = Number(data.piece);
  return { kind: 'text', lines: [d.core.fmt.m.outdated.button(Number.isSafeInteger(p) && p > 0 ? p : null)] };
};

/** Which of a piece's buttons a person may use now (Historial, for everyone). */
export function mayUse(d: CommandDeps, pieceId: number, version: number, person: PersonId): (actionId: string) => boolean {
  const events: Record<string, PieceEvent> = { [ACTION.approve]: 'approve', [ACTION.reject]: 'reject', [ACTION.cancel]: 'cancel', [ACTION.publish]: 'publish', [ACTION.deliverDesign]: 'deliver_design', [ACTION.fix]: 'resubmit' };
  return (actionId) => {
    const event = events[actionId];
    if (!event) return true;
    try {
      d.core.approvals.check({ pieceId, version, event, userId: person });
      return true;
    } catch (e) {
      if (isDomainError(e)) return false;
      throw e;
    }
  };
}

const buttonForms = (d: CommandDeps): Record<string, DecisionForm> => {
  const f = d.core.fmt;
  return {
    [ACTION.reject]: { event: 'reject', form: (p) => rejectForm(f, p) },
    [ACTION.publish]: { event: 'publish', form: (p) => publishForm(f, p) },
    [ACTION.deliverDesign]: { event: 'deliver_design', form: (p) => designForm(f, p) },
    [ACTION.fix]: { event: 'resubmit', form: (p) => fixForm(f, p) },
  };
};

const submittedForms = (d: CommandDeps): Record<string, DecisionForm> => {
  const f = d.core.fmt;
  return {
    [FORM.reject]: { event: 'reject', form: (p) => rejectForm(f, p) },
    [FORM.publish]: { event: 'publish', form: (p) => publishForm(f, p) },
    [FORM.deliverDesign]: { event: 'deliver_design', form: (p) => designForm(f, p) },
    [FORM.fix]: { event: 'resubmit', form: (p) => fixForm(f, p) },
  };
};

/**
 * A piece's buttons and forms, as in Slack: {piece, version} from the card — never state — and one
 * use-case. Null when the verb is not a piece's (another feature's, see runAction). A domain refusal
 * (a stale version, a role the person lacks) is told on top of the piece's current card.
 * `data.confirmed` is a surface that asked «¿Cancelar?» itself (the console); Teams asks on the card.
 */
export function pieceAction(d: CommandDeps, person: PersonId, verb: string, data: Record<string, unknown>): CommandReply | null {
  const { core } = d;
  const f = core.fmt;
  const ref = pieceRef(data);
  const pieceId = ref?.p ?? Number(data.piece);
  const current = (id: number, extra: Omit<Extract<CommandReply, { kind: 'piece' }>, 'kind' | 'pieceId'> = {}): CommandReply => ({ kind: 'piece', pieceId: id, ...extra });
  try {
    if (verb === PIECE_VIEW) return current(pieceId, { forPerson: person });
    if (verb === ACTION.cancel && !data.confirmed) {
      if (!ref) return outdated(d, data);
      const p = core.approvals.check({ pieceId: ref.p, version: ref.v, event: 'cancel', userId: person });
      const cancel = pieceCard(f, p, core.pieces.events(p.id).at(-1) ?? null).actions.find((x) => x.id === ACTION.cancel);
      if (!cancel?.confirm) return current(p.id);
      const ask = cancel.confirm;
      const value = JSON.stringify({ p: p.id, v: p.version });
      return {
        kind: 'card',
        view: { header: ask.title, fields: [], body: [ask.text], context: [], fallback: ask.title, actions: [{ id: CANCEL_CONFIRMED, label: ask.yes, value, style: 'danger' }, { id: PIECE_VIEW, label: ask.no, value }] },
      };
    }
    if (verb === ACTION.approve || verb === CANCEL_CONFIRMED || verb === ACTION.cancel) {
      if (!ref) return outdated(d, data);
      core.approvals.decide({ pieceId: ref.p, version: ref.v, event: verb === ACTION.approve ? 'approve' : 'cancel', userId: person, platform: d.surface });
      core.kickOutbox();
      return current(ref.p);
    }
    const opens = buttonForms(d)[verb];
    if (opens) {
      if (!ref) return outdated(d, data);
      const p = core.approvals.check({ pieceId: ref.p, version: ref.v, event: opens.event, userId: person });
      return { kind: 'form', view: opens.form(p) };
    }
    if (verb === ACTION.history) {
      const id = Number(data.value ?? data.piece);
      const { piece: p, events } = core.approvals.history(id);
      return current(p.id, { history: historyList(f, p, events) });
    }
    if (verb === FORM.newPiece) return submitPiece(d, person, data);
    const submitted = submittedForms(d)[verb];
    if (submitted) return submitDecision(d, person, verb, submitted, data);
    return null;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    const text = domainErrorText(f, e);
    return Number.isSafeInteger(pieceId) && pieceId > 0 && core.pieces.get(pieceId) ? current(pieceId, { notice: text }) : { kind: 'text', lines: [text] };
  }
}

/** A decision form (reject, design, publish, fix): errors on the form, else the decision and the piece's card. */
function submitDecision(d: CommandDeps, person: PersonId, verb: string, decision: DecisionForm, data: Record<string, unknown>): CommandReply {
  const { core } = d;
  const f = core.fmt;
  const meta = metaOf(data);
  const ref = pieceRef({ piece: meta.p, version: meta.v });
  if (!ref) return outdated(d, {});
  const piece = core.approvals.get(ref.p);
  const view = decision.form({ ...piece, version: ref.v });
  const v = readForm(view, data);
  const errors: Record<string, string> = {};
  let input: { reason?: string; link?: string; title?: string; body?: string } = {};
  if (verb === FORM.reject) {
    const reason = formStr(v[FIELD.reason]).trim();
    if (reason) input = { reason };
    else errors[FIELD.reason] = f.m.error.reason_required;
  } else if (verb === FORM.deliverDesign || verb === FORM.publish) {
    const url = formStr(v[FIELD.link]).trim();
    if (isHttpUrl(url)) input = { link: url };
    else errors[FIELD.link] = f.m.error.invalid_link;
  } else {
    const title = formStr(v[FIELD.title]).trim();
    const body = formStr(v[FIELD.body]).trim();
    const te = checkTitle(title);
    if (te) errors[FIELD.title] = fieldErrorText(f, te);
    const be = body ? checkBodyForNetworks(body, piece.networks as Network[]) : ({ code: 'required' } as const);
    if (be) errors[FIELD.body] = fieldErrorText(f, be);
    input = { title, body };
  }
  if (Object.keys(errors).length) return { kind: 'form', view: refilled(view, v), errors };
  core.approvals.decide({ pieceId: ref.p, version: ref.v, event: decision.event, userId: person, platform: d.surface, input });
  core.kickOutbox();
  return { kind: 'piece', pieceId: ref.p };
}

/** The new-piece form: errors on the form (nothing stored), else the piece, once per form. */
function submitPiece(d: CommandDeps, person: PersonId, data: Record<string, unknown>): CommandReply {
  const { core } = d;
  const f = core.fmt;
  const meta = metaOf(data);
  const view = newPieceForm(f, typeof data.meta === 'string' ? data.meta : '');
  const v = readForm(view, data);
  const result = validateNewPiece(rawPieceInput(v), f.now(), f.tz);
  if (!result.ok) {
    const errors = Object.fromEntries(Object.entries(result.errors).map(([k, e]) => [k, fieldErrorText(f, e!)]));
    return { kind: 'form', view: refilled(view, v), errors };
  }
  // The form's own key makes a second click on «Enviar» the same piece, never a second one.
  const key = `${d.surface}:form:${typeof meta.k === 'string' && meta.k ? meta.k : d.newFormKey()}`;
  const { piece } = core.approvals.submit(result.value, person, d.surface, key);
  core.kickOutbox();
  return { kind: 'text', lines: [[f.m.reply.submitted(piece.id)]] };
}
