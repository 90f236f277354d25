import { describe, expect, it } from 'vitest';
import { listBlocks, modalView, readFormState } from '../../src/adapters/slack/render/block-kit.js';
import { escapeMrkdwn, richToMrkdwn } from '../../src/adapters/slack/render/mrkdwn.js';
import { en } from '../../src/i18n/en.js';
import { es } from '../../src/i18n/es.js';
import type { Fmt } from '../../src/views/format.js';
import { newPieceForm } from '../../src/views/piece-forms.js';

const fmt: Fmt = { m: es, tz: 'America/Mexico_City', locale: 'es', now: () => 0, currency: 'MXN', numberLocale: 'es-MX' };

describe('mrkdwn', () => {
  it('escapes only &, < and >', () => {
    expect(escapeMrkdwn('<!channel> & "hola" *negrita*')).toBe('&lt;!channel&gt; &amp; "hola" *negrita*');
  });

  it('user text cannot become a mention or a link; real mentions and safe links can', () => {
    expect(richToMrkdwn(['<@U1>', { user: 'U2ABC' }, { user: '<!here>' }])).toBe('&lt;@U1&gt;<@U2ABC>&lt;!here&gt;');
    expect(richToMrkdwn([{ link: 'https://a.org/x|y>z' }])).toBe('<https://a.org/x%7Cy%3Ez>');
    expect(richToMrkdwn([{ link: 'javascript:alert(1)' }])).toBe('javascript:alert(1)');
    expect(richToMrkdwn([{ b: '<b>' }, { i: '' }])).toBe('*&lt;b&gt;*');
  });
});

describe('Block Kit limits', () => {
  it('a list of 2,000 long items stays within 50 blocks and 3,000 characters per section', () => {
    const items = Array.from({ length: 2000 }, (_, i) => [`#${i} ${'pieza con un título largo '.repeat(4)}`]);
    const blocks = listBlocks({ title: 'Pendientes', sections: [{ heading: 'Por revisar', items }], empty: '' });
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) {
      const text = (b.text as { text?: string } | undefined)?.text ?? '';
      expect(text.length).toBeLessThanOrEqual(3000);
    }
    expect(JSON.stringify(blocks.at(-1))).toMatch(/… \+\d+/);
  });

  it('the new-piece modal fits Slack: title ≤ 24, ≤ 100 blocks, option values ≤ 75', () => {
    for (const m of [es, en]) {
      const view = modalView(newPieceForm({ ...fmt, m })) as { title: { text: string }; submit: { text: string }; blocks: { element?: { options?: { value: string }[] } }[] };
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      expect(view.submit.text.length).toBeLessThanOrEqual(24);
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      for (const b of view.blocks) for (const o of b.element?.options ?? []) expect(o.value.length).toBeLessThanOrEqual(75);
    }
  });

  it('reads every kind of input back from view state', () => {
    expect(
      readFormState({
        a: { a: { type: 'plain_text_input', value: 'x' } },
        b: { b: { type: 'static_select', selected_option: { value: 'post' } } },
        c: { c: { type: 'multi_static_select', selected_options: [{ value: 'x' }, { value: 'press' }] } },
        d: { d: { type: 'datepicker', selected_date: '2030-01-01' } },
        e: { e: { type: 'timepicker', selected_time: null } },
        f: { f: { type: 'plain_text_input', value: null } },
      }),
    ).toEqual({ a: 'x', b: 'post', c: ['x', 'press'], d: '2030-01-01', e: null, f: null });
  });
});
