import { stringify } from 'csv-stringify/sync';
import type { Inquiry, InquiryEvent } from '../../domain/inquiries/types.js';
import { localDateOf, localTimeOf } from '../../domain/shared/time.js';

/** Columns of the export: the inquiry, then one of its events (one row per event). */
export const EXPORT_COLUMNS = [
  'folio',
  'canal',
  'tipo',
  'recibida',
  'fecha_de_recepcion',
  'vence',
  'vence_con_prorroga',
  'plazo_dias_habiles',
  'fundamento',
  'estado',
  'responsable',
  'respondida_el',
  'solicitante_nombre',
  'solicitante_contacto',
  'texto',
  'evento',
  'evento_fecha',
  'evento_por',
  'evento_detalle',
] as const;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
/** A run of digits with the usual separators: a phone number or an ID number when it has 7 digits or more. */
const NUMBER_RUN = /\+?\(?\d[\d\s().-]*\d/g;
/**
 * Dates (2026-10-01, 01/10/2026, 01-10-2026, 01.10.2026) and numbers named as a case («expediente
 * 2024-117», «oficio UT/1234/2026», «folio CONS-2026-0042») are what a report is about: kept.
 */
const KEPT = /(?<![\d-])(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})(?![\d-])|\b(?:expediente|exp\.|radicado|oficio|folio|contrato|caso)\s*(?:n[oº°.]*\s*)?[\w/.-]*\d[\w/.-]*/giu;
const URL_WITH_PERSON = /https?:\/\/(?:www\.)?(?:facebook|fb|instagram|x|twitter|tiktok|wa)\.(?:com|me)\/[^\s>]+/gi;

/**
 * Removes what identifies a person in free text: e-mail addresses, phone or ID numbers (7 digits or
 * more), profile links. Names written in the text are not recognised: the README says so.
 */
export function anonymizeText(s: string): string {
  const kept: string[] = [];
  return s
    .replace(/\u0000/g, '')
    .replace(EMAIL, '[correo]')
    .replace(URL_WITH_PERSON, '[perfil]')
    .replace(KEPT, (m) => `\u0000${kept.push(m) - 1}\u0000`)
    .replace(NUMBER_RUN, (run) => ((run.match(/\d/g) ?? []).length >= 7 ? '[número]' : run))
    .replace(/\u0000(\d+)\u0000/g, (_m, n: string) => kept[Number(n)]!);
}

/** Event fields written by people (the answer's summary, a reason, the entity): the rest is structure. */
const FREE_TEXT_FIELDS = new Set(['summary', 'reason', 'entity', 'link']);

export interface ExportOptions {
  tz: string;
  anonymize: boolean;
  /** a person's name for an id (staff: they act for the institution and stay in the export) */
  nameOf: (actorId: string) => string;
}

/**
 * A cell a spreadsheet would run as a formula (text from the public starting with =, +, -, @) is
 * written with a leading apostrophe, as OWASP advises for CSV exports: shown, never evaluated.
 */
const cell = (s: string): string => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

const when = (ms: number, tz: string): string => `${localDateOf(ms, tz)} ${localTimeOf(ms, tz)}`;

function detail(e: InquiryEvent, anonymize: boolean): string {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.data)) {
    // The requester is in its own columns; never twice, and never in an anonymized export.
    if (k === 'requester') continue;
    data[k] = anonymize && FREE_TEXT_FIELDS.has(k) && typeof v === 'string' ? anonymizeText(v) : v;
  }
  return Object.keys(data).length ? JSON.stringify(data) : '';
}

/**
 * The CSV of the inquiries and their events, for a transparency report: UTF-8 with a BOM (Excel
 * reads accents right), comma-separated, every field quoted where needed. With `anonymize`, the
 * requester's name and contact are blank and personal data is removed from the texts.
 */
export function inquiriesCsv(inquiries: readonly Inquiry[], events: readonly InquiryEvent[], o: ExportOptions): string {
  const byInquiry = new Map<number, InquiryEvent[]>();
  for (const e of events) byInquiry.set(e.inquiryId, [...(byInquiry.get(e.inquiryId) ?? []), e]);
  const rows: string[][] = [];
  for (const i of inquiries) {
    const head = [
      i.folio,
      i.channel,
      i.type,
      when(i.receivedAt, o.tz),
      i.receiptDate,
      i.dueDate ?? '',
      i.extendedDueDate ?? '',
      i.term ? String(i.term.days) : '',
      i.term ? `${i.term.law}, ${i.term.article}` : '',
      i.state,
      i.assigneeId ? o.nameOf(i.assigneeId) : '',
      i.answeredDate ?? '',
      o.anonymize ? '' : (i.requester.name ?? ''),
      o.anonymize ? '' : (i.requester.contact ?? ''),
      o.anonymize ? anonymizeText(i.text) : i.text,
    ];
    const evs = byInquiry.get(i.id) ?? [];
    if (!evs.length) rows.push([...head, '', '', '', '']);
    for (const e of evs) rows.push([...head, e.event, when(e.at, o.tz), o.nameOf(e.actorId), detail(e, o.anonymize)]);
  }
  return `\uFEFF${stringify([[...EXPORT_COLUMNS], ...rows.map((r) => r.map(cell))], { record_delimiter: 'windows' })}`;
}
