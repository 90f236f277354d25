/** Slack's error codes explained in English (the Spanish map lives in es.ts). */
const explained: Record<string, string> = {
  not_on_teams: 'the person has no Teams account known to the bot (they should write to the bot once in Teams)',
  bot_removed: 'Teams will not let the bot write: the app is not installed for that person or team',
  conversation_not_found: 'Teams no longer has that chat or channel',
  message_too_big: 'the message is too big for Teams',
  throttled: 'Teams limited sending (too many messages)',
  unauthorized: 'Teams does not accept the bot credentials (MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD)',
  surface_off: 'that platform was turned off before delivering it; the others delivered their own copy',
  channel_not_found: 'the channel does not exist or the bot cannot see it',
  not_in_channel: 'the bot is not a member of the channel; invite it',
  is_archived: 'the channel is archived',
  user_not_found: 'the person does not exist in this workspace',
  user_not_in_channel: 'the person is not in the channel',
  invalid_blocks: 'Slack refused the message format',
  msg_too_long: 'the message is too long for Slack',
  ratelimited: 'Slack rate-limited the bot',
  invalid_auth: 'Slack does not accept the bot token (SLACK_BOT_TOKEN)',
  timeout: 'Slack did not answer in time',
  token_revoked: 'the bot token was revoked; reinstall the app',
  service_unavailable: 'Slack is not available right now',
  internal_error: 'Slack had an internal error',
  network_error: 'Slack could not be reached',
  not_on_slack: 'the person has no Slack account the bot knows',
  place_not_configured: 'that channel is not configured (check REVIEW_CHANNEL_ID, CALENDAR_CHANNEL_ID or DIGEST_CHANNEL_ID)',
  piece_not_found: 'the piece no longer exists',
};

export function explainDeliveryErrorEn(code: string): string {
  const key = Object.keys(explained).find((k) => code === k || code.includes(k)) ?? (/time(d)?\s?out|ETIMEDOUT/i.test(code) ? 'timeout' : undefined);
  return key ? `${code} (${explained[key]})` : code;
}
