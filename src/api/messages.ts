import type { Locale } from '../i18n/index.js';

/**
 * What the HTTP API says about a request as a whole (the body, the path, the method). Problems with
 * a value come from the KPI catalogs (`m.kpi.problem`); these are the API's own words.
 */
export interface ApiMessages {
  tooLarge(maxMb: number): string;
  malformed: string;
  contentType: string;
  notFound: string;
  method(allowed: string[]): string;
  observationsRequired: string;
  internal: string;
}

const es: ApiMessages = {
  tooLarge: (maxMb) => `El cuerpo pasa de ${maxMb} MB. Envíe las observaciones en lotes más pequeños.`,
  malformed: 'El cuerpo no es JSON válido. Revise comillas, comas y llaves.',
  contentType: 'Envíe el cuerpo como JSON, con el encabezado Content-Type: application/json.',
  notFound: 'No existe esa dirección. Use PUT /api/v1/campaigns/{clave}, POST /api/v1/metrics o GET /api/v1/campaigns/{clave}/summary.',
  method: (allowed) => `Método no permitido aquí. Use ${allowed.join(' o ')}.`,
  observationsRequired: 'Envíe {"observations": [ … ]}: una lista de observaciones.',
  internal: 'Error interno. Intente de nuevo en unos minutos; si sigue, avise a administración.',
};

const en: ApiMessages = {
  tooLarge: (maxMb) => `The body is over ${maxMb} MB. Send the observations in smaller batches.`,
  malformed: 'The body is not valid JSON. Check quotes, commas and braces.',
  contentType: 'Send the body as JSON, with the header Content-Type: application/json.',
  notFound: 'No such address. Use PUT /api/v1/campaigns/{key}, POST /api/v1/metrics or GET /api/v1/campaigns/{key}/summary.',
  method: (allowed) => `Method not allowed here. Use ${allowed.join(' or ')}.`,
  observationsRequired: 'Send {"observations": [ … ]}: a list of observations.',
  internal: 'Internal error. Try again in a few minutes; if it persists, tell an admin.',
};

export const apiMessagesFor = (locale: Locale): ApiMessages => (locale === 'en' ? en : es);
