/**
 * Microsoft Teams settings, read beside the rest (src/config.ts). Teams is on when MICROSOFT_APP_ID
 * is set (every request's token is then validated by botbuilder), or with TEAMS=on and no app id:
 * the local testing mode, where the Bot Framework authenticates nothing — the bot then listens on
 * 127.0.0.1 only.
 */
export interface TeamsConfig {
  enabled: boolean;
  /** false only in the local testing mode (TEAMS=on without an app id) */
  authenticated: boolean;
  appId: string | null;
  appPassword: string | null;
  tenantId: string | null;
  appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  /** where proactive messages go for a conversation the bot has not heard from yet */
  serviceUrl: string;
  channels: { review: string | null; calendar: string | null; digest: string | null; kpi: string | null; inquiries: string | null };
}

export const TEAMS_HINTS: Record<string, string> = {
  TEAMS: 'on u off; on sin MICROSOFT_APP_ID es el modo de prueba local (sin autenticación, solo en 127.0.0.1)',
  MICROSOFT_APP_ID: 'el Application (client) ID del bot registrado en Azure (un GUID)',
  MICROSOFT_APP_PASSWORD: 'el secreto de cliente del registro del bot en Azure',
  MICROSOFT_APP_TENANT_ID: 'el Directory (tenant) ID de su organización en Azure (un GUID)',
  MICROSOFT_APP_TYPE: 'SingleTenant (predeterminado), MultiTenant o UserAssignedMSI',
  TEAMS_SERVICE_URL: 'la URL del servicio de Teams, por defecto https://smba.trafficmanager.net/teams/',
  TEAMS_REVIEW_CHANNEL_ID: 'el id de conversación del canal de Teams, por ejemplo 19:abc…@thread.tacv2',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TEAMS_CHANNEL = /^19:[^\s]+$/;
const CHANNEL_KEYS = {
  review: 'TEAMS_REVIEW_CHANNEL_ID',
  calendar: 'TEAMS_CALENDAR_CHANNEL_ID',
  digest: 'TEAMS_DIGEST_CHANNEL_ID',
  kpi: 'TEAMS_KPI_CHANNEL_ID',
  inquiries: 'TEAMS_INQUIRY_CHANNEL_ID',
} as const;

export function readTeamsConfig(env: Record<string, string | undefined>, problems: string[]): TeamsConfig {
  const get = (k: string): string | null => env[k]?.trim() || null;
  const bad = (k: string, extra = '') => problems.push(`Valor no válido en ${k}: ${TEAMS_HINTS[k] ?? TEAMS_HINTS.TEAMS_REVIEW_CHANNEL_ID}${extra}.`);
  const flag = (get('TEAMS') ?? '').toLowerCase();
  if (flag && !['on', 'off', 'true', 'false', '1', '0'].includes(flag)) bad('TEAMS');
  const appId = get('MICROSOFT_APP_ID');
  if (appId && !GUID.test(appId)) bad('MICROSOFT_APP_ID');
  const appTypeRaw = get('MICROSOFT_APP_TYPE') ?? 'SingleTenant';
  const appType = (['SingleTenant', 'MultiTenant', 'UserAssignedMSI'] as const).find((t) => t.toLowerCase() === appTypeRaw.toLowerCase());
  if (!appType) bad('MICROSOFT_APP_TYPE');
  const tenantId = get('MICROSOFT_APP_TENANT_ID');
  if (tenantId && !GUID.test(tenantId)) bad('MICROSOFT_APP_TENANT_ID');
  const appPassword = get('MICROSOFT_APP_PASSWORD');
  if (appId && appType !== 'UserAssignedMSI' && !appPassword) problems.push(`Falta MICROSOFT_APP_PASSWORD: ${TEAMS_HINTS.MICROSOFT_APP_PASSWORD}.`);
  if (appId && appType !== 'MultiTenant' && !tenantId) problems.push(`Falta MICROSOFT_APP_TENANT_ID: ${TEAMS_HINTS.MICROSOFT_APP_TENANT_ID} (lo pide ${appType ?? 'SingleTenant'}).`);
  const serviceUrl = get('TEAMS_SERVICE_URL') ?? 'https://smba.trafficmanager.net/teams/';
  try {
    const u = new URL(serviceUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') bad('TEAMS_SERVICE_URL');
  } catch {
    bad('TEAMS_SERVICE_URL');
  }
  const channels = Object.fromEntries(
    Object.entries(CHANNEL_KEYS).map(([name, key]) => {
      const v = get(key);
      if (v && !TEAMS_CHANNEL.test(v)) bad(key);
      return [name, v];
    }),
  ) as TeamsConfig['channels'];
  const enabled = Boolean(appId) || ['on', 'true', '1'].includes(flag);
  return { enabled: enabled && flag !== 'off' && flag !== 'false' && flag !== '0', authenticated: Boolean(appId), appId, appPassword, tenantId, appType: appType ?? 'SingleTenant', serviceUrl: serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`, channels };
}
