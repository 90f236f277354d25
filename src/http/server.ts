import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';

/** One route of the project's HTTP server (the same shape as Bolt's CustomRoute). */
export interface Route {
  path: string;
  method: string | string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

/** A surface's own listener mounted under a path prefix (Bolt's receiver at /slack/events). */
export interface Mount {
  prefix: string;
  listener: RequestListener;
}

/**
 * The one HTTP server the project owns. Surfaces mount on it (Slack's /slack/events; later
 * Teams' /api/messages and the console), beside /healthz, the calendar feed and /api/v1/….
 */
export class HttpServer {
  private readonly routes: Route[] = [];
  private readonly mounts: Mount[] = [];
  private readonly server: Server;

  constructor(private readonly log: Logger) {
    this.server = createServer((req, res) => void this.handle(req, res));
    // Slack and Teams wait a few seconds at most; a client that stalls must not hold a socket for long.
    this.server.requestTimeout = 30_000;
    this.server.headersTimeout = 15_000;
  }

  route(r: Route): this {
    this.routes.push(r);
    return this;
  }

  mount(m: Mount): this {
    this.mounts.push(m);
    return this;
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting, closes idle keep-alive sockets, and waits (bounded) for requests in flight. */
  async close(graceMs = 5000): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => this.server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(timer);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    try {
      const mount = this.mounts.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
      if (mount) return mount.listener(req, res);
      const route = this.routes.find((r) => r.path === path);
      if (!route) return void res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!methods.includes(req.method ?? 'GET')) {
        return void res.writeHead(405, { Allow: methods.join(', '), 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed');
      }
      await route.handler(req, res);
    } catch (e) {
      this.log.error({ err: e, path }, 'HTTP handler failed');
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal error');
    }
  }
}
