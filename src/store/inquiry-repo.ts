import type { InquiryRepository, NewInquiryRow } from '../domain/inquiries/ports.js';
import { folioOf, type Inquiry, type InquiryEvent, type InquiryState } from '../domain/inquiries/types.js';
import { inTransaction, type DB } from './db.js';

interface Row {
  id: number;
  year: number;
  number: number;
  channel: string;
  type: string;
  requester_name: string | null;
  requester_contact: string | null;
  text: string;
  source_link: string | null;
  received_at: number;
  receipt_date: string;
  due_date: string | null;
  extended_due_date: string | null;
  term: string | null;
  policy: string;
  state: string;
  assignee_id: string | null;
  taken_at: number | null;
  closed_at: number | null;
  answered_date: string | null;
  escalation_round: number;
  version: number;
  created_by: string;
  created_at: number;
  updated_at: number;
}

const toInquiry = (r: Row): Inquiry => ({
  id: r.id,
  year: r.year,
  number: r.number,
  folio: folioOf(r.year, r.number),
  channel: r.channel as Inquiry['channel'],
  type: r.type as Inquiry['type'],
  requester: { name: r.requester_name, contact: r.requester_contact },
  text: r.text,
  sourceLink: r.source_link,
  receivedAt: r.received_at,
  receiptDate: r.receipt_date,
  dueDate: r.due_date,
  extendedDueDate: r.extended_due_date,
  term: r.term ? (JSON.parse(r.term) as Inquiry['term']) : null,
  policy: JSON.parse(r.policy) as Inquiry['policy'],
  state: r.state as InquiryState,
  assigneeId: r.assignee_id,
  takenAt: r.taken_at,
  closedAt: r.closed_at,
  answeredDate: r.answered_date,
  round: r.escalation_round,
  version: r.version,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

interface EventRow {
  id: number;
  inquiry_id: number;
  event: string;
  actor_id: string;
  data: string;
  platform: string;
  at: number;
}
const toEvent = (r: EventRow): InquiryEvent => ({ id: r.id, inquiryId: r.inquiry_id, event: r.event as InquiryEvent['event'], actorId: r.actor_id, data: JSON.parse(r.data) as Record<string, unknown>, platform: r.platform, at: r.at });

const DUE = 'coalesce(extended_due_date, due_date)';
const OPEN = `state IN ('open', 'taken')`;

export class SqliteInquiryRepository implements InquiryRepository {
  private readonly q;

  constructor(private readonly db: DB) {
    this.q = {
      nextNumber: db.prepare<[number], { last: number }>(
        `INSERT INTO inquiry_folios (year, last) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last`,
      ),
      insert: db.prepare(
        `INSERT INTO inquiries (year, number, channel, type, requester_name, requester_contact, text, source_link, received_at, receipt_date,
           due_date, extended_due_date, term, policy, state, assignee_id, taken_at, closed_at, answered_date, escalation_round, version,
           created_by, created_at, updated_at)
         VALUES (@year, @number, @channel, @type, @name, @contact, @text, @sourceLink, @receivedAt, @receiptDate,
           @dueDate, @extendedDueDate, @term, @policy, @state, @assigneeId, @takenAt, @closedAt, @answeredDate, @round, 1,
           @createdBy, @createdAt, @createdAt) RETURNING *`,
      ),
      get: db.prepare<[number], Row>('SELECT * FROM inquiries WHERE id = ?'),
      byFolio: db.prepare<[number, number], Row>('SELECT * FROM inquiries WHERE year = ? AND number = ?'),
      latestByNumber: db.prepare<[number], Row>('SELECT * FROM inquiries WHERE number = ? ORDER BY year DESC LIMIT 1'),
      update: db.prepare(
        `UPDATE inquiries SET receipt_date = @receiptDate, due_date = @dueDate, extended_due_date = @extendedDueDate, term = @term,
           state = @state, assignee_id = @assigneeId,
           taken_at = @takenAt, closed_at = @closedAt, answered_date = @answeredDate, escalation_round = @round,
           version = @version, updated_at = @updatedAt
         WHERE id = @id AND version = @expected`,
      ),
      appendEvent: db.prepare('INSERT INTO inquiry_events (inquiry_id, event, actor_id, data, platform, at) VALUES (?, ?, ?, ?, ?, ?)'),
      events: db.prepare<[number], EventRow>('SELECT * FROM inquiry_events WHERE inquiry_id = ? ORDER BY id'),
      origin: db.prepare<[string], { inquiry_id: number; request: string }>('SELECT inquiry_id, request FROM inquiry_origins WHERE origin_key = ?'),
      recordOrigin: db.prepare('INSERT INTO inquiry_origins (origin_key, inquiry_id, request, created_at) VALUES (?, ?, ?, ?)'),
      open: db.prepare<[number], Row>(`SELECT * FROM inquiries WHERE ${OPEN} ORDER BY ${DUE} IS NULL, ${DUE}, id LIMIT ?`),
      openCount: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM inquiries WHERE ${OPEN}`),
      dueBetween: db.prepare<[string, string, number], Row>(`SELECT * FROM inquiries WHERE ${OPEN} AND ${DUE} BETWEEN ? AND ? ORDER BY ${DUE}, id LIMIT ?`),
      countDueBetween: db.prepare<[string, string], { n: number }>(`SELECT count(*) AS n FROM inquiries WHERE ${OPEN} AND ${DUE} BETWEEN ? AND ?`),
      overdue: db.prepare<[string, number], Row>(`SELECT * FROM inquiries WHERE ${OPEN} AND ${DUE} < ? ORDER BY ${DUE}, id LIMIT ?`),
      overdueCount: db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM inquiries WHERE ${OPEN} AND ${DUE} < ?`),
      unassigned: db.prepare<[number], Row>(`SELECT * FROM inquiries WHERE state = 'open' ORDER BY received_at, id LIMIT ?`),
      unassignedCount: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM inquiries WHERE state = 'open'`),
      takenBy: db.prepare<[string], Row>(`SELECT * FROM inquiries WHERE assignee_id = ? AND state = 'taken' ORDER BY ${DUE} IS NULL, ${DUE}, id`),
      receivedBetween: db.prepare<[number, number], Row>('SELECT * FROM inquiries WHERE received_at >= ? AND received_at < ? ORDER BY received_at, id'),
      closedBetween: db.prepare<[string, string], Row>(`SELECT * FROM inquiries WHERE state IN ('answered', 'transferred') AND answered_date BETWEEN ? AND ? ORDER BY id`),
    };
  }

  transaction<T>(fn: () => T): T {
    return inTransaction(this.db, fn);
  }

  insert(row: NewInquiryRow, year: number): Inquiry {
    return this.transaction(() => {
      const number = this.q.nextNumber.get(year)!.last;
      const r = this.q.insert.get({
        year,
        number,
        channel: row.channel,
        type: row.type,
        name: row.requester.name,
        contact: row.requester.contact,
        text: row.text,
        sourceLink: row.sourceLink,
        receivedAt: row.receivedAt,
        receiptDate: row.receiptDate,
        dueDate: row.dueDate,
        extendedDueDate: row.extendedDueDate,
        term: row.term ? JSON.stringify(row.term) : null,
        policy: JSON.stringify(row.policy),
        state: row.state,
        assigneeId: row.assigneeId,
        takenAt: row.takenAt,
        closedAt: row.closedAt,
        answeredDate: row.answeredDate,
        round: row.round,
        createdBy: row.createdBy,
        createdAt: row.createdAt,
      }) as Row;
      return toInquiry(r);
    });
  }

  get(id: number): Inquiry | null {
    const r = this.q.get.get(id);
    return r ? toInquiry(r) : null;
  }

  byFolio(year: number, number: number): Inquiry | null {
    const r = this.q.byFolio.get(year, number);
    return r ? toInquiry(r) : null;
  }

  latestByNumber(number: number): Inquiry | null {
    const r = this.q.latestByNumber.get(number);
    return r ? toInquiry(r) : null;
  }

  updateIfVersion(next: Inquiry, expected: number): boolean {
    return (
      this.q.update.run({
        id: next.id,
        expected,
        receiptDate: next.receiptDate,
        term: next.term ? JSON.stringify(next.term) : null,
        dueDate: next.dueDate,
        extendedDueDate: next.extendedDueDate,
        state: next.state,
        assigneeId: next.assigneeId,
        takenAt: next.takenAt,
        closedAt: next.closedAt,
        answeredDate: next.answeredDate,
        round: next.round,
        version: next.version,
        updatedAt: next.updatedAt,
      }).changes === 1
    );
  }

  appendEvent(e: Omit<InquiryEvent, 'id'>): void {
    this.q.appendEvent.run(e.inquiryId, e.event, e.actorId, JSON.stringify(e.data), e.platform, e.at);
  }

  events(inquiryId: number): InquiryEvent[] {
    return this.q.events.all(inquiryId).map(toEvent);
  }

  origin(key: string): { inquiryId: number; request: string } | null {
    const r = this.q.origin.get(key);
    return r ? { inquiryId: r.inquiry_id, request: r.request } : null;
  }

  recordOrigin(key: string, inquiryId: number, request: string, now: number): void {
    this.q.recordOrigin.run(key, inquiryId, request, now);
  }

  open(limit: number): { inquiries: Inquiry[]; total: number } {
    return { inquiries: this.q.open.all(limit).map(toInquiry), total: this.q.openCount.get()!.n };
  }

  dueBetween(from: string, to: string, limit: number): Inquiry[] {
    return this.q.dueBetween.all(from, to, limit).map(toInquiry);
  }

  overdue(date: string, limit: number): { inquiries: Inquiry[]; total: number } {
    return { inquiries: this.q.overdue.all(date, limit).map(toInquiry), total: this.q.overdueCount.get(date)!.n };
  }

  unassigned(limit: number): { inquiries: Inquiry[]; total: number } {
    return { inquiries: this.q.unassigned.all(limit).map(toInquiry), total: this.q.unassignedCount.get()!.n };
  }

  setting(key: string): string | null {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM inquiry_settings WHERE key = ?').get(key)?.value ?? null;
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT INTO inquiry_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  countDueBetween(from: string, to: string): number {
    return this.q.countDueBetween.get(from, to)!.n;
  }

  /**
   * Not taken and with no escalation step pending: nobody would be paged again. (Reads the core's
   * jobs table: the one place the inquiry store looks at another feature's rows.)
   */
  withoutPendingPage(): Inquiry[] {
    return this.db
      .prepare<[], Row>(
        // One pass over the pending steps (uncorrelated): a correlated NOT EXISTS let SQLite pick the
        // (kind, state) index and scan every pending step per inquiry — 400 ms at 10,000 open.
        `SELECT i.* FROM inquiries i WHERE i.state = 'open'
           AND i.id NOT IN (SELECT CAST(substr(j.subject, 9) AS INTEGER) FROM jobs j
                            WHERE j.kind = 'inquiry.page' AND j.state = 'pending' AND j.subject LIKE 'inquiry:%')`,
      )
      .all()
      .map(toInquiry);
  }

  /** Who has inquiries taken and unanswered, with their ids (no rows decoded: the morning job asks for thousands). */
  takenIds(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const r of this.db.prepare<[], { id: number; assignee_id: string }>(`SELECT id, assignee_id FROM inquiries WHERE state = 'taken' AND assignee_id IS NOT NULL`).all()) {
      out.set(r.assignee_id, [...(out.get(r.assignee_id) ?? []), r.id]);
    }
    return out;
  }

  takenBy(personId: string): Inquiry[] {
    return this.q.takenBy.all(personId).map(toInquiry);
  }

  inState(states: readonly InquiryState[]): Inquiry[] {
    if (!states.length) return [];
    const rows = this.db.prepare<string[], Row>(`SELECT * FROM inquiries WHERE state IN (${states.map(() => '?').join(',')}) ORDER BY id`).all(...states);
    return rows.map(toInquiry);
  }

  receivedBetween(from: number, to: number): Inquiry[] {
    return this.q.receivedBetween.all(from, to).map(toInquiry);
  }

  closedBetween(from: string, to: string): Inquiry[] {
    return this.q.closedBetween.all(from, to).map(toInquiry);
  }

  eventsOf(ids: readonly number[]): InquiryEvent[] {
    const out: InquiryEvent[] = [];
    // In chunks: SQLite limits the number of bound parameters.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.db.prepare<number[], EventRow>(`SELECT * FROM inquiry_events WHERE inquiry_id IN (${chunk.map(() => '?').join(',')}) ORDER BY inquiry_id, id`).all(...chunk);
      out.push(...rows.map(toEvent));
    }
    return out;
  }

  /** Cards and pages posted about an inquiry, to update in place. */
  recordMessage(m: { surface: string; channel: string; ts: string; inquiryId: number; kind: string; version: number }, now: number): void {
    this.db
      .prepare('INSERT INTO inquiry_messages (surface, channel, ts, inquiry_id, kind, created_at, rendered) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(m.surface, m.channel, m.ts, m.inquiryId, m.kind, now, m.version);
  }

  /** The channel card first, then the newest pages first: after a Tomar, what people look at changes first. */
  messagesFor(inquiryId: number, surface: string): { channel: string; ts: string; kind: string; rendered: number }[] {
    return this.db
      .prepare<[number, string], { channel: string; ts: string; kind: string; rendered: number }>("SELECT channel, ts, kind, rendered FROM inquiry_messages WHERE inquiry_id = ? AND surface = ? ORDER BY kind = 'card' DESC, created_at DESC, ts DESC")
      .all(inquiryId, surface);
  }

  /** This message now shows version `version` of its inquiry. */
  markRendered(surface: string, channel: string, ts: string, version: number): void {
    this.db.prepare('UPDATE inquiry_messages SET rendered = max(rendered, ?) WHERE surface = ? AND channel = ? AND ts = ?').run(version, surface, channel, ts);
  }

  forgetMessage(surface: string, channel: string, ts: string): void {
    this.db.prepare('DELETE FROM inquiry_messages WHERE surface = ? AND channel = ? AND ts = ?').run(surface, channel, ts);
  }
}
