import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const minimal = { SLACK_BOT_TOKEN: 'xoxb-1-abc', SLACK_SIGNING_SECRET: 'secret-123456', REVIEW_CHANNEL_ID: 'C0REVIEW' };

describe('loadConfig', () => {
  it('fills in the documented defaults', () => {
    const c = loadConfig(minimal);
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      databasePath: 'data/vistobueno.db',
      timezone: 'America/Mexico_City',
      locale: 'es',
      allowSelfApproval: false,
      roles: { approverIds: [], designerIds: [], adminIds: [] },
      slack: { appToken: null, apiUrl: null },
    });
  });

  it('reads role lists and flags', () => {
    const c = loadConfig({ ...minimal, APPROVER_IDS: ' U1AAA, U2BBB ', ADMIN_IDS: 'W3CCC', ALLOW_SELF_APPROVAL: 'true', LOCALE: 'en', TIMEZONE: 'America/Bogota' });
    expect(c.roles.approverIds).toEqual(['U1AAA', 'U2BBB']);
    expect(c.roles.adminIds).toEqual(['W3CCC']);
    expect(c.allowSelfApproval).toBe(true);
    expect(c.locale).toBe('en');
  });

  it('lists every problem at once, each with how to fix it, in Spanish', () => {
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'not-a-token', TIMEZONE: 'Mars/Olympus', PORT: 'abc', APPROVER_IDS: 'marcela', LOCALE: 'fr' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toContain('Valor no válido en SLACK_BOT_TOKEN');
      expect(msg).toContain('Falta REVIEW_CHANNEL_ID');
      expect(msg).toContain('Valor no válido en TIMEZONE');
      expect(msg).toContain('Valor no válido en PORT');
      expect(msg).toContain('Valor no válido en APPROVER_IDS');
      expect(msg).toContain('Valor no válido en LOCALE');
      expect((e as ConfigError).problems.length).toBeGreaterThanOrEqual(6);
      expect(msg).not.toContain('not-a-token');
    }
  });

  it('needs a signing secret in HTTP mode, not in Socket Mode', () => {
    expect(() => loadConfig({ ...minimal, SLACK_SIGNING_SECRET: '' })).toThrow(/Falta SLACK_SIGNING_SECRET/);
    expect(loadConfig({ ...minimal, SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-1-A-1-abc' }).slack.appToken).toBe('xapp-1-A-1-abc');
  });
});

describe('calendar settings', () => {
  it('reads digest days, time, channels and the feed token, with defaults', () => {
    expect(loadConfig(minimal).calendar).toEqual({ channelId: null, digestChannelId: null, digestTime: '09:00', digestDays: [1, 2, 3, 4, 5], feedToken: null, reminderGraceHours: 6 });
    const c = loadConfig({ ...minimal, DIGEST_DAYS: '1,3,6-7', DIGEST_TIME: '08:30', DIGEST_CHANNEL_ID: 'C0DIGEST', CALENDAR_FEED_TOKEN: 'x'.repeat(20) });
    expect(c.calendar).toMatchObject({ digestDays: [1, 3, 6, 7], digestTime: '08:30', digestChannelId: 'C0DIGEST' });
    expect(() => loadConfig({ ...minimal, DIGEST_DAYS: '5-1', DIGEST_TIME: '9am', CALENDAR_FEED_TOKEN: 'short' })).toThrow(/DIGEST_TIME[\s\S]*DIGEST_DAYS[\s\S]*CALENDAR_FEED_TOKEN/);
  });
});

describe('the example file copied as it is', () => {
  it('reads the placeholders of .env.example as not set: nothing configured starts the console demo', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-your-bot-token', SLACK_SIGNING_SECRET: 'your-signing-secret', REVIEW_CHANNEL_ID: 'C0123456789' });
    expect(c.slack.enabled).toBe(false);
    expect(c.console).toEqual({ enabled: true, demo: true });
    // With the console turned off, it says which settings still hold the example values, and both ways to start.
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-your-bot-token', SLACK_SIGNING_SECRET: 'your-signing-secret', REVIEW_CHANNEL_ID: 'C0123456789', CONSOLE: 'off' });
      expect.unreachable();
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('Falta SLACK_BOT_TOKEN (tiene el valor de ejemplo de .env.example)');
      expect(msg).toContain('MICROSOFT_APP_ID');
      expect(msg).toContain('TEAMS=on');
      expect(msg).toContain('CONSOLE=off');
    }
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-real', SLACK_SIGNING_SECRET: 'your-signing-secret', REVIEW_CHANNEL_ID: 'C0123456789' });
      expect.unreachable();
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('Falta REVIEW_CHANNEL_ID (tiene el valor de ejemplo de .env.example)');
      expect(msg).toContain('Falta SLACK_SIGNING_SECRET (tiene el valor de ejemplo de .env.example)');
    }
  });
});

describe('the local console', () => {
  it('is on with nothing configured: the demo office, its own database, 127.0.0.1, its roles', () => {
    const c = loadConfig({});
    expect(c.console).toEqual({ enabled: true, demo: true });
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(3000);
    expect(c.databasePath).toBe('data/consola-demo.db');
    // Never the office's database, even when DATABASE_PATH names one.
    expect(loadConfig({ DATABASE_PATH: 'data/prod.db' }).databasePath).toBe('data/consola-demo.db');
    expect(loadConfig({ CONSOLE_DATABASE_PATH: '/tmp/x.db' }).databasePath).toBe('/tmp/x.db');
    expect(c.roles.approverIds).toHaveLength(2);
    expect(c.roles.designerIds).toHaveLength(1);
    expect(c.roles.adminIds).toHaveLength(1);
    expect(c.inquiries.oncallIds.length).toBeGreaterThanOrEqual(2);
  });

  it('is off beside Slack or Teams unless CONSOLE=on, and then shows the office\'s own data (no demo)', () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret-123', REVIEW_CHANNEL_ID: 'C0REVIEW', DATABASE_PATH: 'data/prod.db' };
    expect(loadConfig(slack).console).toEqual({ enabled: false, demo: false });
    expect(loadConfig(slack).host).toBe('0.0.0.0');
    const both = loadConfig({ ...slack, CONSOLE: 'on' });
    expect(both.console).toEqual({ enabled: true, demo: false });
    expect(both.databasePath).toBe('data/prod.db');
    expect(both.host).toBe('127.0.0.1');
  });

  it('refuses to start when HOST asks for another interface while the console is on, and says why', () => {
    for (const env of [{ HOST: '0.0.0.0' }, { HOST: '192.168.1.20' }, { HOST: '0.0.0.0', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret-123', REVIEW_CHANNEL_ID: 'C0REVIEW', CONSOLE: 'on' }]) {
      try {
        loadConfig(env);
        expect.unreachable();
      } catch (e) {
        expect((e as Error).message).toContain(`HOST=${env.HOST}`);
        expect((e as Error).message).toContain('127.0.0.1');
        expect((e as Error).message).toContain('CONSOLE=off');
      }
    }
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(loadConfig({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(() => loadConfig({ CONSOLE: 'quizás' })).toThrow(/CONSOLE/);
    expect(loadConfig({ CONSOLE: 'On' }).console.enabled).toBe(true);
  });

  it('never turns a half-made Slack or Teams setup into a demo: a missing token is said', () => {
    // The token forgotten: a production setup must not quietly become the demo office.
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 'secret-123', REVIEW_CHANNEL_ID: 'C0REVIEW', DATABASE_PATH: 'data/prod.db' })).toThrow(/Falta SLACK_BOT_TOKEN.*CONSOLE=on/s);
    expect(() => loadConfig({ TEAMS_REVIEW_CHANNEL_ID: '19:abc@thread.tacv2' })).toThrow(/Falta SLACK_BOT_TOKEN/);
    // Asked for explicitly, the demo it is.
    expect(loadConfig({ SLACK_SIGNING_SECRET: 'secret-123', CONSOLE: 'on' }).console).toEqual({ enabled: true, demo: true });
  });
});

describe('surfaces: Slack, Teams or both', () => {
  const GUID = '7faf8ab2-3d56-4244-b585-20c8a42ed2b8';
  it('starts with Teams alone (no Slack setting), and then needs the Teams review channel', () => {
    const c = loadConfig({ TEAMS: 'on', TEAMS_REVIEW_CHANNEL_ID: '19:abc@thread.tacv2' });
    expect(c.slack.enabled).toBe(false);
    expect(c.teams.enabled).toBe(true);
    expect(c.host).toBe('127.0.0.1');
    expect(() => loadConfig({ TEAMS: 'on' })).toThrow(/Falta TEAMS_REVIEW_CHANNEL_ID/);
    const prod = loadConfig({ MICROSOFT_APP_ID: GUID, MICROSOFT_APP_PASSWORD: 'secret', MICROSOFT_APP_TENANT_ID: GUID, TEAMS_REVIEW_CHANNEL_ID: '19:abc@thread.tacv2' });
    expect(prod.teams).toMatchObject({ enabled: true, authenticated: true, appType: 'SingleTenant' });
    expect(prod.host).toBe('0.0.0.0');
  });

  it('names people in role settings by Slack id, Teams Azure AD object id or e-mail, and refuses anything else', () => {
    const c = loadConfig({ TEAMS: 'on', TEAMS_REVIEW_CHANNEL_ID: '19:abc@thread.tacv2', APPROVER_IDS: `U0APPROVER,${GUID},ana@oficina.gob.mx` });
    expect(c.roles.approverIds).toEqual(['U0APPROVER', GUID, 'ana@oficina.gob.mx']);
    expect(() => loadConfig({ TEAMS: 'on', TEAMS_REVIEW_CHANNEL_ID: '19:abc@thread.tacv2', ADMIN_IDS: 'ana' })).toThrow(/ADMIN_IDS/);
  });

  it('reads RETENTION_DAYS, default 90', () => {
    expect(loadConfig(minimal).retentionDays).toBe(90);
    expect(loadConfig({ ...minimal, RETENTION_DAYS: '30' }).retentionDays).toBe(30);
    expect(() => loadConfig({ ...minimal, RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS/);
    // A grace longer than what is kept would let a re-planned reminder go out twice.
    expect(() => loadConfig({ ...minimal, RETENTION_DAYS: '2', REMINDER_GRACE_HOURS: '48' })).toThrow(/REMINDER_GRACE_HOURS: debe ser menor que RETENTION_DAYS/);
  });
});

describe('KPI settings', () => {
  it('default to Monday 09:00 reports in MXN written the Mexican way, the API off', () => {
    expect(loadConfig(minimal).kpi).toEqual({ apiToken: null, channelId: null, reportCron: '0 9 * * 1', editorIds: [], currency: 'MXN', numberLocale: 'es-MX' });
  });

  it('read the token, channel, cron, editors, currency and number format', () => {
    const c = loadConfig({ ...minimal, KPI_API_TOKEN: 'example-kpi-token-0001', KPI_CHANNEL_ID: 'C0KPI', KPI_REPORT_CRON: ' 30  8 * * 1-5 ', KPI_EDITOR_IDS: 'U0KPI', CURRENCY: 'cop', NUMBER_LOCALE: 'es-CO' });
    expect(c.kpi).toEqual({ apiToken: 'example-kpi-token-0001', channelId: 'C0KPI', reportCron: '30 8 * * 1-5', editorIds: ['U0KPI'], currency: 'COP', numberLocale: 'es-CO' });
  });

  it('refuse a short token, a bad cron, an unknown currency, each saying what to set', () => {
    try {
      loadConfig({ ...minimal, KPI_API_TOKEN: 'short', KPI_REPORT_CRON: 'los lunes', CURRENCY: 'PESOS' });
      expect.unreachable();
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('Valor no válido en KPI_API_TOKEN');
      expect(msg).toContain('Valor no válido en KPI_REPORT_CRON');
      expect(msg).toContain('0 9 * * 1');
      expect(msg).toContain('Valor no válido en CURRENCY');
    }
  });

  it('inquiries: defaults, and each bad setting told with how to fix it', () => {
    const c = loadConfig(minimal);
    expect(c.inquiries).toMatchObject({ channelId: null, apiToken: null, oncallIds: [], handoff: 'lun 09:00', ackMinutes: 15, repeatMinutes: 30, country: 'MX', region: null, termsOverride: null, closedDates: [], officeHours: { open: '09:00', close: '18:00' } });
    const co = loadConfig({ ...minimal, LEGAL_COUNTRY: 'co', OFFICE_CLOSED_DATES: '2026-12-24..2026-12-31', OFFICE_HOURS: '8:00-17:00', ONCALL_HANDOFF: 'vie  18:00' });
    expect(co.inquiries).toMatchObject({ country: 'CO', closedDates: [{ from: '2026-12-24', to: '2026-12-31' }], officeHours: { open: '08:00', close: '17:00' }, handoff: 'vie 18:00' });
    try {
      loadConfig({ ...minimal, LEGAL_COUNTRY: 'PE', LEGAL_REGION: 'LIM', OFFICE_HOURS: '18-9', OFFICE_CLOSED_DATES: 'semana santa', ONCALL_HANDOFF: 'someday', INQUIRY_ACK_MINUTES: '0', INQUIRY_API_TOKEN: 'short' });
      expect.unreachable();
    } catch (e) {
      const msg = (e as Error).message;
      for (const k of ['OFFICE_HOURS', 'OFFICE_CLOSED_DATES', 'ONCALL_HANDOFF', 'INQUIRY_ACK_MINUTES', 'INQUIRY_API_TOKEN', 'LEGAL_REGION']) expect(msg).toContain(`Valor no válido en ${k}`);
      expect(msg).toContain('Falta LEGAL_TERMS_FILE: no hay tabla de plazos legales para PE');
    }
    expect(() => loadConfig({ ...minimal, LEGAL_REGION: 'CMX' })).toThrow(/no hay ninguna: deje LEGAL_REGION vacío/);
    expect(() => loadConfig({ ...minimal, LEGAL_COUNTRY: 'CL', LEGAL_REGION: 'XX' })).toThrow(/las hay: AP, BI, NU, TA/);
    expect(loadConfig({ ...minimal, LEGAL_COUNTRY: 'CL', LEGAL_REGION: 'bi' }).inquiries.region).toBe('BI');
  });

  it('teams: off by default; on with an app id (checked) or TEAMS=on, which binds to 127.0.0.1 only', () => {
    expect(loadConfig(minimal).teams).toMatchObject({ enabled: false, authenticated: false });
    const local = loadConfig({ ...minimal, TEAMS: 'on', HOST: '0.0.0.0' });
    expect(local.teams).toMatchObject({ enabled: true, authenticated: false });
    expect(local.host).toBe('127.0.0.1');
    const app = loadConfig({ ...minimal, MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'secret', MICROSOFT_APP_TENANT_ID: '00000000-0000-0000-0000-000000000002', TEAMS_REVIEW_CHANNEL_ID: '19:abc@thread.tacv2' });
    expect(app.teams).toMatchObject({ enabled: true, authenticated: true, appType: 'SingleTenant', channels: { review: '19:abc@thread.tacv2' }, serviceUrl: 'https://smba.trafficmanager.net/teams/' });
    expect(app.host).toBe('0.0.0.0');
    try {
      loadConfig({ ...minimal, MICROSOFT_APP_ID: 'not-a-guid', TEAMS_REVIEW_CHANNEL_ID: 'C123', MICROSOFT_APP_TYPE: 'weird' });
      expect.unreachable();
    } catch (e) {
      const msg = (e as Error).message;
      for (const k of ['MICROSOFT_APP_ID', 'TEAMS_REVIEW_CHANNEL_ID', 'MICROSOFT_APP_TYPE']) expect(msg).toContain(`Valor no válido en ${k}`);
      expect(msg).toContain('Falta MICROSOFT_APP_PASSWORD');
    }
  });
});
