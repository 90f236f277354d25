import 'dotenv/config';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { appPackage } from '../adapters/teams/app-package.js';

/**
 * npm run teams:paquete -- [--salida visto-bueno-teams.zip]
 * Builds the Teams app package from the settings: MICROSOFT_APP_ID (required), and the publisher's
 * TEAMS_DEVELOPER_NAME, TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL. Exit 0 written; 2 when
 * a setting is missing or wrong.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function main(argv: string[]): number {
  let out = 'visto-bueno-teams.zip';
  try {
    const { values } = parseArgs({ args: argv, options: { salida: { type: 'string' } }, strict: true });
    if (values.salida) out = values.salida;
  } catch (e) {
    console.error(`${(e as Error).message}\nUso: npm run teams:paquete -- [--salida archivo.zip]`);
    return 2;
  }
  const env = process.env;
  const problems: string[] = [];
  const appId = env.MICROSOFT_APP_ID?.trim() ?? '';
  if (!GUID.test(appId)) problems.push('Falta MICROSOFT_APP_ID (o no es un GUID): el Application (client) ID del bot registrado en Azure.');
  const url = (k: string, fallback: string): string => {
    const v = env[k]?.trim() || fallback;
    if (!/^https:\/\/\S+$/.test(v)) problems.push(`Valor no válido en ${k}: una dirección https://, que Teams muestra en la ficha de la app.`);
    return v;
  };
  const websiteUrl = url('TEAMS_WEBSITE_URL', 'https://example.org');
  const privacyUrl = url('TEAMS_PRIVACY_URL', `${websiteUrl.replace(/\/$/, '')}/privacidad`);
  const termsOfUseUrl = url('TEAMS_TERMS_URL', `${websiteUrl.replace(/\/$/, '')}/condiciones`);
  if (problems.length) {
    console.error(`No se puede armar el paquete de Teams:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return 2;
  }
  const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  writeFileSync(out, appPackage({ appId, version, developerName: env.TEAMS_DEVELOPER_NAME?.trim() || 'Visto Bueno', websiteUrl, privacyUrl, termsOfUseUrl }));
  console.log(`${out}: paquete de Teams (manifest.json, color.png, outline.png). Súbalo en Teams → Aplicaciones → Administrar sus aplicaciones → Cargar una aplicación.`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
