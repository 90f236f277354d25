import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlitePieceRepository } from '../../src/store/piece-repo.js';
import { ACTION } from '../../src/views/ids.js';
import { Harness, REVIEW, U, buttonsOf, textOf, waitFor } from '../helpers/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await h.stop();
});

/** Every text Slack parses as mrkdwn: the top-level text and mrkdwn text objects. */
function mrkdwnOf(m: { text?: string; blocks?: unknown[] }): string {
  const out: string[] = [m.text ?? ''];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
    Object.values(o).forEach(walk);
  };
  walk(m.blocks ?? []);
  return out.join('\n');
}

const count = (table: string) => (h.app.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('what a user typed is escaped', () => {
  it('a <!channel> title does not notify the channel, in the card or in its notification text', async () => {
    const { id, card } = await h.createPiece(U.author, { title: '<!channel> urgente & <@U999> <https://evil.example|clic>', body: '<!here> revisen ya' });
    // Header blocks are plain_text (never parsed for mentions); every mrkdwn text must be escaped.
    const all = mrkdwnOf(card);
    expect(JSON.stringify(card.blocks.find((b) => b.type === 'header'))).toContain('plain_text');
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<!here>');
    expect(all).not.toContain('<@U999>');
    expect(all).not.toContain('<https://evil.example');
    expect(card.text).toContain('&lt;!channel&gt; urgente &amp; &lt;@U999&gt;');
    expect(textOf(card)).toContain('&lt;!here&gt; revisen ya');
    const eph = h.slack.callsOf('chat.postEphemeral')[0]!;
    expect(String(eph.args.text)).not.toContain('<!');
    // And in the history and lists too.
    const res = await h.command(U.author, `${id}`);
    expect(mrkdwnOf((await h.reply(res.rid)) as never)).not.toContain('<!channel>');
  });
});

describe('the new-piece modal refuses invalid input and stores nothing', () => {
  const submit = async (values: Record<string, unknown>) => {
    const n = h.slack.callsOf('views.open').length;
    await h.command(U.author, '');
    const view = await h.openedView(n);
    const base = { title: 'Título', body: 'Texto', kind: 'post', networks: ['x'], date: '2030-01-01', time: null, materials: null, needs_design: [] };
    const res = await h.submit(U.author, view, { ...base, ...values } as never);
    return res.text ? (JSON.parse(res.text) as { response_action: string; errors: Record<string, string> }) : null;
  };

  it('text too long for X is shown on the Texto input', async () => {
    const r = await submit({ body: 'á'.repeat(281) });
    expect(r?.response_action).toBe('errors');
    expect(r?.errors.body).toBe('El texto tiene 281 caracteres y X admite 280. Acórtelo o quite X de las redes.');
    expect(await submit({ body: 'á'.repeat(280) })).toBeNull();
  });

  it('a date in the past, no networks, a bad link and a missing title each get their own message', async () => {
    const r = await submit({ date: '2020-01-01', networks: [], materials: 'javascript:alert(1)', title: '  ' });
    expect(r?.errors).toEqual({
      date: 'La fecha de publicación ya pasó. Elija una fecha futura.',
      networks: 'Este campo es obligatorio.',
      materials: 'Escriba un enlace completo que empiece con https://',
      title: 'Este campo es obligatorio.',
    });
    expect(count('pieces')).toBe(0);
    expect(count('outbox')).toBe(0);
  });
});

describe('/pieza subcommands', () => {
  it('lista, pendientes (by role), a piece by number, and help for anything else', async () => {
    const a = await h.createPiece(U.author, { title: 'Primera' });
    await h.createPiece(U.author2, { title: 'De otra persona' });

    const mine = await h.reply((await h.command(U.author, 'lista')).rid);
    expect(mine.response_type).toBe('ephemeral');
    expect(textOf(mine as never)).toContain('Primera');
    expect(textOf(mine as never)).not.toContain('De otra persona');

    const pending = textOf((await h.reply((await h.command(U.approver, 'pendientes')).rid)) as never);
    expect(pending).toContain('Por revisar');
    expect(pending).toContain('Primera');
    expect(pending).toContain('De otra persona');
    const none = textOf((await h.reply((await h.command(U.other, 'pendientes')).rid)) as never);
    expect(none).toContain('Nada espera por usted');

    const one = await h.reply((await h.command(U.other, `${a.id}`)).rid);
    expect(textOf(one as never)).toContain('Historial de la pieza');
    expect(textOf(one as never)).toContain('Envío a revisión');

    const missing = await h.reply((await h.command(U.other, '999')).rid);
    expect(String(missing.text)).toContain('No existe la pieza #999');

    const help = await h.reply((await h.command(U.other, 'bailar <!channel>')).rid);
    expect(String(help.text)).toContain('No entendí «bailar &lt;!channel&gt;»');
    expect(String(help.text)).toContain('/pieza lista');
  });

  it('pendientes counts everything that waits, in the database, without the approver\'s own pieces', async () => {
    const repo = new SqlitePieceRepository(h.app.db);
    const seed = (author: string, n: number, stage: 'content_review' | 'changes_requested') =>
      repo.transaction(() => {
        for (let i = 0; i < n; i++) {
          repo.insert({ title: `${author} ${i}`, body: 'x', kind: 'post', networks: ['facebook'], plannedAt: Date.now() + 86_400_000, plannedHasTime: false, materialsUrl: null, needsDesign: false, authorId: h.personOf(author), platform: 'slack', stage, originKey: null }, Date.now() + i);
        }
      });
    seed(U.author, 35, 'content_review');
    seed(U.approver, 5, 'content_review');
    seed(U.approver, 250, 'content_review');
    seed(U.approver, 2, 'changes_requested');
    const text = textOf((await h.reply((await h.command(U.approver, 'pendientes')).rid)) as never);
    // 35 reviews (30 shown) + the approver's own 2 to fix: 37 in all, 32 shown.
    expect(text).toContain('y 5 más');
    expect(text).toContain('Sus piezas por corregir o publicar');
    expect(text).not.toMatch(/UAPPROVER1 \d+ · revisión de contenido/);
  });

  it('anyone cancels their own piece; others may not; an admin may, and the author is told', async () => {
    const a = await h.createPiece(U.author);
    const b = await h.createPiece(U.author);
    const denied = await h.reply((await h.command(U.other, `cancelar ${a.id}`)).rid);
    expect(String(denied.text)).toContain('No se pudo cancelar');
    const ok = await h.reply((await h.command(U.author, `cancelar ${a.id}`)).rid);
    expect(String(ok.text)).toContain('cancelada');
    await h.settle();
    expect(buttonsOf(h.card(a.id)).map((x) => x.action_id)).toEqual([ACTION.history]);

    await h.click(U.admin, b.card, ACTION.cancel);
    await h.settle();
    expect(textOf(h.card(b.id))).toContain('*cancelada*');
    const told = await waitFor(() => h.slack.dmsTo(U.author).find((m) => textOf(m).includes('fue cancelada por')));
    expect(textOf(told)).toContain(`<@${U.admin}>`);
    // A cancelled piece cannot be approved by a stale button.
    const late = await h.clickValue(U.approver, b.card, ACTION.approve, JSON.stringify({ p: b.id, v: 2 }));
    expect(String((await h.reply(late.rid)).text)).toContain('No se pudo aprobar');
  });

  it('an admin grants and removes roles from Slack, audited; others cannot; environment roles stay', async () => {
    const denied = await h.reply((await h.command(U.other, `roles dar <@${U.other}|otro> aprobador`)).rid);
    expect(String(denied.text)).toContain('Solo administración');

    const granted = await h.reply((await h.command(U.admin, `roles dar <@${U.other}|otro> diseño`)).rid);
    expect(String(granted.text)).toContain(`<@${U.other}> tiene ahora el rol de diseño`);
    const list = textOf((await h.reply((await h.command(U.author, 'roles')).rid)) as never);
    expect(list).toContain(`<@${U.other}> · diseño`);
    expect(list).toContain(`<@${U.approver}> · aprobación (configuración)`);

    // The new designer receives design tasks and can deliver.
    const { id, card } = await h.createPiece(U.author, { kind: 'graphic' });
    await h.click(U.approver, card, ACTION.approve);
    const task = await waitFor(() => h.slack.dmsTo(U.other)[0]);
    const n = h.slack.callsOf('views.open').length;
    await h.click(U.other, task, ACTION.deliverDesign);
    await h.submit(U.other, await h.openedView(n), { link: 'https://drive.example.org/x.png' });
    await h.settle();
    expect(textOf(h.card(id))).toContain('*revisión de diseño*');

    const revoked = await h.reply((await h.command(U.admin, `roles quitar <@${U.other}> diseño`)).rid);
    expect(String(revoked.text)).toContain('ya no tiene el rol');
    const envRole = await h.reply((await h.command(U.admin, `roles quitar <@${U.approver}> aprobador`)).rid);
    expect(String(envRole.text)).toContain('viene de la configuración');
    const audit = h.app.db.prepare('SELECT user_id, role, action, actor_id FROM role_events ORDER BY id').all();
    expect(audit).toEqual([
      { user_id: h.personOf(U.other), role: 'designer', action: 'grant', actor_id: h.personOf(U.admin) },
      { user_id: h.personOf(U.other), role: 'designer', action: 'revoke', actor_id: h.personOf(U.admin) },
    ]);
    // The audit names people of ours; each is traceable to the Slack user who acted.
    expect(h.app.core.people.identity(h.personOf(U.admin), 'slack')).toBe(U.admin);
    expect(() => h.app.db.prepare('DELETE FROM role_events').run()).toThrow(/append-only/);
  });
});

describe('operations', () => {
  it('GET /healthz answers 200 with the database status', async () => {
    const res = await fetch(`${h.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('the audit trail cannot be edited', async () => {
    await h.createPiece(U.author);
    expect(() => h.app.db.prepare("UPDATE piece_events SET actor_id = 'UFAKE'").run()).toThrow(/append-only/);
    expect(h.slack.inChannel(REVIEW)).toHaveLength(1);
  });
});

describe('LOCALE=en', () => {
  it('speaks English: the card, its buttons and the refusals', async () => {
    const en = await Harness.start({ env: { LOCALE: 'en' } });
    try {
      const { card } = await en.createPiece(U.author);
      expect(textOf(card)).toContain('*content review*');
      expect(buttonsOf(card).map((b) => b.text.text)).toEqual(['Approve', 'Reject', 'History', 'Cancel']);
      const click = await en.click(U.other, card, ACTION.approve);
      expect(String((await en.reply(click.rid)).text)).toBe('Could not approve: only approvers can do that at this stage. Nothing changed.');
    } finally {
      await en.stop();
    }
  });
});
