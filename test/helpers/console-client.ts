import { request } from 'node:http';
import { startVistoBueno, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { tempDbPath } from './harness.js';
import { Writable } from 'node:stream';

export interface ConsoleResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A browser as the console sees it, without the browser: one cookie jar, GET pages and POST the
 * forms they hold (urlencoded, with the CSRF token the page gave).
 */
export class ConsoleClient {
  cookie = '';
  constructor(
    readonly port: number,
    readonly host = `127.0.0.1:${port}`,
  ) {}

  raw(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<ConsoleResponse> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, path, method, headers: { Host: this.host, ...(this.cookie ? { Cookie: this.cookie } : {}), ...(body !== undefined ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)) } : {}), ...headers } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => {
            const set = res.headers['set-cookie']?.[0];
            if (set) this.cookie = set.split(';')[0]!;
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
          });
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  get(path: string): Promise<ConsoleResponse> {
    return this.raw('GET', path);
  }

  /** The CSRF token of a page (every form on it carries the same one). */
  static csrfOf(html: string): string {
    const m = /name="csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no CSRF token on the page');
    return m[1]!;
  }

  /** Opens the page as `as` in `c`, then posts `fields` to `path` with its token; follows the redirect. */
  async post(path: string, as: string, c: string, fields: Record<string, string | string[]>): Promise<{ post: ConsoleResponse; page: ConsoleResponse }> {
    const page = await this.get(`/?as=${encodeURIComponent(as)}&c=${encodeURIComponent(c)}`);
    const form = new URLSearchParams({ csrf: ConsoleClient.csrfOf(page.body), as, c });
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
    const post = await this.raw('POST', path, form.toString());
    const location = String(post.headers.location ?? '');
    return { post, page: location ? await this.get(location.replace(/#.*$/, '')) : post };
  }

  /** The conversation's messages as plain text (tags dropped, entities of user text kept escaped). */
  static text(html: string): string {
    const start = html.indexOf('<div id="messages">');
    const end = html.indexOf('<form class="composer"');
    return html
      .slice(start, end)
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
  }
}

/** The real app as `npm start` makes it with nothing configured: the console's demo office. */
export async function startDemo(extra: Record<string, string> = {}): Promise<{ app: RunningApp; logs: string[]; dbPath: string }> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const dbPath = tempDbPath();
  const app = await startVistoBueno(loadConfig({ PORT: '0', CONSOLE_DATABASE_PATH: dbPath, LOG_LEVEL: 'info', ...extra }), { logger: createLogger('info', sink), schedulerTickMs: 0 });
  return { app, logs, dbPath };
}
