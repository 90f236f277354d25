import { pino, type Logger as Pino } from 'pino';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

export type Logger = Pino;

/** Structured logs; secrets are redacted wherever they appear as fields. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: 'visto-bueno' },
      redact: {
        paths: ['token', '*.token', 'botToken', '*.botToken', 'signingSecret', '*.signingSecret', 'appToken', '*.appToken', 'authorization', '*.authorization', 'headers.authorization'],
        censor: '[oculto]',
      },
    },
    destination as never,
  );
}

/** Bolt's logger interface on top of pino, so Bolt's own messages land in the same stream. */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const scrub = (msgs: unknown[]) => msgs.map((m) => (typeof m === 'string' ? m.replace(/xox[a-z]-[\w-]+|xapp-[\w-]+/g, '[oculto]') : m)).join(' ');
  return {
    debug: (...m) => child.debug(scrub(m)),
    info: (...m) => child.info(scrub(m)),
    warn: (...m) => child.warn(scrub(m)),
    error: (...m) => child.error(scrub(m)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
