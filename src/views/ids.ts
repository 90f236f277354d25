/**
 * Every action and form id in one place: the views put them on buttons and forms, the
 * platform listeners route on them. Slack uses them as action_id / callback_id.
 */
export const ACTION = {
  approve: 'piece.approve',
  reject: 'piece.reject',
  history: 'piece.history',
  cancel: 'piece.cancel',
  publish: 'piece.publish',
  deliverDesign: 'piece.deliver_design',
  fix: 'piece.fix',
} as const;

export const FORM = {
  newPiece: 'piece.new',
  reject: 'piece.reject_form',
  deliverDesign: 'piece.design_form',
  fix: 'piece.fix_form',
  publish: 'piece.publish_form',
} as const;

/** Input ids of the new-piece form; they match the domain's field names so errors land on the right input. */
export const FIELD = {
  title: 'title',
  body: 'body',
  kind: 'kind',
  networks: 'networks',
  date: 'date',
  time: 'time',
  materials: 'materials',
  needsDesign: 'needs_design',
  reason: 'reason',
  link: 'link',
} as const;

/** What a button carries: the piece and the version the person saw. Never state. */
export interface ButtonRef {
  p: number;
  v: number;
}
export const encodeRef = (r: ButtonRef): string => JSON.stringify(r);

export const CAL_ACTION = {
  edit: 'cal.edit',
  remove: 'cal.remove',
} as const;

export const CAL_FORM = {
  add: 'cal.add_form',
  edit: 'cal.edit_form',
  remove: 'cal.remove_form',
} as const;

export const CAL_FIELD = {
  title: 'title',
  date: 'date',
  time: 'time',
  kind: 'kind',
  owner: 'owner',
  recurrence: 'recurrence',
  weekdays: 'weekdays',
  until: 'until',
  reminders: 'reminders',
  scope: 'scope',
  occurrence: 'occurrence',
} as const;

/** A calendar button's value: the entry, the occurrence it was shown for and the version the person saw. */
export interface EntryRef {
  e: number;
  d: string;
  v?: number;
}
export const encodeEntryRef = (r: EntryRef): string => JSON.stringify(r);

/** Inquiry buttons carry the inquiry's id only: every action re-checks its current state. */
export const INQ_ACTION = {
  take: 'inq.take',
  respond: 'inq.respond',
  transfer: 'inq.transfer',
  extend: 'inq.extend',
  history: 'inq.history',
  release: 'inq.release',
  detail: 'inq.detail',
} as const;

export const INQ_FORM = {
  register: 'inq.register_form',
  respond: 'inq.respond_form',
  extend: 'inq.extend_form',
  transfer: 'inq.transfer_form',
} as const;

/** The message shortcut «Registrar consulta» (Slack callback_id). */
export const INQ_SHORTCUT = 'inq.register_from_message';

export const INQ_FIELD = {
  channel: 'channel',
  type: 'type',
  name: 'name',
  contact: 'contact',
  text: 'text',
  receivedDate: 'received_date',
  receivedTime: 'received_time',
  source: 'source_link',
  summary: 'summary',
  answeredDate: 'answered_date',
  link: 'link',
  reason: 'reason',
  entity: 'entity',
} as const;
