import type { App, BlockAction, SlackViewAction } from '@slack/bolt';
import { CAL_ACTION, CAL_FORM, ACTION, FORM, INQ_ACTION, INQ_FORM } from '../../../views/ids.js';
import { modalView } from '../render/block-kit.js';
import { richToMrkdwn } from '../render/mrkdwn.js';
import { answer, noteAfterForm } from '../reply.js';
import type { SlackDeps } from '../deps.js';

const KNOWN_ACTIONS = new Set<string>([...Object.values(ACTION), ...Object.values(CAL_ACTION), ...Object.values(INQ_ACTION)]);
const KNOWN_FORMS = new Set<string>([...Object.values(FORM), ...Object.values(CAL_FORM), ...Object.values(INQ_FORM)]);
export const KNOWN_COMMANDS = new Set(['/pieza', '/calendario', '/kpi', '/consulta', '/guardia']);

/** The piece or calendar entry an old button pointed at, when its value still says. */
function targetOf(value: unknown): { piece: number } | { entry: number } | null {
  if (typeof value !== 'string') return null;
  if (/^\d{1,15}$/.test(value)) return { piece: Number(value) };
  try {
    const v = JSON.parse(value) as { p?: unknown; e?: unknown };
    if (Number.isSafeInteger(v.p)) return { piece: v.p as number };
    if (Number.isSafeInteger(v.e)) return { entry: v.e as number };
  } catch {
    // not JSON: nothing to point at
  }
  return null;
}

/**
 * Requests nobody else handles — a button, form or command from an older version of the bot, a
 * payload missing a part Slack normally sends — are acknowledged at once and the person is told
 * the button or form is outdated, instead of Bolt's 404 after 3 s or a TypeError.
 */
export function registerOutdated(app: App, d: SlackDeps): void {
  const m = d.fmt.m;
  const outdatedForm = () =>
    modalView({ callbackId: 'outdated', title: m.outdated.formTitle, submit: m.outdated.close, close: m.outdated.close, privateMetadata: '', intro: [m.outdated.form], inputs: [] });

  // Runs before every listener: a form submission without state cannot be read by any of them.
  app.use(async (args) => {
    const { ack } = args as unknown as { ack?: (r?: unknown) => Promise<void> };
    const body = args.body as { type?: string; view?: { state?: { values?: unknown } } };
    if (body.type === 'view_submission' && (!body.view?.state || typeof body.view.state.values !== 'object' || body.view.state.values === null)) {
      d.log.warn({ callbackId: (body.view as { callback_id?: string } | undefined)?.callback_id }, 'view_submission without state: treated as outdated');
      await ack?.({ response_action: 'update', view: outdatedForm() });
      return;
    }
    await args.next();
  });

  app.action<BlockAction>(/.*/, async ({ ack, action, body, respond, client }) => {
    const id = (action as { action_id?: string }).action_id ?? '';
    if (KNOWN_ACTIONS.has(id)) return; // its own listener acks and answers
    await ack();
    d.log.info({ actionId: id }, 'outdated button');
    const target = targetOf((action as { value?: unknown }).value);
    const text = richToMrkdwn(target && 'entry' in target ? m.outdated.entry(target.entry) : m.outdated.button(target?.piece ?? null));
    if (body.response_url) await answer(respond, d.log, text);
    else await noteAfterForm(client, d.log, body.user.id, undefined, text);
  });

  app.view<SlackViewAction>(/.*/, async ({ ack, view }) => {
    if (KNOWN_FORMS.has(view.callback_id)) return;
    d.log.info({ callbackId: view.callback_id }, 'outdated form');
    await ack({ response_action: 'update', view: outdatedForm() as never });
  });

  app.command(/.*/, async ({ ack, command, respond }) => {
    if (KNOWN_COMMANDS.has(command.command)) return;
    await ack();
    await answer(respond, d.log, richToMrkdwn(m.outdated.command(command.command)));
  });
}
