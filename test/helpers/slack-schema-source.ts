/**
 * The Block Kit shapes the fake Slack checks payloads against, taken from @slack/types (what
 * @slack/bolt and @slack/web-api use). `npm run schema:slack` turns them into
 * test/helpers/slack-block-kit.schema.json; nothing imports this file at run time.
 */
import type { KnownBlock, ModalView } from '@slack/types';

/** chat.postMessage / chat.update / chat.postEphemeral / response_url `blocks`. */
export type MessageBlocks = KnownBlock[];

/** views.open / views.update `view` (the bot only opens modals). */
export type Modal = ModalView;
