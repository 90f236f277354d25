import type { WebClient } from '@slack/web-api';

/**
 * Slack refuses alt text longer than 1,000 characters (`alt_txt_too_large` from
 * files.getUploadURLExternal); @slack/web-api's types do not say, Slack's method docs do.
 */
export const SLACK_ALT_TEXT_MAX = 1000;

/** Cuts text to `max` characters (code points, never half a surrogate pair), ending in «…» when cut. */
export function truncateAlt(text: string, max = SLACK_ALT_TEXT_MAX): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export interface PngUpload {
  /** Channel id (C…, G…, D…) or a user id (U…), which shares it in the bot's DM with them. */
  channel: string;
  png: Buffer;
  filename: string;
  title: string;
  /** For screen readers; truncated to SLACK_ALT_TEXT_MAX. */
  alt: string;
  /** Message posted with the file (`initial_comment`). */
  comment?: string;
}

/**
 * Shares a PNG in a channel with files.uploadV2, which does Slack's three steps:
 * files.getUploadURLExternal (filename, length, alt text) → POST of the bytes to the returned
 * upload_url (multipart, through the client's own request queue and retries) →
 * files.completeUploadExternal (files:[{id,title}], channel_id, initial_comment).
 * Errors are @slack/web-api's own (platform, rate limited, HTTP, request), so classifySlackError
 * sorts them like any other call.
 */
export async function uploadPng(client: WebClient, o: PngUpload): Promise<void> {
  await client.files.uploadV2({
    channel_id: o.channel,
    file: o.png,
    filename: o.filename,
    title: o.title,
    ...(o.alt ? { alt_text: truncateAlt(o.alt) } : {}),
    ...(o.comment ? { initial_comment: o.comment } : {}),
  });
}
