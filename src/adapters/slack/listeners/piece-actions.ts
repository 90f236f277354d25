import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import type { PieceEvent } from '../../../domain/approvals/types.js';
import { isDomainError } from '../../../domain/shared/errors.js';
import { domainErrorText } from '../../../views/errors.js';
import { ACTION } from '../../../views/ids.js';
import type { FormView } from '../../../views/model.js';
import { designForm, fixForm, publishForm, rejectForm } from '../../../views/piece-forms.js';
import { historyList } from '../../../views/piece-views.js';
import { listBlocks, modalView } from '../render/block-kit.js';
import { richToMrkdwn } from '../render/mrkdwn.js';
import { parseJson, refSchema, type SlackDeps } from '../deps.js';

/** Says something only the clicker sees, without touching the card. */
async function tell(respond: RespondFn, d: SlackDeps, text: string): Promise<void> {
  try {
    await respond({ response_type: 'ephemeral', replace_original: false, text });
  } catch (e) {
    d.log.warn({ err: e }, 'could not answer the person (response_url)');
  }
}

/** Buttons on cards and task messages. Every handler acks first, then works. */
export function registerPieceActions(app: App, d: SlackDeps): void {
  const direct = (id: string, event: PieceEvent) =>
    app.action<BlockButtonAction>(id, async ({ ack, body, action, respond }) => {
      await ack();
      const ref = parseJson(refSchema, action.value);
      if (!ref) return tell(respond, d, d.fmt.m.reply.internal);
      try {
        d.approvals.decide({ pieceId: ref.p, version: ref.v, event, userId: body.user.id, platform: 'slack' });
        d.kickOutbox();
      } catch (e) {
        if (!isDomainError(e)) throw e;
        await tell(respond, d, richToMrkdwn(domainErrorText(d.fmt, e)));
      }
    });
  direct(ACTION.approve, 'approve');
  direct(ACTION.cancel, 'cancel');

  /** Buttons that need more input open a form, after checking that the person may act at all. */
  const withForm = (id: string, event: PieceEvent, form: (p: Parameters<typeof rejectForm>[1]) => FormView) =>
    app.action<BlockButtonAction>(id, async ({ ack, body, action, respond, client }) => {
      await ack();
      const ref = parseJson(refSchema, action.value);
      if (!ref) return tell(respond, d, d.fmt.m.reply.internal);
      let view: FormView;
      try {
        const piece = d.approvals.check({ pieceId: ref.p, version: ref.v, event, userId: body.user.id });
        view = form(piece);
        view.privateMetadata = JSON.stringify({ ...JSON.parse(view.privateMetadata), c: body.channel?.id, n: piece.networks });
      } catch (e) {
        if (!isDomainError(e)) throw e;
        return tell(respond, d, richToMrkdwn(domainErrorText(d.fmt, e)));
      }
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: modalView(view) as never });
      } catch (e) {
        d.log.warn({ err: e, pieceId: ref.p }, 'views.open failed');
        await tell(respond, d, d.fmt.m.reply.openFailed);
      }
    });
  withForm(ACTION.reject, 'reject', (p) => rejectForm(d.fmt, p));
  withForm(ACTION.publish, 'publish', (p) => publishForm(d.fmt, p));
  withForm(ACTION.deliverDesign, 'deliver_design', (p) => designForm(d.fmt, p));
  withForm(ACTION.fix, 'resubmit', (p) => fixForm(d.fmt, p));

  app.action<BlockButtonAction>(ACTION.history, async ({ ack, action, respond }) => {
    await ack();
    const id = Number(action.value);
    try {
      const { piece, events } = d.approvals.history(id);
      await respond({ response_type: 'ephemeral', replace_original: false, text: piece.title.slice(0, 100), blocks: listBlocks(historyList(d.fmt, piece, events)) as never });
    } catch (e) {
      if (!isDomainError(e)) throw e;
      await tell(respond, d, richToMrkdwn(domainErrorText(d.fmt, e)));
    }
  });
}
