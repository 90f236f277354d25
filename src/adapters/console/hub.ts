import type { ServerResponse } from 'node:http';

/**
 * Server-sent events for the console's open pages: each page listens, and is told which conversations
 * changed (a card decided, a message delivered, the clock moved) so it redraws them without a reload.
 */
export class ConsoleHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly beat: NodeJS.Timeout;

  constructor(heartbeatMs = 15_000) {
    // A comment now and then keeps proxies and the browser from closing an idle stream.
    this.beat = setInterval(() => this.write(': ping\n\n'), heartbeatMs);
    this.beat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  open(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  /** `all`: every conversation (the clock moved, the office was emptied or filled). */
  changed(conversations: string[] | 'all'): void {
    if (conversations !== 'all' && !conversations.length) return;
    this.write(`event: changed\ndata: ${JSON.stringify({ c: conversations })}\n\n`);
  }

  private write(chunk: string): void {
    for (const res of this.clients) {
      if (res.writableEnded || res.destroyed) this.clients.delete(res);
      else res.write(chunk);
    }
  }

  close(): void {
    clearInterval(this.beat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
