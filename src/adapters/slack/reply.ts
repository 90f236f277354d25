import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import type { FormView } from '../../views/model.js';
import { modalView, type Block } from './render/block-kit.js';

/**
 * Answers the person who typed a command or clicked a button, through the response_url: only they
 * see it unless `inChannel`; it never replaces the message that was clicked. A failure is logged
 * (the person's action itself already happened or was refused).
 */
export async function answer(respond: RespondFn, log: Logger, text: string, opts: { blocks?: Block[]; inChannel?: boolean } = {}): Promise<void> {
  try {
    await respond({
      response_type: opts.inChannel ? 'in_channel' : 'ephemeral',
      replace_original: false,
      text,
      ...(opts.blocks ? { blocks: opts.blocks as never } : {}),
    });
  } catch (e) {
    log.warn({ err: e }, 'could not answer the person (response_url)');
  }
}

/**
 * After a modal closed there is no response_url: say it ephemerally where the person was, else by
 * DM. Slack refuses ephemerals in many places a command can be typed — a DM between two people
 * (channel_not_found), a channel the bot is not in (not_in_channel), an archived one — and the
 * person must still learn the outcome, so any refusal falls back to the DM.
 */
export async function noteAfterForm(client: WebClient, log: Logger, userId: string, channel: string | undefined, text: string): Promise<void> {
  if (channel) {
    try {
      await client.chat.postEphemeral({ channel, user: userId, text });
      return;
    } catch (e) {
      log.info({ err: e, userId, channel }, 'ephemeral refused; telling the person by DM');
    }
  }
  try {
    await client.chat.postMessage({ channel: userId, text });
  } catch (e) {
    log.warn({ err: e, userId }, 'could not tell the person the outcome of a form');
  }
}

/** Opens a modal; when Slack refuses (an expired trigger, a rate limit) the person is told to try again. */
export async function openModal(client: WebClient, log: Logger, respond: RespondFn, triggerId: string, view: FormView, failText: string): Promise<void> {
  try {
    await client.views.open({ trigger_id: triggerId, view: modalView(view) as never });
  } catch (e) {
    log.warn({ err: e, form: view.callbackId }, 'views.open failed');
    await answer(respond, log, failText);
  }
}
