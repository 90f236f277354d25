import 'dotenv/config';
import { startVistoBueno } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { messagesFor } from './i18n/index.js';
import { stopOnSignals } from './shutdown.js';
import { DatabasePathError } from './store/db.js';
import { DatabaseTooNewError } from './store/migrate.js';
import { SlackTokenRefusedError } from './adapters/slack/connection.js';

// The only place that reads process.env.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  let running;
  try {
    running = await startVistoBueno(config, { logger: log });
  } catch (e) {
    if (e instanceof DatabaseTooNewError || e instanceof DatabasePathError || e instanceof SlackTokenRefusedError) {
      console.error(e.message);
      process.exit(1);
    }
    log.fatal({ err: e }, 'could not start');
    process.exit(1);
  }
  if (running.consoleUrl) {
    // One line for the person who just typed «npm start»: where to look, and what comes next.
    const m = messagesFor(config.locale).console;
    process.stdout.write(`\n${config.console.demo ? m.started(running.consoleUrl) : m.startedLive(running.consoleUrl)}\n\n`);
  }
  stopOnSignals(() => running.stop(), log);
}

void main();
