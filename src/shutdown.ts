import type { Logger } from './logger.js';

export interface ShutdownOptions {
  /** How long in-flight work (an outbox send, an HTTP request) may take before the process exits anyway. */
  graceMs?: number;
  /**
   * A repeat of the signal this soon after the first is the same request seen twice, not a second
   * one: Ctrl-C in a terminal reaches npm and node (same process group) and npm forwards its copy
   * to node as well (@npmcli/run-script's signal-manager).
   */
  echoMs?: number;
  exit?: (code: number) => void;
}

export const SHUTDOWN_GRACE_MS = 10_000;
const ECHO_MS = 500;

/**
 * SIGTERM or SIGINT stops the bot cleanly: `stop()` releases the port and finishes work in
 * progress, then the process exits 0. If that takes longer than `graceMs`, or a second signal
 * arrives, it exits 1 at once. Whoever received the signal first (npm forwards it; `npm start`
 * execs node so no shell sits in between), node sees it once or twice and acts once.
 * Returns a function that removes the handlers (tests).
 */
export function stopOnSignals(stop: () => Promise<void>, log: Logger, opts: ShutdownOptions = {}): () => void {
  const graceMs = opts.graceMs ?? SHUTDOWN_GRACE_MS;
  const echoMs = opts.echoMs ?? ECHO_MS;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let firstAt: number | null = null;

  const onSignal = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (firstAt === null) {
      firstAt = now;
      log.info({ signal, graceMs }, 'stopping: finishing work in progress (a second signal exits at once)');
      // unref: the timer alone must not keep a process alive that has nothing else left to do.
      setTimeout(() => {
        log.error({ graceMs }, 'stopping took too long; exiting without waiting');
        exit(1);
      }, graceMs).unref();
      stop().then(
        () => {
          log.info('stopped');
          exit(0);
        },
        (err: unknown) => {
          log.error({ err }, 'error while stopping');
          exit(1);
        },
      );
      return;
    }
    if (now - firstAt < echoMs) return;
    log.warn({ signal }, 'second signal: exiting without waiting');
    exit(1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
