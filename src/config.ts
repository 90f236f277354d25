import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseCron } from './scheduler/cron.js';
import { parseClosedDates, parseOfficeHours, type DateRange, type OfficeHours } from './domain/inquiries/business-days.js';
import { LEGAL_TABLES, parseLegalOverride, type LegalTerm } from './domain/inquiries/legal-terms.js';
import { parseHandoff } from './domain/oncall/rotation.js';
import { knownRegion, regionsOf } from './adapters/holidays/date-holidays.js';
import { readTeamsConfig, TEAMS_HINTS, type TeamsConfig } from './config-teams.js';
import { DEMO_ROLES } from './adapters/console/office.js';
import { consoleEs } from './i18n/console-es.js';

/**
 * All settings, read once from an environment object passed in (tests pass a literal; main passes
 * process.env). A bad start lists every problem and how to fix it, in one message.
 */
export interface Config {
  slack: {
    /** Slack is on when SLACK_BOT_TOKEN is set; the bot may run with Teams alone */
    enabled: boolean;
    botToken: string;
    signingSecret: string;
    appToken: string | null;
    apiUrl: string | null;
    reviewChannelId: string;
  };
  port: number;
  host: string;
  databasePath: string;
  timezone: string;
  locale: 'es' | 'en';
  roles: { approverIds: string[]; designerIds: string[]; adminIds: string[] };
  allowSelfApproval: boolean;
  calendar: {
    channelId: string | null;
    digestChannelId: string | null;
    digestTime: string;
    digestDays: number[];
    feedToken: string | null;
    reminderGraceHours: number;
  };
  kpi: {
    /** the HTTP API is off while null */
    apiToken: string | null;
    channelId: string | null;
    /** a cron expression in the office's time zone (checked with node-cron) */
    reportCron: string;
    editorIds: string[];
    /** ISO 4217 code of budgets and money metrics */
    currency: string;
    /** how numbers and money are written: es-MX «$150,000», es-CO «$150.000» */
    numberLocale: string;
  };
  inquiries: {
    /** where each inquiry's card goes; null: pages and warnings by DM only */
    channelId: string | null;
    /** the HTTP API for web forms and mail gateways is off while null */
    apiToken: string | null;
    /** ONCALL_IDS: the rotation until an admin sets one from chat */
    oncallIds: string[];
    /** ONCALL_HANDOFF as written ('lun 09:00'), checked */
    handoff: string;
    ackMinutes: number;
    repeatMinutes: number;
    /** ISO 3166 code of the legal table and the public holidays */
    country: string;
    region: string | null;
    /** rows of LEGAL_TERMS_FILE that replace or add to the country's table */
    termsOverride: LegalTerm[] | null;
    closedDates: DateRange[];
    officeHours: OfficeHours;
  };
  teams: TeamsConfig;
  /**
   * The local web console (src/adapters/console/): on with no Slack and no Teams settings (the demo
   * office, in its own database, with a clock that can be advanced), or with CONSOLE=on beside them
   * (a local view of the office's own data). Always on 127.0.0.1 only.
   */
  console: { enabled: boolean; demo: boolean };
  /** sent outbox rows and finished job rows older than this are deleted (audit tables never are) */
  retentionDays: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`No se puede iniciar Visto Bueno; revise la configuración (.env o variables de entorno):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const HINTS: Record<string, string> = {
  SLACK_BOT_TOKEN: 'cópielo de OAuth & Permissions → Bot User OAuth Token; empieza con xoxb-',
  SLACK_SIGNING_SECRET: 'cópielo de Basic Information → App Credentials → Signing Secret (tiene 32 caracteres; aquí se piden al menos 8)',
  SLACK_APP_TOKEN: 'créelo en Basic Information → App-Level Tokens con el permiso connections:write; empieza con xapp-',
  SLACK_API_URL: 'una URL completa, por ejemplo https://slack.com/api/ (déjela vacía en producción)',
  REVIEW_CHANNEL_ID: 'el id del canal de revisión (clic derecho en el canal → Ver detalles; empieza con C o G) e invite al bot al canal',
  PORT: 'un número de puerto entre 0 y 65535',
  HOST: 'la dirección donde escuchar, por ejemplo 0.0.0.0 o 127.0.0.1',
  CONSOLE: 'on u off (la consola web local; sin Slack ni Teams está encendida)',
  CONSOLE_DATABASE_PATH: 'la ruta del archivo de la base de datos de la oficina de prueba, por ejemplo data/consola-demo.db',
  TIMEZONE: 'una zona horaria IANA, por ejemplo America/Mexico_City o America/Bogota',
  LOCALE: 'es o en',
  APPROVER_IDS: 'personas separadas por comas: ids de Slack (U012AB3CD), ids de objeto de Azure AD de Teams o correos, por ejemplo U012AB3CD,ana@oficina.gob.mx',
  DESIGNER_IDS: 'personas separadas por comas: ids de Slack (U012AB3CD), ids de objeto de Azure AD de Teams o correos, por ejemplo U012AB3CD,ana@oficina.gob.mx',
  ADMIN_IDS: 'personas separadas por comas: ids de Slack (U012AB3CD), ids de objeto de Azure AD de Teams o correos, por ejemplo U012AB3CD,ana@oficina.gob.mx',
  ALLOW_SELF_APPROVAL: 'true o false',
  CALENDAR_CHANNEL_ID: 'el id del canal donde avisar los recordatorios del calendario (C… o G…), o vacío',
  DIGEST_CHANNEL_ID: 'el id del canal del resumen diario (C… o G…), o vacío para no publicarlo',
  DIGEST_TIME: 'la hora del resumen diario como HH:MM, por ejemplo 09:00',
  DIGEST_DAYS: 'días ISO (1 = lunes … 7 = domingo) como 1-5, 1-7 o 1,3,5',
  CALENDAR_FEED_TOKEN: 'un texto secreto largo (16 caracteres o más) para la URL del calendario .ics, o vacío para desactivarla',
  REMINDER_GRACE_HOURS: 'un número de horas, por ejemplo 6',
  RETENTION_DAYS: 'un número de días (1 o más), por ejemplo 90',
  KPI_API_TOKEN: 'un texto secreto de 16 caracteres o más para la API de métricas (Authorization: Bearer …), o vacío para desactivarla',
  KPI_CHANNEL_ID: 'el id del canal de métricas, donde van las alertas y los reportes de campañas (C… o G…), o vacío',
  KPI_REPORT_CRON: 'una expresión cron de 5 campos en la zona horaria de la oficina, por ejemplo 0 9 * * 1 (lunes 09:00)',
  KPI_EDITOR_IDS: 'quienes registran métricas, separados por comas: ids de Slack, ids de objeto de Azure AD de Teams o correos, por ejemplo U012AB3CD,ana@oficina.gob.mx',
  CURRENCY: 'un código de moneda ISO 4217, por ejemplo MXN, COP, CLP, USD',
  NUMBER_LOCALE: 'el formato de números y dinero, por ejemplo es-MX ($150,000) o es-CO ($150.000)',
  INQUIRY_CHANNEL_ID: 'el id del canal de consultas del público, donde va la tarjeta de cada consulta (C… o G…), o vacío',
  INQUIRY_API_TOKEN: 'un texto secreto de 16 caracteres o más para la API de consultas (formularios web, correo), o vacío para desactivarla',
  ONCALL_IDS: 'personas en el orden de la guardia, separadas por comas: ids de Slack, ids de objeto de Azure AD de Teams o correos, por ejemplo U012AB3CD,ana@oficina.gob.mx',
  ONCALL_HANDOFF: 'el día y la hora del cambio de guardia semanal, por ejemplo lun 09:00 o vie 18:00',
  INQUIRY_ACK_MINUTES: 'minutos (1 a 1440) antes de avisar a la siguiente persona si nadie toma una consulta, por ejemplo 15',
  INQUIRY_REPEAT_MINUTES: 'minutos (1 a 1440) entre avisos repetidos mientras nadie toma una consulta, por ejemplo 30',
  LEGAL_COUNTRY: 'el código ISO del país de los plazos legales y los días festivos: MX, CO, CL, AR o UY (otro país necesita LEGAL_TERMS_FILE)',
  LEGAL_REGION: 'el código de la región cuyos festivos propios también cuentan (por ejemplo BI en Chile), o vacío',
  LEGAL_TERMS_FILE: 'la ruta de un archivo JSON con filas {type, days, extension_days, law, article} que reemplazan o agregan plazos',
  OFFICE_CLOSED_DATES: 'días en que la oficina no atiende, separados por comas: fechas o rangos, por ejemplo 2026-03-30..2026-04-03,2026-12-24..2026-12-31',
  OFFICE_HOURS: 'el horario de atención como HH:MM-HH:MM, por ejemplo 09:00-18:00',
  LOG_LEVEL: 'trace, debug, info, warn, error, fatal o silent',
};

/** Settings that only a Slack or Teams setup has: with any of them, no token is a mistake, not a trial. */
const SURFACE_KEYS = ['SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'REVIEW_CHANNEL_ID', 'MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_TENANT_ID', 'TEAMS_REVIEW_CHANNEL_ID', 'TEAMS_CALENDAR_CHANNEL_ID', 'TEAMS_DIGEST_CHANNEL_ID', 'TEAMS_KPI_CHANNEL_ID', 'TEAMS_INQUIRY_CHANNEL_ID'];

/** The addresses that are this machine only: the console listens on nothing else. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const isCurrency = (c: string): boolean => {
  if (!/^[A-Z]{3}$/.test(c)) return false;
  try {
    return Intl.supportedValuesOf('currency').includes(c);
  } catch {
    return false;
  }
};

const isNumberLocale = (l: string): boolean => {
  try {
    return Intl.NumberFormat.supportedLocalesOf([l]).length === 1;
  } catch {
    return false;
  }
};

const isCron = (expr: string): boolean => parseCron(expr, 'UTC').ok;

/** A person named in a setting: a Slack user id, a Teams user's Azure AD object id, or an e-mail. */
export const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
export const AAD_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const EMAIL = /^[^\s@,<>]+@[^\s@,<>]+\.[^\s@,<>]+$/;
const isPersonRef = (id: string): boolean => SLACK_USER.test(id) || AAD_OBJECT_ID.test(id) || EMAIL.test(id);

const idList = z
  .string()
  .optional()
  .transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean))
  .refine((ids) => ids.every(isPersonRef));

const bool = z
  .string()
  .optional()
  .refine((s) => s === undefined || s === '' || /^(true|false|1|0|yes|no)$/i.test(s))
  .transform((s) => /^(true|1|yes)$/i.test(s ?? ''));

const optional = (schema: z.ZodString) =>
  z
    .string()
    .optional()
    .transform((s) => (s?.trim() ? s.trim() : undefined))
    .pipe(schema.optional());

/** «1-5», «1-7», «1,3,5» → ISO weekdays. */
function parseDays(s: string): number[] | null {
  const out = new Set<number>();
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const r = /^([1-7])(?:-([1-7]))?$/.exec(part);
    if (!r) return null;
    const [a, b] = [Number(r[1]), Number(r[2] ?? r[1])];
    if (b < a) return null;
    for (let d = a; d <= b; d++) out.add(d);
  }
  return out.size ? [...out].sort() : null;
}

const channel = optional(z.string().regex(/^[CG][A-Z0-9]{2,}$/));

const minutes = (fallback: number) =>
  optional(z.string().regex(/^\d+$/))
    .transform((s) => Number(s ?? fallback))
    .refine((n) => n >= 1 && n <= 1440);

const schema = z.object({
  SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-/)),
  SLACK_SIGNING_SECRET: optional(z.string().min(8)),
  SLACK_APP_TOKEN: optional(z.string().regex(/^xapp-/)),
  SLACK_API_URL: optional(z.string().url()),
  REVIEW_CHANNEL_ID: channel,
  PORT: optional(z.string().regex(/^\d+$/)).transform((s) => Number(s ?? 3000)).refine((n) => n <= 65535),
  HOST: optional(z.string()),
  CONSOLE: optional(z.string())
    .transform((s) => s?.toLowerCase())
    .pipe(z.enum(['on', 'off', 'true', 'false', '1', '0']).optional()),
  CONSOLE_DATABASE_PATH: optional(z.string()).transform((s) => s ?? 'data/consola-demo.db'),
  DATABASE_PATH: optional(z.string()).transform((s) => s ?? 'data/vistobueno.db'),
  TIMEZONE: optional(z.string()).transform((s) => s ?? 'America/Mexico_City').refine(isTimeZone),
  LOCALE: optional(z.string()).transform((s) => s ?? 'es').pipe(z.enum(['es', 'en'])),
  APPROVER_IDS: idList,
  DESIGNER_IDS: idList,
  ADMIN_IDS: idList,
  ALLOW_SELF_APPROVAL: bool,
  CALENDAR_CHANNEL_ID: channel,
  DIGEST_CHANNEL_ID: channel,
  DIGEST_TIME: optional(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)).transform((s) => s ?? '09:00'),
  DIGEST_DAYS: optional(z.string())
    .transform((s) => parseDays(s ?? '1-5'))
    .refine((d) => d !== null),
  CALENDAR_FEED_TOKEN: optional(z.string().min(16)),
  REMINDER_GRACE_HOURS: optional(z.string().regex(/^\d+(\.\d+)?$/)).transform((s) => Number(s ?? 6)),
  RETENTION_DAYS: optional(z.string().regex(/^[1-9]\d*$/)).transform((s) => Number(s ?? 90)),
  KPI_API_TOKEN: optional(z.string().min(16)),
  KPI_CHANNEL_ID: channel,
  KPI_REPORT_CRON: optional(z.string()).transform((s) => (s ?? '0 9 * * 1').replace(/\s+/g, ' ')).refine(isCron),
  KPI_EDITOR_IDS: idList,
  CURRENCY: optional(z.string()).transform((s) => (s ?? 'MXN').toUpperCase()).refine(isCurrency),
  NUMBER_LOCALE: optional(z.string()).transform((s) => s ?? 'es-MX').refine(isNumberLocale),
  INQUIRY_CHANNEL_ID: channel,
  INQUIRY_API_TOKEN: optional(z.string().min(16)),
  ONCALL_IDS: idList,
  ONCALL_HANDOFF: optional(z.string()).transform((s) => (s ?? 'lun 09:00').replace(/\s+/g, ' ')).refine((s) => parseHandoff(s) !== null),
  INQUIRY_ACK_MINUTES: minutes(15),
  INQUIRY_REPEAT_MINUTES: minutes(30),
  LEGAL_COUNTRY: optional(z.string()).transform((s) => (s ?? 'MX').toUpperCase()).refine((c) => /^[A-Z]{2}$/.test(c) && knownRegion(c)),
  LEGAL_REGION: optional(z.string()).transform((s) => (s ? s.toUpperCase() : undefined)),
  LEGAL_TERMS_FILE: optional(z.string()),
  OFFICE_CLOSED_DATES: optional(z.string()).transform((s) => parseClosedDates(s ?? '')).refine((r) => r !== null),
  OFFICE_HOURS: optional(z.string()).transform((s) => parseOfficeHours(s ?? '09:00-18:00')).refine((h) => h !== null),
  LOG_LEVEL: optional(z.string())
    .transform((s) => s ?? 'info')
    .pipe(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])),
});

/**
 * The example values of .env.example: a copied file that was never filled in must read as «not
 * set», not as a token Slack will refuse or a channel that does not exist.
 */
export const PLACEHOLDERS: Record<string, readonly string[]> = {
  SLACK_BOT_TOKEN: ['xoxb-your-bot-token'], // the example value, not a token
  SLACK_SIGNING_SECRET: ['your-signing-secret'],
  SLACK_APP_TOKEN: ['xapp-your-app-token'],
  REVIEW_CHANNEL_ID: ['C0123456789'],
};

const withoutPlaceholders = (env: Record<string, string | undefined>): Record<string, string | undefined> => {
  const out = { ...env };
  for (const [k, values] of Object.entries(PLACEHOLDERS)) if (values.includes(out[k]?.trim() ?? '')) out[k] = '';
  return out;
};

export function loadConfig(rawEnv: Record<string, string | undefined>): Config {
  const env = withoutPlaceholders(rawEnv);
  const parsed = schema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (seen.has(key)) continue;
      seen.add(key);
      const missing = env[key] === undefined || env[key]?.trim() === '';
      const example = missing && rawEnv[key]?.trim() ? ' (tiene el valor de ejemplo de .env.example)' : '';
      // A cron expression is told exactly what is wrong with it (node-cron's reading, in Spanish).
      const cron = key === 'KPI_REPORT_CRON' && !missing ? parseCron(String(env[key]).trim().replace(/\s+/g, ' '), 'UTC') : null;
      const why = cron && !cron.ok ? cron.message.replace(/\.$/, '') : (HINTS[key] ?? issue.message);
      problems.push(`${missing ? 'Falta' : 'Valor no válido en'} ${key}${example}: ${why}.`);
    }
  }
  const blank = (k: string) => !env[k]?.trim();
  const teams = readTeamsConfig(env, problems);
  // Slack is on with its token; then it needs a way in (signing secret or Socket Mode) and a review channel.
  const slackOn = !blank('SLACK_BOT_TOKEN');
  const example = (k: string) => (rawEnv[k]?.trim() ? ' (tiene el valor de ejemplo de .env.example)' : '');
  const consoleFlag = (env.CONSOLE?.trim() ?? '').toLowerCase();
  const consoleAsked = ['on', 'true', '1'].includes(consoleFlag);
  const consoleRefused = ['off', 'false', '0'].includes(consoleFlag);
  // Nothing configured: the console's demo office, so a fresh clone starts (unless CONSOLE=off). A
  // Slack or Teams setting without its token is an office's half-made setup: said, never a demo.
  const halfConfigured = SURFACE_KEYS.some((k) => !blank(k));
  const consoleOn = consoleAsked || (!slackOn && !teams.enabled && !consoleRefused && !halfConfigured);
  const host = env.HOST?.trim() || null;
  if (consoleOn && host && !LOOPBACK.has(host.toLowerCase())) problems.push(consoleEs.hostRefused(host));
  if (!slackOn && !teams.enabled && !consoleOn) {
    problems.push(
      `Falta SLACK_BOT_TOKEN${example('SLACK_BOT_TOKEN')}: ${HINTS.SLACK_BOT_TOKEN} — o use Microsoft Teams: defina MICROSOFT_APP_ID (con MICROSOFT_APP_PASSWORD y MICROSOFT_APP_TENANT_ID), o TEAMS=on para probar en local. Visto Bueno necesita al menos una de las dos${halfConfigured ? ' (para probarlo sin Slack ni Teams, use CONSOLE=on: la consola de prueba)' : ' (o la consola de prueba: quite CONSOLE=off)'}.`,
    );
  }
  if (slackOn && blank('SLACK_SIGNING_SECRET') && blank('SLACK_APP_TOKEN')) {
    problems.push(`Falta SLACK_SIGNING_SECRET${example('SLACK_SIGNING_SECRET')}: ${HINTS.SLACK_SIGNING_SECRET} (o defina SLACK_APP_TOKEN para Socket Mode).`);
  }
  if (slackOn && blank('REVIEW_CHANNEL_ID') && !problems.some((p) => p.includes(' REVIEW_CHANNEL_ID'))) {
    problems.push(`Falta REVIEW_CHANNEL_ID${example('REVIEW_CHANNEL_ID')}: ${HINTS.REVIEW_CHANNEL_ID}.`);
  }
  if (teams.enabled && !slackOn && !teams.channels.review) {
    problems.push(`Falta TEAMS_REVIEW_CHANNEL_ID: ${TEAMS_HINTS.TEAMS_REVIEW_CHANNEL_ID} (sin Slack, las piezas se revisan en ese canal de Teams).`);
  }
  // A reminder re-planned after a restart must still find the row of the one already sent (kept
  // RETENTION_DAYS), or it would go out twice.
  if (parsed.success && parsed.data.REMINDER_GRACE_HOURS >= parsed.data.RETENTION_DAYS * 24) {
    problems.push('Valor no válido en REMINDER_GRACE_HOURS: debe ser menor que RETENTION_DAYS × 24 (por ejemplo 6).');
  }
  // The legal settings are checked together even when others are wrong: every problem at once.
  let termsOverride: LegalTerm[] | null = null;
  {
    const e = {
      LEGAL_COUNTRY: (env.LEGAL_COUNTRY?.trim() || 'MX').toUpperCase(),
      LEGAL_REGION: env.LEGAL_REGION?.trim().toUpperCase() || undefined,
      LEGAL_TERMS_FILE: env.LEGAL_TERMS_FILE?.trim() || undefined,
    };
    const countryKnown = /^[A-Z]{2}$/.test(e.LEGAL_COUNTRY) && knownRegion(e.LEGAL_COUNTRY);
    if (countryKnown && e.LEGAL_REGION && !knownRegion(e.LEGAL_COUNTRY, e.LEGAL_REGION)) {
      const known = regionsOf(e.LEGAL_COUNTRY);
      problems.push(`Valor no válido en LEGAL_REGION: ${HINTS.LEGAL_REGION}; «${e.LEGAL_REGION}» no es una región de ${e.LEGAL_COUNTRY} con festivos propios${known.length ? ` (las hay: ${known.join(', ')})` : ' (no hay ninguna: deje LEGAL_REGION vacío y ponga los días locales en OFFICE_CLOSED_DATES)'}.`);
    }
    if (e.LEGAL_TERMS_FILE) {
      let text: string | null = null;
      try {
        text = readFileSync(e.LEGAL_TERMS_FILE, 'utf8');
      } catch (err) {
        problems.push(`Valor no válido en LEGAL_TERMS_FILE: no se pudo leer ${e.LEGAL_TERMS_FILE} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
      }
      if (text !== null) {
        const o = parseLegalOverride(text);
        if (o.ok) termsOverride = o.terms;
        else problems.push(`Valor no válido en LEGAL_TERMS_FILE (${e.LEGAL_TERMS_FILE}): ${o.problems.join('; ')}.`);
      }
    }
    if (countryKnown && !LEGAL_TABLES[e.LEGAL_COUNTRY] && !e.LEGAL_TERMS_FILE) problems.push(`Falta LEGAL_TERMS_FILE: no hay tabla de plazos legales para ${e.LEGAL_COUNTRY}; ${HINTS.LEGAL_TERMS_FILE}.`);
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  const demo = consoleOn && !slackOn && !teams.enabled;
  // The demo office is the same for everyone who tries it: its people and roles, its own database.
  const roles = demo ? DEMO_ROLES : { approverIds: e.APPROVER_IDS, designerIds: e.DESIGNER_IDS, adminIds: e.ADMIN_IDS, kpiEditorIds: e.KPI_EDITOR_IDS, oncallIds: e.ONCALL_IDS };
  return {
    slack: {
      enabled: slackOn,
      botToken: e.SLACK_BOT_TOKEN ?? '',
      signingSecret: e.SLACK_SIGNING_SECRET ?? '',
      appToken: e.SLACK_APP_TOKEN ?? null,
      apiUrl: e.SLACK_API_URL ?? null,
      reviewChannelId: e.REVIEW_CHANNEL_ID ?? '',
    },
    port: e.PORT,
    // Teams' local testing mode and the console authenticate nothing: never reachable from another machine.
    host: consoleOn || (teams.enabled && !teams.authenticated) ? (host && LOOPBACK.has(host.toLowerCase()) ? host : '127.0.0.1') : (host ?? '0.0.0.0'),
    databasePath: demo ? e.CONSOLE_DATABASE_PATH : e.DATABASE_PATH,
    timezone: e.TIMEZONE,
    locale: e.LOCALE,
    roles: { approverIds: roles.approverIds, designerIds: roles.designerIds, adminIds: roles.adminIds },
    allowSelfApproval: e.ALLOW_SELF_APPROVAL,
    calendar: {
      channelId: e.CALENDAR_CHANNEL_ID ?? null,
      digestChannelId: e.DIGEST_CHANNEL_ID ?? null,
      digestTime: e.DIGEST_TIME,
      digestDays: e.DIGEST_DAYS!,
      feedToken: e.CALENDAR_FEED_TOKEN ?? null,
      reminderGraceHours: e.REMINDER_GRACE_HOURS,
    },
    kpi: {
      apiToken: e.KPI_API_TOKEN ?? null,
      channelId: e.KPI_CHANNEL_ID ?? null,
      reportCron: e.KPI_REPORT_CRON,
      editorIds: roles.kpiEditorIds,
      currency: e.CURRENCY,
      numberLocale: e.NUMBER_LOCALE,
    },
    inquiries: {
      channelId: e.INQUIRY_CHANNEL_ID ?? null,
      apiToken: e.INQUIRY_API_TOKEN ?? null,
      oncallIds: roles.oncallIds,
      handoff: e.ONCALL_HANDOFF,
      ackMinutes: e.INQUIRY_ACK_MINUTES,
      repeatMinutes: e.INQUIRY_REPEAT_MINUTES,
      country: e.LEGAL_COUNTRY,
      region: e.LEGAL_REGION ?? null,
      termsOverride,
      closedDates: e.OFFICE_CLOSED_DATES!,
      officeHours: e.OFFICE_HOURS!,
    },
    teams,
    console: { enabled: consoleOn, demo },
    retentionDays: e.RETENTION_DAYS,
    logLevel: e.LOG_LEVEL,
  };
}

/** What the command-line tools need (no Slack settings): where the database is and the office's zone. */
export function loadStoreSettings(env: Record<string, string | undefined>): Pick<Config, 'databasePath' | 'timezone' | 'locale'> {
  const timezone = env.TIMEZONE?.trim() || 'America/Mexico_City';
  const locale = env.LOCALE?.trim() || 'es';
  const problems: string[] = [];
  if (!isTimeZone(timezone)) problems.push(`Valor no válido en TIMEZONE: ${HINTS.TIMEZONE}.`);
  if (locale !== 'es' && locale !== 'en') problems.push(`Valor no válido en LOCALE: ${HINTS.LOCALE}.`);
  if (problems.length) throw new ConfigError(problems);
  return { databasePath: env.DATABASE_PATH?.trim() || 'data/vistobueno.db', timezone, locale: locale as 'es' | 'en' };
}
