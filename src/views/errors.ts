import type { PieceEvent, Stage } from '../domain/approvals/types.js';
import type { Party } from '../domain/approvals/transitions.js';
import type { DomainError } from '../domain/shared/errors.js';
import type { Role } from '../domain/shared/roles.js';
import { formatWhen, type Fmt } from './format.js';
import { dayText } from './inquiry-views.js';
import { withMention, type Rich } from './model.js';

/** A coded domain error as a sentence that says what happened and what to do. */
export function domainErrorText(f: Fmt, err: DomainError): Rich {
  const e = f.m.error;
  const p = err.params as {
    event?: PieceEvent | null;
    stage?: Stage;
    pieceId?: number;
    actorId?: string | null;
    at?: number | null;
    who?: Party[];
    userId?: string;
    role?: string;
  };
  const verb = p.event ? f.m.eventVerb[p.event] : '';
  switch (err.code) {
    case 'approval.not_allowed':
      return [e.not_allowed(verb, (p.who ?? []).map((w) => f.m.party[w]).join(f.m.or))];
    case 'approval.self_approval':
      return [e.self_approval];
    case 'approval.stale_version': {
      const clickedVerb = (err.params.clicked as PieceEvent | undefined) ?? p.event ?? 'approve';
      if (p.event && p.actorId && p.at) {
        const { event, at } = p;
        return withMention((who) => e.stale(f.m.eventVerb[clickedVerb], f.m.eventDone[event], who, formatWhen(f, at)), p.actorId);
      }
      return [e.staleNoEvent(f.m.eventVerb[clickedVerb], f.m.stageNow[p.stage ?? 'draft'])];
    }
    case 'approval.invalid_event':
      return [e.invalid_event(verb, f.m.stageNow[p.stage ?? 'draft'])];
    case 'approval.not_found':
      return [e.not_found(p.pieceId ?? 0)];
    case 'approval.reason_required':
      return [e.reason_required];
    case 'approval.invalid_link':
      return [e.invalid_link];
    case 'roles.not_admin':
      return [e.not_admin];
    case 'roles.env_role': {
      return withMention((who) => e.env_role(who, f.m.role[(p.role ?? 'admin') as Role]), p.userId ?? '');
    }
    case 'roles.unknown_role':
      return [e.unknown_role(p.role ?? '')];
    case 'calendar.not_found':
      return [f.m.cal.error.not_found(Number(err.params.entryId))];
    case 'calendar.not_allowed':
      return [f.m.cal.error.not_allowed];
    case 'calendar.no_occurrence':
      return [f.m.cal.error.no_occurrence(String(err.params.date))];
    case 'inquiry.not_found':
      return [f.m.inq.error.not_found(String(err.params.ref ?? ''))];
    case 'inquiry.not_allowed': {
      const assignee = err.params.assignee as string | null | undefined;
      return assignee ? withMention(f.m.inq.error.not_assignee, assignee) : [f.m.inq.error.not_allowed];
    }
    case 'inquiry.taken': {
      const folio = String(err.params.folio ?? '');
      const by = err.params.by as string | null;
      const at = err.params.at as number | null;
      if (err.params.self) return [f.m.inq.error.takenSelf(folio)];
      if (!by || !at) return [f.m.inq.error.takenUnknown(folio)];
      const when = formatWhen(f, at);
      return withMention((who) => f.m.inq.error.taken(folio, who, when), by);
    }
    case 'inquiry.closed': {
      const folio = String(err.params.folio ?? '');
      const state = f.m.inq.state[(err.params.state as 'answered' | 'transferred') ?? 'answered'];
      const by = err.params.by as string | null;
      const at = err.params.at as number | null;
      if (!by || !at) return [f.m.inq.pageClosed(state)];
      const when = formatWhen(f, at);
      return withMention((who) => f.m.inq.error.closed(folio, state, who, when), by);
    }
    case 'inquiry.not_taken':
      return [f.m.inq.error.not_taken(String(err.params.folio ?? ''))];
    case 'inquiry.no_term':
      return [f.m.inq.error.no_term(String(err.params.folio ?? ''))];
    case 'inquiry.extension_late':
      return [f.m.inq.error.extension_late(String(err.params.folio ?? ''), dayText(f, String(err.params.due)))];
    case 'inquiry.already_extended':
      return [f.m.inq.error.already_extended(String(err.params.folio ?? ''), dayText(f, String(err.params.until)))];
    case 'inquiry.invalid_input':
      return [f.m.inq.error.invalid_input];
    case 'inquiry.invalid_answer_date':
      return [f.m.inq.problem.answeredDate(String(err.params.received ?? ''))];
    case 'oncall.not_allowed':
      return [f.m.inq.error.oncall_not_allowed];
    case 'oncall.invalid_dates':
      return err.params.missing !== undefined ? f.m.inq.error.oncall_no_cover(Number(err.params.missing)) : [f.m.inq.error.oncall_invalid_dates];
    case 'oncall.empty_rotation':
      return [f.m.inq.error.oncall_empty];
    case 'calendar.stale_version': {
      const id = Number(err.params.entryId);
      const { actorId, at } = p;
      if (!actorId || !at) return [f.m.cal.error.staleUnknown(id)];
      const when = formatWhen(f, at);
      return withMention((who) => (err.params.deleted ? f.m.cal.error.staleDeleted(who, when) : f.m.cal.error.stale(who, when, id)), actorId);
    }
  }
}
