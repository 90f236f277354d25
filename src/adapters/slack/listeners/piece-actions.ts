import type { App, BlockButtonAction } from '@slack/bolt';
import type { PieceEvent } from '../../../domain/approvals/types.js';
import { isDomainError } from '../../../domain/shared/errors.js';
import { domainErrorText } from '../../../views/errors.js';
import { ACTION } from '../../../views/ids.js';
import type { FormView } from '../../../views/model.js';
import { designForm, fixForm, publishForm, rejectForm } from '../../../views/piece-forms.js';
import { historyList } from '../../../views/piece-views.js';
import { listBlocks } from '../render/block-kit.js';
import { escapeMrkdwn, richToMrkdwn } from '../render/mrkdwn.js';
import { answer, openModal } from '../reply.js';
import { parseJson, refSchema, type SlackDeps } from '../deps.js';

/** Buttons on cards and task messages. Every handler acks first, then works. */
export function registerPieceActions(app: App, d: SlackDeps): void {
  const tell = (respond: Parameters<typeof answer>[0], text: string) => answer(respond, d.log, text);
  /** A button whose value no longer parses comes from an older card: say so, and where to go. */
  const outdated = (respond: Parameters<typeof answer>[0], value: string | undefined) => {
    const p = /"p":\s*(\d{1,15})\b/.exec(value ?? '')?.[1];
    return tell(respond, richToMrkdwn(d.fmt.m.outdated.button(p ? Number(p) : null)));
  };
  const direct = (id: string, event: PieceEvent) =>
    app.action<BlockButtonAction>(id, async ({ ack, body, action, respond }) => {
      await ack();
      const ref = parseJson(refSchema, action.value);
      if (!ref) return outdated(respond, action.value);
      try {
        d.approvals.decide({ pieceId: ref.p, version: ref.v, event, userId: d.people.person(body.user.id, body.user.name), platform: 'slack' });
        d.kickOutbox();
      } catch (e) {
        if (!isDomainError(e)) throw e;
        await tell(respond, richToMrkdwn(domainErrorText(d.fmt, e)));
      }
    });
  direct(ACTION.approve, 'approve');
  direct(ACTION.cancel, 'cancel');

  /** Buttons that need more input open a form, after checking that the person may act at all. */
  const withForm = (id: string, event: PieceEvent, form: (p: Parameters<typeof rejectForm>[1]) => FormView) =>
    app.action<BlockButtonAction>(id, async ({ ack, body, action, respond, client }) => {
      await ack();
      const ref = parseJson(refSchema, action.value);
      if (!ref) return outdated(respond, action.value);
      let view: FormView;
      try {
        const piece = d.approvals.check({ pieceId: ref.p, version: ref.v, event, userId: d.people.person(body.user.id, body.user.name) });
        view = form(piece);
        view.privateMetadata = JSON.stringify({ ...JSON.parse(view.privateMetadata), c: body.channel?.id, n: piece.networks });
      } catch (e) {
        if (!isDomainError(e)) throw e;
        return tell(respond, richToMrkdwn(domainErrorText(d.fmt, e)));
      }
      await openModal(client, d.log, respond, body.trigger_id, view, d.fmt.m.reply.openFailed);
    });
  withForm(ACTION.reject, 'reject', (p) => rejectForm(d.fmt, p));
  withForm(ACTION.publish, 'publish', (p) => publishForm(d.fmt, p));
  withForm(ACTION.deliverDesign, 'deliver_design', (p) => designForm(d.fmt, p));
  withForm(ACTION.fix, 'resubmit', (p) => fixForm(d.fmt, p));

  app.action<BlockButtonAction>(ACTION.history, async ({ ack, action, respond }) => {
    await ack();
    const id = Number(action.value);
    if (!/^\d{1,15}$/.test(action.value ?? '')) return outdated(respond, action.value);
    try {
      const { piece, events } = d.approvals.history(id);
      const view = historyList(d.fmt, piece, events);
      await answer(respond, d.log, escapeMrkdwn(view.title), { blocks: listBlocks(view) });
    } catch (e) {
      if (!isDomainError(e)) throw e;
      await tell(respond, richToMrkdwn(domainErrorText(d.fmt, e)));
    }
  });
}
