import { Resvg } from '@resvg/resvg-js';
import { strToU8, zipSync } from 'fflate';

/**
 * The Teams app package: manifest.json at the current schema, color.png (192×192) and outline.png
 * (32×32, white on transparent), zipped at the root — what an admin uploads in Teams (Apps → Manage
 * your apps → Upload an app) or in the Developer Portal.
 */
export const MANIFEST_SCHEMA = 'https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json';
export const MANIFEST_VERSION = '1.22';

export interface PackageSettings {
  appId: string;
  version: string;
  developerName: string;
  websiteUrl: string;
  privacyUrl: string;
  termsOfUseUrl: string;
}

/** The commands Teams lists in the compose box (≤ 10, title ≤ 32, description ≤ 128). */
const COMMANDS: { title: string; description: string }[] = [
  { title: 'pieza', description: 'Piezas en revisión: nueva, lista, pendientes, 12, cancelar 12' },
  { title: 'calendario', description: 'Calendario editorial: hoy, semana, mes, agregar' },
  { title: 'kpi', description: 'Campañas contra sus metas y su presupuesto' },
  { title: 'consulta', description: 'Consultas del público: nueva, lista, vencen, 42, informe 2026-10' },
  { title: 'guardia', description: 'Quién está de guardia; rotación y coberturas' },
  { title: 'ayuda', description: 'Lo que el bot sabe hacer' },
];

export function manifest(s: PackageSettings): Record<string, unknown> {
  const scopes = ['personal', 'team', 'groupchat'];
  return {
    $schema: MANIFEST_SCHEMA,
    manifestVersion: MANIFEST_VERSION,
    version: s.version,
    id: s.appId,
    developer: { name: s.developerName.slice(0, 32), websiteUrl: s.websiteUrl, privacyUrl: s.privacyUrl, termsOfUseUrl: s.termsOfUseUrl },
    name: { short: 'Visto Bueno', full: 'Visto Bueno: aprobaciones, calendario, KPI y consultas' },
    description: {
      short: 'Aprobaciones, calendario editorial, KPI y consultas del público',
      full:
        'Visto Bueno lleva cada pieza por el procedimiento de aprobación de la oficina con Aprobar y Rechazar, ' +
        'mantiene el calendario editorial y recuerda cada fecha, publica el resumen diario de lo pendiente, ' +
        'responde con el avance de las campañas contra sus metas y su presupuesto, y se asegura de que ninguna ' +
        'consulta del público quede sin respuesta: avisa a quien está de guardia y cuenta los plazos legales en días hábiles.',
    },
    icons: { outline: 'outline.png', color: 'color.png' },
    accentColor: '#1F6F5C',
    bots: [{ botId: s.appId, scopes, isNotificationOnly: false, supportsFiles: false, commandLists: [{ scopes, commands: COMMANDS }] }],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [],
  };
}

const CHECK = 'M30 52 L44 66 L72 36';

/** The colour icon: a white check on the office green, 192×192. */
export function colorIcon(): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="192" height="192" viewBox="0 0 96 96"><rect width="96" height="96" rx="18" fill="#1F6F5C"/><path d="${CHECK}" fill="none" stroke="#FFFFFF" stroke-width="9" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: 192 } }).render().asPng());
}

/** The outline icon: the check in white on a transparent background, 32×32. */
export function outlineIcon(): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 96 96"><path d="${CHECK}" fill="none" stroke="#FFFFFF" stroke-width="10" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: 32 } }).render().asPng());
}

export function appPackage(s: PackageSettings): Buffer {
  return Buffer.from(
    zipSync({
      'manifest.json': strToU8(JSON.stringify(manifest(s), null, 2)),
      'color.png': colorIcon(),
      'outline.png': outlineIcon(),
    }),
  );
}
