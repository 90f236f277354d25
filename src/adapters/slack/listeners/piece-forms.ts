import type { App, SlackViewAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isHttpUrl } from '../../../domain/approvals/transitions.js';
import type { Network, PieceEvent } from '../../../domain/approvals/types.js';
import { checkBodyForNetworks, checkTitle, validateNewPiece } from '../../../domain/approvals/validate.js';
import { isDomainError } from '../../../domain/shared/errors.js';
import { domainErrorText } from '../../../views/errors.js';
import { FIELD, FORM } from '../../../views/ids.js';
import { fieldErrorText, rawPieceInput } from '../../../views/piece-forms.js';
import { formString, readFormState } from '../render/block-kit.js';
import { noteAfterForm } from '../reply.js';
import { escapeMrkdwn, richToMrkdwn } from '../render/mrkdwn.js';
import { formMetaSchema, parseJson, type SlackDeps } from '../deps.js';

type Values = Parameters<typeof readFormState>[0];
const str = (v: string | string[] | null | undefined): string => formString(v) ?? '';

/** Modal submissions. Pure validation answers in the modal; the decision runs after ack. */
export function registerPieceForms(app: App, d: SlackDeps): void {
  const notify = (client: WebClient, userId: string, channel: string | undefined, text: string) => noteAfterForm(client, d.log, userId, channel, text);
  app.view<SlackViewAction>(FORM.newPiece, async ({ ack, body, view, client }) => {
    const v = readFormState(view.state.values as Values);
    const now = d.fmt.now();
    const result = validateNewPiece(
      rawPieceInput(v),
      now,
      d.fmt.tz,
    );
    if (!result.ok) {
      const errors = Object.fromEntries(Object.entries(result.errors).map(([k, e]) => [k, fieldErrorText(d.fmt, e!)]));
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const channel = parseJson(formMetaSchema.partial(), view.private_metadata)?.c;
    try {
      // The view id makes a replayed submission a no-op instead of a second piece.
      const { piece } = d.approvals.submit(result.value, d.people.person(body.user.id, body.user.name), 'slack', `slack:view:${view.id}`);
      d.kickOutbox();
      await notify(client, body.user.id, channel, escapeMrkdwn(d.fmt.m.reply.submitted(piece.id)));
    } catch (e) {
      d.log.error({ err: e, userId: body.user.id }, 'piece submission failed');
      await notify(client, body.user.id, channel, d.fmt.m.reply.submitFailed);
    }
  });

  /** A decision form: validate in the modal, ack, decide, report problems to the person. */
  const decision = (
    callbackId: string,
    event: PieceEvent,
    read: (v: ReturnType<typeof readFormState>, networks: Network[]) => { errors: Record<string, string> } | { input: Parameters<SlackDeps['approvals']['decide']>[0]['input'] },
  ) =>
    app.view<SlackViewAction>(callbackId, async ({ ack, body, view, client }) => {
      const meta = parseJson(formMetaSchema, view.private_metadata);
      if (!meta) {
        await ack();
        return notify(client, body.user.id, undefined, d.fmt.m.reply.internal);
      }
      const r = read(readFormState(view.state.values as Values), (meta.n ?? []) as Network[]);
      if ('errors' in r) {
        await ack({ response_action: 'errors', errors: r.errors });
        return;
      }
      await ack();
      try {
        d.approvals.decide({ pieceId: meta.p, version: meta.v, event, userId: d.people.person(body.user.id, body.user.name), platform: 'slack', input: r.input });
        d.kickOutbox();
      } catch (e) {
        if (!isDomainError(e)) throw e;
        await notify(client, body.user.id, meta.c, richToMrkdwn(domainErrorText(d.fmt, e)));
      }
    });

  const e = d.fmt.m;
  decision(FORM.reject, 'reject', (v) => {
    const reason = str(v[FIELD.reason]).trim();
    return reason ? { input: { reason } } : { errors: { [FIELD.reason]: e.error.reason_required } };
  });
  const link = (v: ReturnType<typeof readFormState>) => {
    const url = str(v[FIELD.link]).trim();
    return isHttpUrl(url) ? { input: { link: url } } : { errors: { [FIELD.link]: e.error.invalid_link } };
  };
  decision(FORM.deliverDesign, 'deliver_design', link);
  decision(FORM.publish, 'publish', link);
  decision(FORM.fix, 'resubmit', (v, networks) => {
    const title = str(v[FIELD.title]).trim();
    const body = str(v[FIELD.body]).trim();
    const errors: Record<string, string> = {};
    const te = checkTitle(title);
    if (te) errors[FIELD.title] = fieldErrorText(d.fmt, te);
    const be = body ? checkBodyForNetworks(body, networks) : ({ code: 'required' } as const);
    if (be) errors[FIELD.body] = fieldErrorText(d.fmt, be);
    return Object.keys(errors).length ? { errors } : { input: { title, body } };
  });
}
