import 'dotenv/config';
import { importKpiCsv } from '../adapters/csv/kpi-csv.js';
import { PLACEHOLDERS } from '../config.js';
import { kpisForTools } from '../core.js';
import { systemClock } from '../domain/shared/clock.js';
import { createLogger } from '../logger.js';
import { startImport } from './tool.js';

/**
 * npm run kpi:importar -- archivo.csv
 * Exit codes: 0 every line imported (or already there); 1 some lines have errors (the others were
 * imported); 2 nothing could be imported (no file, unreadable, empty, required columns missing, bad config).
 * Alerts the figures raise (spend over 90 % of a budget…) are written to the outbox; the running bot sends them.
 */
function main(): number {
  const run = startImport(process.argv, process.env, (m) => m.kpiView.csv.usage);
  if (run === 2) return 2;
  const { file, bytes, db, m, settings } = run;
  try {
    const digestTime = process.env.DIGEST_TIME?.trim();
    const reportTime = digestTime && /^\d{2}:\d{2}$/.test(digestTime) ? digestTime : '09:00';
    // A KPI channel on either surface (Slack's when Slack is on, Teams' when Teams is): the same choice the bot makes.
    const env = process.env;
    const slackOn = Boolean(env.SLACK_BOT_TOKEN?.trim()) && !PLACEHOLDERS.SLACK_BOT_TOKEN!.includes(env.SLACK_BOT_TOKEN!.trim());
    const teamsOn = Boolean(env.MICROSOFT_APP_ID?.trim()) || ['on', 'true', '1'].includes((env.TEAMS ?? '').trim().toLowerCase());
    const kpiPlace = (slackOn && Boolean(env.KPI_CHANNEL_ID?.trim())) || (teamsOn && Boolean(env.TEAMS_KPI_CHANNEL_ID?.trim()));
    const adminIds = (env.ADMIN_IDS ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    const kpis = kpisForTools(db, { tz: settings.timezone, kpiPlace, reportTime, adminIds }, systemClock, createLogger('warn'));
    const r = importKpiCsv(bytes, kpis, m);
    for (const w of r.warnings) console.log(w);
    if (r.fileError) {
      console.error(`${file}: ${r.fileError}`);
      return 2;
    }
    console.log(m.kpiView.csv.summary(file, { stored: r.stored, replaced: r.replaced, changed: r.replaced - r.unchanged, failed: r.failedLines }));
    for (const e of r.errors) console.log(`  ${m.cal.csv.line(e.line, e.message)}`);
    return r.errors.length ? 1 : 0;
  } finally {
    db.close();
  }
}

process.exitCode = main();
