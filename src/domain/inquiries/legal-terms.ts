import { z } from 'zod';
import type { BusinessCalendar } from './business-days.js';
import type { LocalDate } from '../shared/time.js';

/**
 * The legal terms for answering the public, kept as data with the article of law for each row: a
 * card, a report and an auditor all read where a date comes from. An office overrides or adds rows
 * with LEGAL_TERMS_FILE (a state law in Mexico, a country not listed here).
 */
export const INQUIRY_TYPES = ['peticion', 'informacion', 'consulta', 'queja', 'prensa', 'general'] as const;
export type InquiryType = (typeof INQUIRY_TYPES)[number];
/** Press and general inquiries carry no legal term in any table. */
const UNTIMED: readonly InquiryType[] = ['prensa', 'general'];

export interface LegalTerm {
  type: InquiryType;
  /** business days, counted from the day after receipt */
  days: number;
  /** how many more business days an extension may add (0: none) */
  extensionDays: number;
  law: string;
  article: string;
}

export interface LegalTable {
  country: string;
  terms: LegalTerm[];
  /** business days to transfer a request meant for another entity; null when the law says none */
  transferDays: number | null;
  transferArticle: string | null;
}

const CO_LAW = 'Ley 1755 de 2015';
const MX_LAW = 'Ley General de Transparencia y Acceso a la Información Pública';

/**
 * CO: art. 14 of Ley 1755 de 2015; an extension is notified before the term ends and may not exceed
 * twice the initial term (parágrafo), so it adds as many days as the term. A complaint («queja») is a
 * petition in general interest: 15 days.
 */
export const LEGAL_TABLES: Record<string, LegalTable> = {
  CO: {
    country: 'CO',
    terms: [
      { type: 'peticion', days: 15, extensionDays: 15, law: CO_LAW, article: 'art. 14' },
      { type: 'informacion', days: 10, extensionDays: 10, law: CO_LAW, article: 'art. 14, num. 1' },
      { type: 'consulta', days: 30, extensionDays: 30, law: CO_LAW, article: 'art. 14, num. 2' },
      { type: 'queja', days: 15, extensionDays: 15, law: CO_LAW, article: 'art. 14' },
    ],
    transferDays: 5,
    transferArticle: 'art. 21',
  },
  MX: {
    country: 'MX',
    terms: [{ type: 'informacion', days: 20, extensionDays: 10, law: MX_LAW, article: 'art. 132' }],
    transferDays: 3,
    transferArticle: 'art. 136',
  },
  CL: {
    country: 'CL',
    terms: [{ type: 'informacion', days: 20, extensionDays: 10, law: 'Ley 20.285', article: 'art. 14' }],
    transferDays: null,
    transferArticle: null,
  },
  AR: {
    country: 'AR',
    terms: [{ type: 'informacion', days: 15, extensionDays: 15, law: 'Ley 27.275', article: 'art. 11' }],
    transferDays: null,
    transferArticle: null,
  },
  UY: {
    country: 'UY',
    terms: [{ type: 'informacion', days: 20, extensionDays: 20, law: 'Ley 18.381', article: 'art. 15' }],
    transferDays: null,
    transferArticle: null,
  },
};

/** The country's table with the office's rows replacing (by type) or adding to it; null when neither exists. */
export function legalTable(country: string, override?: readonly LegalTerm[]): LegalTable | null {
  const base = LEGAL_TABLES[country.toUpperCase()];
  if (!base && !override) return null;
  const terms = new Map<InquiryType, LegalTerm>((base?.terms ?? []).map((t) => [t.type, t]));
  for (const t of override ?? []) terms.set(t.type, t);
  return {
    country: country.toUpperCase(),
    terms: INQUIRY_TYPES.flatMap((type) => (terms.has(type) ? [terms.get(type)!] : [])),
    transferDays: base?.transferDays ?? null,
    transferArticle: base?.transferArticle ?? null,
  };
}

/** The term of a type, or null (press, general, or a type the country's law does not time). */
export function termFor(table: LegalTable, type: InquiryType): LegalTerm | null {
  if (UNTIMED.includes(type)) return null;
  return table.terms.find((t) => t.type === type) ?? null;
}

const Row = z
  .object({
    type: z.enum(INQUIRY_TYPES).refine((t) => !UNTIMED.includes(t), { message: 'prensa y general no llevan plazo legal' }),
    days: z.number().int().min(1).max(365),
    extension_days: z.number().int().min(0).max(365).default(0),
    law: z.string().trim().min(1).max(200),
    article: z.string().trim().min(1).max(100),
  })
  .strict();

/**
 * LEGAL_TERMS_FILE: a JSON array of rows
 * `{"type":"informacion","days":15,"extension_days":10,"law":"Ley 250 de Transparencia…","article":"art. 45"}`.
 * Every problem is told with the row it is in.
 */
export function parseLegalOverride(text: string): { ok: true; terms: LegalTerm[] } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [`no es JSON válido (${(e as Error).message})`] };
  }
  const parsed = z.array(Row).min(1).safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => {
        const [row, field] = i.path;
        return typeof row === 'number' ? `fila ${row + 1}${field ? `, ${String(field)}` : ''}: ${i.message}` : `se espera una lista de filas {type, days, extension_days, law, article}: ${i.message}`;
      }),
    };
  }
  const seen = new Set<string>();
  const problems: string[] = [];
  parsed.data.forEach((r, n) => {
    if (seen.has(r.type)) problems.push(`fila ${n + 1}: el tipo ${r.type} ya está en otra fila`);
    seen.add(r.type);
  });
  if (problems.length) return { ok: false, problems };
  return { ok: true, terms: parsed.data.map((r) => ({ type: r.type, days: r.days, extensionDays: r.extension_days, law: r.law, article: r.article })) };
}

/** The legal due date: the term's n-th business day after the receipt date. */
export const dueDate = (cal: BusinessCalendar, receipt: LocalDate, term: LegalTerm): LocalDate => cal.addBusinessDays(receipt, term.days);

/** The latest date an extension may set: term plus extension, counted from the same receipt date. */
export const maxExtendedDueDate = (cal: BusinessCalendar, receipt: LocalDate, term: LegalTerm): LocalDate => cal.addBusinessDays(receipt, term.days + term.extensionDays);
