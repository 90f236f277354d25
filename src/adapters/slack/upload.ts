import { WebAPIHTTPError, WebAPIRateLimitedError, WebAPIRequestError, type FilesGetUploadURLExternalArguments, type WebClient } from '@slack/web-api';

/**
 * Slack refuses alt text longer than 1,000 characters (`alt_txt_too_large` from
 * files.getUploadURLExternal); @slack/web-api's types do not say, Slack's method docs do.
 */
export const SLACK_ALT_TEXT_MAX = 1000;

/** How long the POST of the bytes to the upload URL may take. */
const UPLOAD_TIMEOUT_MS = 30_000;

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
  /** Limit for the byte upload (the two Web API calls use the client's own timeout). */
  timeoutMs?: number;
}

/**
 * Shares a PNG in a channel in Slack's three steps — what files.uploadV2 does, done here because
 * @slack/web-api 8.2.0's uploadV2 sends the alt text as `alt_text`, while Slack documents the
 * argument of files.getUploadURLExternal as `alt_txt` (and the Python and Java SDKs send that):
 *   1. files.getUploadURLExternal (filename, length, alt_txt) → upload_url, file_id;
 *   2. POST of the bytes to upload_url, multipart as uploadV2 sends them;
 *   3. files.completeUploadExternal (files:[{id,title}], channel_id, initial_comment).
 * Every failure is a @slack/web-api error (platform, rate limited, HTTP, request), so
 * classifySlackError sorts it like any other call: channel_not_found is permanent, a 429 is
 * rate_limited, a 5xx or a network error is retryable.
 */
export async function uploadPng(client: WebClient, o: PngUpload): Promise<void> {
  const alt = o.alt ? truncateAlt(o.alt) : '';
  const ask: FilesGetUploadURLExternalArguments & { alt_txt?: string } = { filename: o.filename, length: o.png.length, ...(alt ? { alt_txt: alt } : {}) };
  const got = await client.files.getUploadURLExternal(ask);
  if (!got.upload_url || !got.file_id) throw new WebAPIRequestError(new Error('files.getUploadURLExternal answered without upload_url or file_id'));
  await postBytes(got.upload_url, o.png, o.filename, o.timeoutMs ?? UPLOAD_TIMEOUT_MS);
  // A file is shared into a conversation, and a user id is not one: a person's DM is opened first.
  const channel = /^[UW]/.test(o.channel) ? ((await client.conversations.open({ users: o.channel })).channel?.id ?? o.channel) : o.channel;
  await client.files.completeUploadExternal({
    files: [{ id: got.file_id, title: o.title }],
    channel_id: channel,
    ...(o.comment ? { initial_comment: o.comment } : {}),
  });
}

/** Step 2: the bytes as a multipart file part (what uploadV2 sends); Slack answers 200 when it has them all. */
async function postBytes(url: string, png: Buffer, filename: string, timeoutMs: number): Promise<void> {
  const form = new FormData();
  form.append('filename', new Blob([new Uint8Array(png)], { type: 'image/png' }), filename);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body: form, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new WebAPIRequestError(e instanceof Error ? e : new Error(String(e)));
  }
  const body = await res.text().catch(() => '');
  if (res.status === 200) return;
  const retryAfter = res.headers.get('retry-after');
  if (res.status === 429 && retryAfter !== null && /^\d+$/.test(retryAfter.trim())) throw new WebAPIRateLimitedError(Number(retryAfter));
  throw new WebAPIHTTPError(res.status, res.statusText, Object.fromEntries(res.headers.entries()), body);
}
