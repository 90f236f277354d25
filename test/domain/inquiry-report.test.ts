import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from '../../src/domain/inquiries/business-days.js';
import { inquiryReport, parsePeriod } from '../../src/domain/inquiries/report.js';
import type { Inquiry, InquiryEvent } from '../../src/domain/inquiries/types.js';

// Weekends only (no holidays): the figures, not the calendar, are under test here.
const cal = new BusinessCalendar({ holidaysOn: () => [] }, [], { open: '09:00', close: '18:00' });
const term = { type: 'informacion' as const, days: 10, extensionDays: 10, law: 'Ley', article: 'art. 1' };
let seq = 0;
const inquiry = (o: Partial<Inquiry>): Inquiry => ({
  id: ++seq, year: 2026, number: seq, folio: `CONS-2026-${String(seq).padStart(4, '0')}`, channel: 'web', type: 'informacion',
  requester: { name: null, contact: null }, text: 't', sourceLink: null, receivedAt: 0, receiptDate: '2026-10-01', dueDate: '2026-10-15',
  extendedDueDate: null, term, policy: { ackMinutes: 15, repeatMinutes: 30 }, state: 'open', assigneeId: null, takenAt: null, closedAt: null,
  answeredDate: null, round: 0, version: 1, createdBy: 'api', createdAt: 0, updatedAt: 0, ...o,
});
const event = (i: Inquiry, name: InquiryEvent['event'], data: Record<string, unknown> = {}): InquiryEvent => ({ id: ++seq, inquiryId: i.id, event: name, actorId: 'p1', data, platform: 'slack', at: 0 });

describe('parsePeriod', () => {
  it('reads months and quarters, and nothing else', () => {
    expect(parsePeriod('2026-10')).toEqual({ kind: 'month', year: 2026, n: 10, from: '2026-10-01', to: '2026-10-31' });
    expect(parsePeriod('2026-2')).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
    expect(parsePeriod('2026-T3')).toEqual({ kind: 'quarter', year: 2026, n: 3, from: '2026-07-01', to: '2026-09-30' });
    expect(parsePeriod('2026-q4')).toMatchObject({ from: '2026-10-01', to: '2026-12-31' });
    for (const bad of ['2026-13', '2026-T5', 'octubre', '', '1999-01']) expect(parsePeriod(bad)).toBeNull();
  });
});

describe('inquiryReport', () => {
  it('on time against the due date in force, the median in business days, late transfers, overdue as of the day', () => {
    const a = inquiry({ state: 'answered', answeredDate: '2026-10-08' }); // 5 business days, on time
    const b = inquiry({ state: 'answered', answeredDate: '2026-10-16' }); // 11, late
    const c = inquiry({ state: 'answered', answeredDate: '2026-10-20', extendedDueDate: '2026-10-29' }); // 13, on time with the extension
    const d = inquiry({ state: 'answered', answeredDate: '2026-10-01', type: 'prensa', term: null, dueDate: null }); // 0, no term
    const e = inquiry({ state: 'transferred', answeredDate: '2026-10-12' });
    const f = inquiry({ state: 'taken', assigneeId: 'p2' }); // due 15 Oct, overdue on the 20th
    const g = inquiry({ state: 'open', dueDate: '2026-10-29' }); // not yet due
    const events = [event(c, 'extended'), event(e, 'transferred', { onTime: false })];
    const r = inquiryReport([a, b, c, d, e, f, g], events, cal, '2026-10-20');
    expect(r.total).toEqual({
      received: 7, answered: 4, answeredWithTerm: 3, onTime: 2, onTimePct: 66.7, answeredLate: 1,
      medianDays: 8, extended: 1, transferred: 1, transferredLate: 1, overdue: 1, open: 2,
    });
    expect(r.byType.map(([k, v]) => [k, v.received])).toEqual([['informacion', 6], ['prensa', 1]]);
    expect(r.byType.find(([k]) => k === 'prensa')![1]).toMatchObject({ onTimePct: null, medianDays: 0 });
  });

  it('nothing received: empty groups, no percentages', () => {
    const r = inquiryReport([], [], cal, '2026-10-20');
    expect(r.total).toMatchObject({ received: 0, onTimePct: null, medianDays: null });
    expect(r.byChannel).toEqual([]);
  });
});
