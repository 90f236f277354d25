import type { ServerResponse } from 'node:http';
import type { Rejection } from './fake-slack.js';

/** A file shared through files.getUploadURLExternal → POST to upload_url → files.completeUploadExternal. */
export interface FakeFile {
  id: string;
  /** Where it was shared (a DM is `D<user>`, the id conversations.open gives). */
  channel: string;
  title: string;
  filename: string;
  /** Alt text as sent to getUploadURLExternal (`alt_txt` per Slack's docs, `alt_text` as @slack/web-api sends it). */
  alt: string | undefined;
  bytes: Buffer;
  comment: string | undefined;
}

interface Pending {
  id: string;
  filename: string;
  length: number;
  alt: string | undefined;
  bytes: Buffer | null;
}

/** What FakeSlack lends this module: its port, its channel rules, its rejection log. */
export interface FilesHost {
  port(): number;
  readonly rejections: Rejection[];
  resolveChannel(channel: string): { channel: string } | { error: string };
}

/** Slack refuses alt text longer than this (`alt_txt_too_large`). */
export const SLACK_ALT_TEXT_MAX = 1000;

/**
 * The external upload flow of the fake Slack, as strict as Slack:
 * - `files.getUploadURLExternal` needs `filename` and an integer `length` > 0, and alt text of at most
 *   1,000 characters; it answers an `upload_url` on the fake's own port and a `F…` id;
 * - the POST to that URL keeps the bytes (the file part of a multipart body, or the raw body) and
 *   answers 400 when their count differs from the declared `length`, 404 for an unknown URL;
 * - `files.completeUploadExternal` needs `files` (JSON) naming uploaded ids, and a `channel_id` that
 *   exists (`channel_not_found` otherwise, like chat.postMessage).
 */
export class FakeSlackFiles {
  readonly files: FakeFile[] = [];
  private readonly pending = new Map<string, Pending>();
  private seq = 0;

  constructor(private readonly host: FilesHost) {}

  /** Answers the two Web API methods; undefined for any other method. */
  answer(method: string, a: Record<string, unknown>): Record<string, unknown> | undefined {
    if (method === 'files.getUploadURLExternal') return this.getUploadURL(a);
    if (method === 'files.completeUploadExternal') return this.complete(a);
    return undefined;
  }

  private refuse(method: string, error: string, message: string): Record<string, unknown> {
    this.host.rejections.push({ method, error, messages: [`[ERROR] ${message}`] });
    return { ok: false, error, response_metadata: { messages: [`[ERROR] ${message}`] } };
  }

  private getUploadURL(a: Record<string, unknown>): Record<string, unknown> {
    const method = 'files.getUploadURLExternal';
    const filename = typeof a.filename === 'string' ? a.filename : '';
    if (!filename) return this.refuse(method, 'invalid_arguments', 'missing required field: filename');
    const rawLength = String(a.length ?? '');
    if (!/^\d+$/.test(rawLength)) return this.refuse(method, 'invalid_arguments', `length must be an integer, got ${JSON.stringify(a.length ?? null)}`);
    const length = Number(rawLength);
    if (length <= 0) return this.refuse(method, 'missing_argument', 'length must be greater than 0');
    const altRaw = a.alt_txt ?? a.alt_text;
    const alt = altRaw === undefined ? undefined : String(altRaw);
    if (alt !== undefined && [...alt].length > SLACK_ALT_TEXT_MAX) return this.refuse(method, 'alt_txt_too_large', `alt text is ${[...alt].length} characters; the limit is ${SLACK_ALT_TEXT_MAX}`);
    const id = `F${String(++this.seq).padStart(8, '0')}`;
    this.pending.set(id, { id, filename, length, alt, bytes: null });
    return { ok: true, upload_url: `http://127.0.0.1:${this.host.port()}/upload/${id}`, file_id: id };
  }

  /** The POST of the bytes to an upload_url (`id` is the path after /upload/). */
  receive(id: string, contentType: string, raw: Buffer, res: ServerResponse): void {
    const p = this.pending.get(id);
    const text = (status: number, body: string) => res.writeHead(status, { 'Content-Type': 'text/plain' }).end(body);
    if (!p) return void text(404, 'not_found');
    const bytes = contentType.startsWith('multipart/form-data') ? multipartFile(contentType, raw) : raw;
    if (!bytes) return void text(400, 'no file part in the multipart body');
    if (bytes.length !== p.length) return void text(400, `length mismatch: declared ${p.length}, received ${bytes.length}`);
    p.bytes = Buffer.from(bytes);
    text(200, `OK - ${bytes.length}`);
  }

  private complete(a: Record<string, unknown>): Record<string, unknown> {
    const method = 'files.completeUploadExternal';
    let list: unknown;
    try {
      list = typeof a.files === 'string' ? JSON.parse(a.files) : a.files;
    } catch {
      return this.refuse(method, 'invalid_arguments', 'files is not valid JSON');
    }
    if (!Array.isArray(list) || list.length === 0) return this.refuse(method, 'invalid_arguments', 'files must be a non-empty array of {id, title}');
    const entries = list as { id?: unknown; title?: unknown }[];
    const found: { p: Pending; title: string }[] = [];
    for (const f of entries) {
      const p = this.pending.get(String(f?.id ?? ''));
      if (!p || !p.bytes) return { ok: false, error: 'file_not_found' };
      found.push({ p, title: typeof f.title === 'string' && f.title ? f.title : p.filename });
    }
    const channelId = a.channel_id ?? a.channels;
    if (channelId === undefined || channelId === '') return this.refuse(method, 'invalid_arguments', 'this fake only shares files into a channel: channel_id is required');
    // Unlike chat.postMessage, a file is shared into a conversation: a user id is not one (the bot
    // opens the DM with conversations.open first).
    if (/^[UW]/.test(String(channelId))) return { ok: false, error: 'channel_not_found' };
    const to = this.host.resolveChannel(String(channelId));
    if ('error' in to) return { ok: false, error: to.error };
    const comment = a.initial_comment === undefined ? undefined : String(a.initial_comment);
    for (const { p, title } of found) {
      this.pending.delete(p.id);
      this.files.push({ id: p.id, channel: to.channel, title, filename: p.filename, alt: p.alt, bytes: p.bytes!, comment });
    }
    return { ok: true, files: found.map(({ p, title }) => ({ id: p.id, title, name: p.filename, size: p.length })) };
  }
}

/** The content of the (first) file part of a multipart/form-data body, byte for byte, or null. */
export function multipartFile(contentType: string, raw: Buffer): Buffer | null {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary.trim()}`);
  let at = raw.indexOf(delimiter);
  while (at !== -1) {
    const headerStart = at + delimiter.length + 2; // skip CRLF after the delimiter
    const headerEnd = raw.indexOf('\r\n\r\n', headerStart);
    if (headerEnd === -1) return null;
    const next = raw.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next === -1) return null;
    const headers = raw.subarray(headerStart, headerEnd).toString('utf8');
    if (/filename=/i.test(headers)) return raw.subarray(headerEnd + 4, next);
    at = next + 2;
  }
  return null;
}
