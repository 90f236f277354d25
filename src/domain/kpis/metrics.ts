import { SCALE, type Aggregation, type MetricDef, type Unit } from './types.js';

const m = (key: string, unit: Unit, aggregation: Aggregation = 'sum', lowerIsBetter = false): MetricDef => ({ key, name: null, unit, aggregation, lowerIsBetter });

/** The metrics every campaign has; their names are in the catalogs (`kpi.metric`). */
export const BUILT_IN_METRICS: readonly MetricDef[] = [
  m('alcance', 'count'),
  m('impresiones', 'count'),
  m('interacciones', 'count'),
  m('seguidores', 'count', 'last'),
  m('seguidores_nuevos', 'count'),
  m('visitas_web', 'count'),
  m('donaciones', 'money'),
  m('donantes_nuevos', 'count'),
  m('retencion', 'percent', 'last'),
  m('llamadas', 'count'),
  m('gasto', 'money', 'sum', true),
];

export const SPEND = 'gasto';
const BUILT_IN = new Map(BUILT_IN_METRICS.map((d) => [d.key, d]));

export const builtInMetric = (key: string): MetricDef | null => BUILT_IN.get(key) ?? null;

/** Accents and case do not matter in what people type: «Retención» is `retencion`. */
export const normalizeKey = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .trim()
    .replace(/[\s-]+/g, '_');

export const KEY_PATTERN = /^[a-z0-9][a-z0-9_]{0,31}$/;

export type ValueProblem = 'not_a_number' | 'negative' | 'not_whole' | 'too_precise' | 'over_100' | 'too_large';

/** Beyond this a figure is a typo. (Sums stay exact in a double up to 2^53 hundredths, about 90 trillion units in all.) */
const MAX_UNITS = 1e12;

/**
 * A number (already a number: JSON or a parsed chat value) as hundredths of its unit, exactly:
 * 19.99 → 1999 without float drift. Counts are whole; money and percentages have two decimals at most.
 */
export function toHundredths(value: unknown, unit: Unit): { ok: true; value: number } | { ok: false; problem: ValueProblem } {
  if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, problem: 'not_a_number' };
  if (value < 0) return { ok: false, problem: 'negative' };
  if (value > MAX_UNITS) return { ok: false, problem: 'too_large' };
  if (unit === 'count' && !Number.isInteger(value)) return { ok: false, problem: 'not_whole' };
  // The shortest decimal that reads back as this double is what was written («19.99»).
  const [, decimals = ''] = String(value).split('.');
  if (decimals.length > 2 || /e/i.test(String(value))) return { ok: false, problem: 'too_precise' };
  const hundredths = Math.round(value * SCALE);
  if (unit === 'percent' && hundredths > 100 * SCALE) return { ok: false, problem: 'over_100' };
  return { ok: true, value: hundredths };
}

/**
 * A value typed in the chat: «12500», «12,500», «$12,500.50», «12.500,50» (es-CO), «85 %», «85,5%».
 * One separator followed by exactly three digits is a thousands separator; a comma or point followed
 * by one or two digits is the decimal mark. Returns null when it cannot be read unambiguously.
 */
export function parseTypedNumber(text: string): number | null {
  let s = text.trim().replace(/^\$\s*/, '').replace(/\s*(%|mxn|cop|usd|clp|pen|ars)$/i, '').replace(/\s/g, '');
  if (!/^-?[\d.,]+$/.test(s) || !/\d/.test(s)) return null;
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  const lastSep = Math.max(s.lastIndexOf(','), s.lastIndexOf('.'));
  let intPart = s;
  let frac = '';
  if (lastSep >= 0) {
    const tail = s.slice(lastSep + 1);
    const seps = s.match(/[.,]/g)!;
    const mixed = new Set(seps).size > 1;
    // «12,500» / «1.234.567»: thousands; «12,5» / «12.50» / «1,234.56»: the last one is decimal.
    if (tail.length !== 3 || mixed) {
      intPart = s.slice(0, lastSep);
      frac = tail;
      if (frac.length === 0 || frac.length > 2) return null;
    }
    const groupSep = mixed ? s[s.search(/[.,]/)] : lastSep >= 0 && tail.length === 3 ? s[lastSep] : null;
    if (groupSep) {
      const groups = intPart.split(groupSep);
      if (groups.some((g, i) => (i === 0 ? !/^\d{1,3}$/.test(g) : !/^\d{3}$/.test(g)))) return null;
      intPart = groups.join('');
    }
    if (/[.,]/.test(intPart)) return null;
  }
  if (!/^\d+$/.test(intPart)) return null;
  const n = Number(`${intPart}${frac ? `.${frac}` : ''}`);
  return neg ? -n : n;
}

/** Hundredths back to the unit, for display and JSON (1999 → 19.99). */
export const fromHundredths = (h: number): number => h / SCALE;
