import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { stopOnSignals } from '../../src/shutdown.js';

const log = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let remove: (() => void) | undefined;
afterEach(() => remove?.());

function setup(stop: () => Promise<void>, graceMs = 5000) {
  const exits: number[] = [];
  let stops = 0;
  remove = stopOnSignals(
    () => {
      stops++;
      return stop();
    },
    log,
    { graceMs, echoMs: 100, exit: (code) => exits.push(code) },
  );
  return { exits, stops: () => stops };
}

describe('stopping on a signal', () => {
  it('the first signal stops once and exits 0 when the work in progress is done', async () => {
    let finish!: () => void;
    const s = setup(() => new Promise<void>((r) => (finish = r)));
    process.emit('SIGTERM', 'SIGTERM');
    await sleep(10);
    expect(s.exits).toEqual([]);
    finish();
    await sleep(10);
    expect({ stops: s.stops(), exits: s.exits }).toEqual({ stops: 1, exits: [0] });
  });

  it('the same Ctrl-C seen twice (terminal + npm forwarding it) is one request, not a forced exit', async () => {
    let finish!: () => void;
    const s = setup(() => new Promise<void>((r) => (finish = r)));
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    await sleep(10);
    expect(s.exits).toEqual([]);
    finish();
    await sleep(10);
    expect({ stops: s.stops(), exits: s.exits }).toEqual({ stops: 1, exits: [0] });
  });

  it('a second signal later exits at once with 1', async () => {
    const s = setup(() => new Promise<void>(() => undefined));
    process.emit('SIGINT', 'SIGINT');
    await sleep(150);
    process.emit('SIGTERM', 'SIGTERM');
    expect({ stops: s.stops(), exits: s.exits }).toEqual({ stops: 1, exits: [1] });
  });

  it('work that never finishes is cut off after the grace period (exit 1)', async () => {
    const s = setup(() => new Promise<void>(() => undefined), 50);
    process.emit('SIGTERM', 'SIGTERM');
    await sleep(120);
    expect(s.exits).toEqual([1]);
  });

  it('a failing stop exits 1', async () => {
    const s = setup(() => Promise.reject(new Error('database locked')));
    process.emit('SIGTERM', 'SIGTERM');
    await sleep(10);
    expect(s.exits).toEqual([1]);
  });
});
