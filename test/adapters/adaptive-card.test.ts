import { describe, expect, it } from 'vitest';
import { cardOf, formOf, listOf, textRuns } from '../../src/adapters/teams/render/adaptive-card.js';
import { en } from '../../src/i18n/en.js';
import { es } from '../../src/i18n/es.js';
import type { Fmt } from '../../src/views/format.js';
import { entryForm } from '../../src/views/calendar-forms.js';
import { newInquiryForm } from '../../src/views/inquiry-forms.js';
import type { CardView, ListView } from '../../src/views/model.js';
import { newPieceForm } from '../../src/views/piece-forms.js';
import { cardProblems } from '../helpers/adaptive-cards.js';

const fmt: Fmt = { m: es, tz: 'America/Mexico_City', locale: 'es', now: () => Date.UTC(2026, 10, 20, 16), currency: 'MXN', numberLocale: 'es-MX' };
const ctx = { nameOf: (id: string) => (id === 'p1' ? 'Ana Pérez' : id) };

const hostile = '**negrita** _x_ [clic](https://evil.example) <at>Todos</at> # título\n- lista & <b>';

const card: CardView = {
  header: `Comunicado ${hostile}`,
  fields: [
    { label: 'Autora', value: [{ user: 'p1' }] },
    { label: 'Enlace', value: [{ link: 'https://oficina.example/a', label: 'borrador' }, ' ', { link: 'javascript:alert(1)' }] },
  ],
  body: [{ b: 'Motivo:' }, ' ', hostile],
  quote: [hostile],
  context: [['Use ', { cmd: 'pieza 12' }, ' · ', { i: 'nota' }]],
  actions: [
    { id: 'approve', label: 'Aprobar', value: '{"p":12,"v":3}', style: 'primary' },
    { id: 'reject', label: 'Rechazar', value: '{"p":12,"v":3}', style: 'danger' },
    { id: 'history', label: 'Historial', value: '12' },
  ],
  fallback: 'Comunicado',
};

describe('Adaptive Cards for Teams', () => {
  it('user text is never markdown: every piece is a TextRun, shown as typed', () => {
    const runs = textRuns([hostile, { user: 'p1' }, { b: 'x' }, { i: 'y' }, { cmd: 'consulta lista' }, { link: 'https://a.org', label: 'a' }, { link: 'ftp://x' }], ctx);
    expect(runs[0]).toEqual({ type: 'TextRun', text: hostile });
    expect(runs.slice(1)).toEqual([
      { type: 'TextRun', text: 'Ana Pérez', weight: 'Bolder' },
      { type: 'TextRun', text: 'x', weight: 'Bolder' },
      { type: 'TextRun', text: 'y', italic: true },
      { type: 'TextRun', text: 'consulta lista', fontType: 'Monospace' },
      { type: 'TextRun', text: 'a', selectAction: { type: 'Action.OpenUrl', url: 'https://a.org/' } },
      { type: 'TextRun', text: 'ftp://x' },
    ]);
    const json = JSON.stringify(cardOf(card, ctx));
    // No TextBlock (the only element Teams runs markdown on) anywhere.
    expect(json).not.toContain('"TextBlock"');
    // A link that is not http(s) is shown as text, never opened.
    expect(json).not.toContain('"url":"javascript');
  });

  it('a card parses with Microsoft’s library at 1.5, its actions are Action.Execute with a verb and only the value', () => {
    const c = cardOf(card, ctx);
    expect(cardProblems(c)).toEqual([]);
    expect(c.actions).toEqual([
      { type: 'Action.Execute', title: 'Aprobar', verb: 'approve', data: { piece: 12, version: 3 }, style: 'positive' },
      { type: 'Action.Execute', title: 'Rechazar', verb: 'reject', data: { piece: 12, version: 3 }, style: 'destructive' },
      { type: 'Action.Execute', title: 'Historial', verb: 'history', data: { value: '12' } },
    ]);
  });

  it('the forms parse, with every input kind, required ones marked, the form id as verb and its metadata carried back', () => {
    for (const m of [es, en]) {
      const f = { ...fmt, m };
      for (const view of [newPieceForm(f), entryForm(f, '{"c":"C1"}'), newInquiryForm(f, { text: hostile, sourceLink: 'https://oficina.slack.com/archives/C1/p1' }, '{"c":"C1"}')]) {
        const c = formOf(view, ctx);
        expect(cardProblems(c), view.callbackId).toEqual([]);
        expect(c.actions).toEqual([expect.objectContaining({ type: 'Action.Execute', verb: view.callbackId, data: { meta: view.privateMetadata } })]);
        const inputs = (c.body as { type: string; id?: string; isRequired?: boolean }[]).filter((b) => b.type.startsWith('Input.'));
        expect(inputs.map((i) => i.id)).toEqual(view.inputs.map((i) => i.id));
        expect(inputs.map((i) => i.isRequired)).toEqual(view.inputs.map((i) => !i.optional));
      }
    }
  });

  it('a validation error shows under its input', () => {
    const view = newInquiryForm(fmt);
    const c = formOf(view, ctx, { text: 'Escriba el texto de la consulta.' });
    expect(cardProblems(c)).toEqual([]);
    const body = c.body as { type: string; id?: string }[];
    const at = body.findIndex((b) => b.id === 'text');
    expect(JSON.stringify(body[at + 1])).toContain('Escriba el texto de la consulta.');
  });

  it('the biggest list stays under Teams’ size limit and still parses', () => {
    const items = Array.from({ length: 3000 }, (_, i) => [`#${i} `, { b: 'pieza con un título bastante largo para una lista' }, ' · ', { user: 'p1' }]);
    const list: ListView = { title: 'Resumen del día', note: 'con retraso', sections: [{ heading: 'Por revisar', items, more: ['y más'] }, { heading: 'Consultas', items: items.slice(0, 50) }], empty: 'Nada' };
    const c = listOf(list, ctx);
    expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThan(80_000);
    expect(cardProblems(c)).toEqual([]);
    expect(JSON.stringify(c)).toContain('…');
    const empty = listOf({ title: 'Pendientes', sections: [], empty: ['Nada pendiente. Use ', { cmd: 'pieza nueva' }] }, ctx);
    expect(cardProblems(empty)).toEqual([]);
  });
});
