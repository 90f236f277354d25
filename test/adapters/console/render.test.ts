import { describe, it, expect } from 'vitest';
import { cardHtml, confirmHtml, esc, fieldId, formHtml, inlineHtml, listHtml, textHtml, type HtmlContext } from '../../../src/adapters/console/render.js';
import type { Piece } from '../../../src/domain/approvals/types.js';
import { messagesFor } from '../../../src/i18n/index.js';
import { entryForm } from '../../../src/views/calendar-forms.js';
import type { Fmt } from '../../../src/views/format.js';
import { ACTION, FORM } from '../../../src/views/ids.js';
import type { CardView, FormView, ListView } from '../../../src/views/model.js';
import { newPieceForm, rejectForm } from '../../../src/views/piece-forms.js';
import { pendingList, pieceCard } from '../../../src/views/piece-views.js';

const m = messagesFor('es');
const fmt: Fmt = { m, tz: 'America/Mexico_City', locale: 'es', now: () => Date.UTC(2026, 10, 20, 16), currency: 'MXN', numberLocale: 'es-MX' };

const XSS = `<script>alert("x&'y")</script>`;

const ctx: HtmlContext = {
  m,
  nameOf: (id) => (id === 'p1' ? 'Ana Pérez' : id === 'evil' ? XSS : id),
  csrf: 'tok"en<1>',
  as: 'p1',
  conversation: 'review',
  people: [
    { email: 'ana@oficina.example', label: 'Ana Pérez' },
    { email: 'x@oficina.example', label: XSS },
  ],
};

const piece: Piece = {
  id: 12,
  title: XSS,
  body: `Texto ${XSS}\nsegunda línea`,
  kind: 'post',
  networks: ['x', 'instagram'],
  plannedAt: Date.UTC(2026, 10, 24, 16),
  plannedHasTime: true,
  materialsUrl: 'javascript:alert(1)',
  needsDesign: false,
  designUrl: 'https://drive.example/d?a=1&b="2"',
  publishedUrl: null,
  stage: 'content_review',
  version: 3,
  authorId: 'evil',
  platform: 'console',
  createdAt: Date.UTC(2026, 10, 20, 15),
  updatedAt: Date.UTC(2026, 10, 20, 15),
};

/** Tags the renderer may write; anything else in the output came from user text. */
const ALLOWED = new Set(['a', 'article', 'blockquote', 'br', 'button', 'code', 'datalist', 'dd', 'div', 'dl', 'dt', 'em', 'fieldset', 'form', 'h2', 'h3', 'h4', 'input', 'label', 'legend', 'li', 'option', 'p', 'section', 'select', 'span', 'strong', 'textarea', 'ul']);
const VOID = new Set(['br', 'input']);

/** Every tag is allowed and balanced; no event handler or inline style anywhere. */
function wellFormed(html: string): void {
  const stack: string[] = [];
  for (const [, close, name] of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) {
    const tag = name!.toLowerCase();
    expect(ALLOWED.has(tag), `unexpected <${tag}>`).toBe(true);
    if (VOID.has(tag)) continue;
    if (close) expect(stack.pop(), `</${tag}>`).toBe(tag);
    else stack.push(tag);
  }
  expect(stack).toEqual([]);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/\sstyle\s*=/i);
  expect(html).not.toMatch(/<script/i);
}

/** The opening tag of the element with this id. */
const tagWithId = (html: string, id: string): string => {
  const t = html.match(new RegExp(`<[a-z]+[^>]*\\sid="${id}"[^>]*>`))?.[0];
  expect(t, `#${id}`).toBeDefined();
  return t!;
};

const hiddenOf = (formHtml: string): Record<string, string> =>
  Object.fromEntries([...formHtml.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(([, n, v]) => [n!, v!]));

const forms = (html: string): string[] => html.match(/<form\b[\s\S]*?<\/form>/g) ?? [];

describe('console HTML: escaping', () => {
  it('esc escapes & < > " \'', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('inlines: text with line breaks, mention, bold, italics, command with a slash, safe links only', () => {
    const html = inlineHtml(
      [XSS, '\nfin', { user: 'evil' }, { b: '<b>' }, { i: 'y' }, { cmd: 'pieza pendientes' }, { link: 'https://a.example/x?q="1"&r=2', label: '<l>' }, { link: 'javascript:alert(1)' }, { link: 'data:text/html,x', label: 'datos' }],
      ctx,
    );
    wellFormed(html);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&amp;&#39;y&quot;)&lt;/script&gt;<br>fin');
    expect(html).toContain('<strong class="mention">@&lt;script&gt;');
    expect(html).toContain('<strong>&lt;b&gt;</strong>');
    expect(html).toContain('<em>y</em>');
    expect(html).toContain('<code class="cmd">/pieza pendientes</code>');
    expect(html).toContain('<a href="https://a.example/x?q=%221%22&amp;r=2" rel="noopener noreferrer" target="_blank">&lt;l&gt;');
    expect(html).toContain(`<span class="sr-only"> ${m.console.newTab}</span>`);
    // Not http(s): shown as text, never a link.
    expect(html).toContain('javascript:alert(1)');
    expect(html).not.toMatch(/href="(javascript|data):/);
    expect(html).toContain('datos');
    expect((html.match(/<a /g) ?? []).length).toBe(1);
  });

  it('a real piece card with hostile title, body, author, links and field values renders them as text', () => {
    const html = cardHtml(pieceCard(fmt, piece, null), ctx);
    wellFormed(html);
    expect(html).toMatch(/^<article class="card">/);
    expect(html).toContain('<h3>#12 &lt;script&gt;alert(&quot;x&amp;&#39;y&quot;)&lt;/script&gt;</h3>');
    expect(html).toContain('<blockquote>Texto &lt;script&gt;');
    expect(html).toContain('<br>segunda línea</blockquote>');
    expect(html).toContain(`<dt>${m.card.author}</dt><dd><strong class="mention">@&lt;script&gt;`);
    expect(html).toContain('<dd>javascript:alert(1)</dd>');
    expect(html).toContain('href="https://drive.example/d?a=1&amp;b=%222%22"');
  });

  it('a hostile field value and field label are escaped', () => {
    const view: CardView = { header: 'h', fields: [{ label: XSS, value: [XSS] }], context: [[XSS]], actions: [{ id: 'x"y', label: XSS, value: `"'><script>` }], fallback: '' };
    const html = cardHtml(view, ctx);
    wellFormed(html);
    expect(html).toContain('<dt>&lt;script&gt;');
    expect(html).toContain('<dd>&lt;script&gt;');
    expect(html).toContain('name="verb" value="x&quot;y"');
    expect(html).toContain('name="value" value="&quot;&#39;&gt;&lt;script&gt;"');
  });
});

describe('console HTML: cards and actions', () => {
  const html = cardHtml(pieceCard(fmt, { ...piece, title: 'Comunicado', authorId: 'p1' }, null), ctx, { notice: ['Ya fue aprobada por ', { user: 'p1' }] });

  it('every action is its own form posting /console/act with csrf, as, c, verb and value', () => {
    wellFormed(html);
    const fs = forms(html);
    expect(fs.length).toBeGreaterThanOrEqual(4);
    for (const f of fs) {
      expect(f).toMatch(/^<form method="post" action="\/console\/act" class="act">/);
      const h = hiddenOf(f);
      expect(h.csrf).toBe(esc(ctx.csrf));
      expect(h.as).toBe('p1');
      expect(h.c).toBe('review');
      expect(h.verb).toBeTruthy();
      expect(h.value).toBeDefined();
    }
    const approve = fs.find((f) => hiddenOf(f).verb === ACTION.approve)!;
    expect(hiddenOf(approve).value).toBe(esc('{"p":12,"v":3}'));
    expect(approve).toContain(`<button type="submit" class="btn primary">${m.card.approve}</button>`);
    const reject = fs.find((f) => hiddenOf(f).verb === ACTION.reject)!;
    expect(reject).toContain('class="btn danger"');
    const history = fs.find((f) => hiddenOf(f).verb === ACTION.history)!;
    expect(history).toContain('class="btn"');
    expect(hiddenOf(history).value).toBe('12');
  });

  it('an action with confirm asks first (ask=1); the others do not', () => {
    const fs = forms(html);
    const cancel = fs.find((f) => hiddenOf(f).verb === ACTION.cancel)!;
    expect(hiddenOf(cancel).ask).toBe('1');
    for (const f of fs.filter((x) => x !== cancel)) expect(hiddenOf(f).ask).toBeUndefined();
  });

  it('the notice is on top, as a status line', () => {
    expect(html).toMatch(/^<article class="card"><p class="notice" role="status">Ya fue aprobada por <strong class="mention">@Ana Pérez<\/strong><\/p><h3>/);
  });

  it('the confirm step: title, text, «yes» posts the action without ask, «no» goes back', () => {
    const action = pieceCard(fmt, piece, null).actions.find((a) => a.id === ACTION.cancel)!;
    const c = confirmHtml(action, ctx);
    wellFormed(c);
    expect(c).toContain(`<h2 id="confirm-title">${esc(m.card.confirmCancelTitle)}</h2>`);
    expect(c).toContain(esc(m.card.confirmCancelText));
    const [yes] = forms(c);
    expect(yes).toMatch(/action="\/console\/act"/);
    expect(hiddenOf(yes!)).toEqual({ csrf: esc(ctx.csrf), as: 'p1', c: 'review', verb: ACTION.cancel, value: esc(action.value) });
    expect(yes).toContain(`<button type="submit" class="btn danger">${esc(m.card.confirmYes)}</button>`);
    expect(c).toContain(`<a class="btn" href="?" data-close>${m.card.confirmNo}</a>`);
    expect(confirmHtml(action, { ...ctx, back: '/console?as=p1&c=review' })).toContain('href="/console?as=p1&amp;c=review"');
  });
});

describe('console HTML: lists and text', () => {
  it('a list: title, note, section headings, items, «more»', () => {
    const p = { ...piece, title: 'Uno' };
    const view = pendingList(fmt, { reviews: [p, { ...p, id: 13 }], designs: [], mine: [{ ...p, id: 14 }], total: 9 });
    const html = listHtml({ ...view, note: ['Use ', { cmd: 'pieza' }] }, ctx);
    wellFormed(html);
    expect(html).toMatch(new RegExp(`^<section class="list"><h3>${view.title}</h3><p class="note">Use <code class="cmd">/pieza</code></p><h4>`));
    expect((html.match(/<li>/g) ?? []).length).toBe(3);
    expect(html).toContain('<p class="more">');
    expect(html).not.toContain('class="empty"');
  });

  it('an empty list shows its empty line', () => {
    const empty: ListView = { title: XSS, sections: [], empty: ['Nada. Use ', { cmd: 'pieza' }] };
    const html = listHtml(empty, ctx);
    wellFormed(html);
    expect(html).toBe('<section class="list"><h3>&lt;script&gt;alert(&quot;x&amp;&#39;y&quot;)&lt;/script&gt;</h3><p class="empty">Nada. Use <code class="cmd">/pieza</code></p></section>');
    expect(listHtml({ ...empty, sections: [{ heading: 'h', items: [] }] }, ctx)).toContain('class="empty"');
  });

  it('text: one paragraph per line', () => {
    const html = textHtml([['Hola ', { user: 'p1' }], [XSS]], ctx);
    wellFormed(html);
    expect(html).toBe('<div class="text"><p>Hola <strong class="mention">@Ana Pérez</strong></p><p>&lt;script&gt;alert(&quot;x&amp;&#39;y&quot;)&lt;/script&gt;</p></div>');
  });
});

describe('console HTML: forms', () => {
  const every: FormView = {
    callbackId: 'all.kinds',
    title: `Todo ${XSS}`,
    submit: 'Guardar',
    close: 'Cancelar',
    privateMetadata: '{"p":1,"v":2}',
    intro: [{ b: '#1 Intro' }],
    inputs: [
      { id: 'title', label: 'Título', kind: 'text', maxLength: 150, initial: `"><script>` },
      { id: 'body', label: 'Texto', kind: 'multiline', hint: 'Pista <b>', initial: '\nlínea' },
      { id: 'site', label: 'Enlace', kind: 'url', optional: true },
      { id: 'day', label: 'Fecha', kind: 'date', initial: '2026-11-24' },
      { id: 'at', label: 'Hora', kind: 'time', optional: true, initial: '10:00' },
      { id: 'kind', label: 'Tipo', kind: 'select', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }], initial: 'b' },
      { id: 'opt', label: 'Opcional', kind: 'select', optional: true, options: [{ value: 'a', label: 'A' }] },
      { id: 'nets', label: 'Redes', kind: 'multiselect', options: [{ value: 'x', label: 'X' }, { value: 'ig', label: 'Instagram' }], initial: ['ig'] },
      { id: 'rem', label: 'Recordatorios', kind: 'checkboxes', optional: true, options: [{ value: '1d', label: 'Un día' }] },
      { id: 'scope', label: 'Alcance', kind: 'radio', options: [{ value: 's', label: 'Serie' }, { value: 'o', label: `Una ${XSS}` }], initial: 'o' },
      { id: 'owner', label: 'Responsable', kind: 'user', optional: true },
    ],
  };
  const html = formHtml(every, ctx);

  it('posts /console/form with csrf, as, c, verb (callback id) and meta', () => {
    wellFormed(html);
    expect(html).toMatch(/^<form method="post" action="\/console\/form" class="form" novalidate aria-labelledby="form-title">/);
    const h = hiddenOf(html);
    expect(h).toEqual({ csrf: esc(ctx.csrf), as: 'p1', c: 'review', verb: 'all.kinds', meta: esc('{"p":1,"v":2}') });
    expect(html).toContain('<h2 id="form-title">Todo &lt;script&gt;');
    expect(html).toContain('<p class="intro"><strong>#1 Intro</strong></p>');
    expect(html).toContain('<button type="submit" class="btn primary">Guardar</button>');
    expect(html).toContain('<a class="btn" href="?" data-close>Cancelar</a>');
  });

  it('every kind renders labelled, with its control', () => {
    const labelled = (inputId: string, label: string) => expect(html).toContain(`<label for="${fieldId(inputId)}">${label}`);
    labelled('title', 'Título');
    expect(tagWithId(html, 'f-title')).toBe('<input type="text" id="f-title" name="title" value="&quot;&gt;&lt;script&gt;" maxlength="150" required aria-required="true">');
    labelled('body', 'Texto');
    expect(tagWithId(html, 'f-body')).toBe('<textarea id="f-body" name="body" rows="5" required aria-required="true" aria-describedby="f-body-hint">');
    expect(html).toContain('<p class="hint" id="f-body-hint">Pista &lt;b&gt;</p>');
    expect(html).toContain('aria-describedby="f-body-hint">\n\nlínea</textarea>');
    labelled('site', `Enlace <span class="optional">${m.console.optional}</span>`);
    expect(tagWithId(html, 'f-site')).toBe('<input type="url" id="f-site" name="site" value="">');
    labelled('day', 'Fecha');
    expect(tagWithId(html, 'f-day')).toContain('type="date"');
    expect(tagWithId(html, 'f-day')).toContain('value="2026-11-24"');
    labelled('at', 'Hora');
    expect(tagWithId(html, 'f-at')).toBe('<input type="time" id="f-at" name="at" value="10:00">');
    labelled('kind', 'Tipo');
    expect(html).toContain('<select id="f-kind" name="kind" required aria-required="true"><option value="a">A</option><option value="b" selected>B</option></select>');
    labelled('opt', 'Opcional');
    expect(html).toContain('<select id="f-opt" name="opt"><option value="" selected></option><option value="a">A</option></select>');
    // Checkbox and radio groups: a fieldset with a legend, each box labelled, one name for all.
    expect(html).toContain('<fieldset class="field choices"><legend>Redes</legend>');
    expect(html).toContain('<input type="checkbox" id="f-nets" name="nets" value="x"><label for="f-nets">X</label>');
    expect(html).toContain('<input type="checkbox" id="f-nets-o1" name="nets" value="ig" checked><label for="f-nets-o1">Instagram</label>');
    expect(html).toContain(`<legend>Recordatorios <span class="optional">${m.console.optional}</span></legend>`);
    expect(html).toContain('<fieldset class="field choices" role="radiogroup" aria-required="true"><legend>Alcance</legend>');
    expect(html).toContain('<input type="radio" id="f-scope" name="scope" value="s" required><label for="f-scope">Serie</label>');
    expect(html).toContain('<input type="radio" id="f-scope-o1" name="scope" value="o" checked required><label for="f-scope-o1">Una &lt;script&gt;');
    labelled('owner', 'Responsable');
    // A person is picked from the office (by e-mail, as the command layer reads it).
    expect(tagWithId(html, 'f-owner')).toBe('<select id="f-owner" name="owner">');
    expect(html).toContain('<option value="" selected></option><option value="ana@oficina.example">Ana Pérez</option><option value="x@oficina.example">&lt;script&gt;');
    // Someone typed who is not one of them (an edit of an entry owned by an outsider): kept, as text.
    const other = formHtml({ ...every, inputs: [{ id: 'owner', label: 'Responsable', kind: 'user', optional: true, initial: 'fuera@otra.example' }] }, ctx);
    expect(tagWithId(other, 'f-owner')).toBe('<input type="text" id="f-owner" name="owner" list="f-owner-people" autocomplete="off" value="fuera@otra.example">');
    // Every id is unique.
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((x) => x[1]);
    expect(new Set(ids).size).toBe(ids.length);
    // Every control (but hidden ones) has a label pointing at it.
    for (const [, id] of html.matchAll(/<(?:input|select|textarea) (?:type="(?!hidden)[a-z]+" )?id="([^"]+)"/g)) expect(html).toContain(`<label for="${id}">`);
  });

  it('errors: a summary linking each error to its input, aria-invalid and the message under the input', () => {
    const withErrors = formHtml(every, ctx, { title: 'Falta el título <b>', nets: 'Elija una red', scope: 'Elija', elsewhere: 'Algo general' });
    wellFormed(withErrors);
    const summary = withErrors.match(/<div class="error-summary" role="alert" tabindex="-1">[\s\S]*?<\/div>/)?.[0];
    expect(summary).toContain(`<p>${m.console.formHasErrors}</p>`);
    expect(summary).toContain('<li><a href="#f-title">Título: Falta el título &lt;b&gt;</a></li>');
    expect(summary).toContain('<li><a href="#f-nets">Redes: Elija una red</a></li>');
    expect(summary).toContain('<li><a href="#f-scope">Alcance: Elija</a></li>');
    expect(summary).toContain('<li>Algo general</li>');
    // The summary comes before the inputs.
    expect(withErrors.indexOf('error-summary')).toBeLessThan(withErrors.indexOf('<label'));
    const title = tagWithId(withErrors, 'f-title');
    expect(title).toContain('aria-invalid="true"');
    expect(title).toContain('aria-describedby="f-title-err"');
    expect(withErrors).toContain(`<p class="error" id="f-title-err"><span class="sr-only">${m.console.fieldError}: </span>Falta el título &lt;b&gt;</p>`);
    for (const id of ['f-nets', 'f-nets-o1', 'f-scope', 'f-scope-o1']) expect(tagWithId(withErrors, id)).toContain('aria-invalid="true"');
    expect(withErrors).toContain('<fieldset class="field choices invalid" aria-describedby="f-nets-err">');
    expect(withErrors).toContain('id="f-nets-err"');
    // A hint and an error: both describe the input.
    expect(tagWithId(formHtml(every, ctx, { body: 'Muy largo' }), 'f-body')).toContain('aria-describedby="f-body-hint f-body-err"');
    // Inputs without an error are not invalid.
    expect(tagWithId(withErrors, 'f-day')).not.toContain('aria-invalid');
    expect(html).not.toContain('aria-invalid');
    expect(html).not.toContain('error-summary');
  });

  it('the real new-piece, reject and calendar forms render whole, with unique ids and labels', () => {
    for (const view of [newPieceForm(fmt, 'meta'), rejectForm(fmt, piece), entryForm(fmt, 'm')]) {
      const h = formHtml(view, ctx);
      wellFormed(h);
      expect(hiddenOf(h).verb).toBe(view.callbackId);
      for (const i of view.inputs) {
        if (['checkboxes', 'multiselect', 'radio'].includes(i.kind)) expect(h).toContain(`<legend>${esc(i.label)}`);
        else expect(h).toContain(`<label for="${fieldId(i.id)}">${esc(i.label)}`);
      }
      const ids = [...h.matchAll(/\sid="([^"]+)"/g)].map((x) => x[1]);
      expect(new Set(ids).size).toBe(ids.length);
    }
    const np = formHtml(newPieceForm(fmt), ctx);
    expect(hiddenOf(np).verb).toBe(FORM.newPiece);
    // needs_design: ids stay readable, and distinct input ids never share an HTML id.
    expect(np).toContain(`id="${fieldId('needs_design')}"`);
    expect(fieldId('needs_design')).toBe('f-needs_design');
    expect(fieldId('a_b')).not.toBe(fieldId('a-b'));
    expect(fieldId('a-hint')).not.toBe(`${fieldId('a')}-hint`);
  });
});
