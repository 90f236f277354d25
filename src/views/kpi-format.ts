import { fromHundredths } from '../domain/kpis/metrics.js';
import type { Campaign, MetricDef, Unit } from '../domain/kpis/types.js';
import type { LocalDate } from '../domain/shared/time.js';
import { format } from 'date-fns/format';
import { enUS } from 'date-fns/locale/en-US';
import { es as esLocale } from 'date-fns/locale/es';
import type { Fmt } from './format.js';

/**
 * Figures the office's way (NUMBER_LOCALE, CURRENCY): es-MX «$150,000», es-CO «$150.000», money
 * with cents only when there are cents, percentages as «72%». Values are hundredths of their unit.
 */
const formatters = new Map<string, Intl.NumberFormat>();
function nf(locale: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(locale, opts)));
  return f;
}

/** Money with the symbol against the digits: «$150.000», not «$ 150.000» (es-CO, es-AR write a space). */
export function formatMoney(f: Fmt, hundredths: number): string {
  const whole = hundredths % 100 === 0;
  const fmt = nf(f.numberLocale, { style: 'currency', currency: f.currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: whole ? 0 : 2 });
  return fmt
    .formatToParts(fromHundredths(hundredths))
    .filter((p, i, all) => !(p.type === 'literal' && /^\s+$/.test(p.value) && (all[i - 1]?.type === 'currency' || all[i + 1]?.type === 'currency')))
    .map((p) => p.value)
    .join('');
}

/** Counts are whole: what is expected or projected (466.67 calls) is shown rounded (467). */
export const formatCount = (f: Fmt, hundredths: number): string => nf(f.numberLocale, { maximumFractionDigits: 0 }).format(fromHundredths(hundredths));

/** A ratio (0.35) as «35%»; one decimal under 10 %. */
export function formatRatio(f: Fmt, ratio: number): string {
  const digits = Math.abs(ratio) < 0.1 && ratio !== 0 ? 1 : 0;
  return nf(f.numberLocale, { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: digits }).format(ratio);
}

/** A value of a metric, by its unit. */
export function formatValue(f: Fmt, unit: Unit, hundredths: number): string {
  if (unit === 'money') return formatMoney(f, hundredths);
  // A percentage figure keeps the decimals it was reported with (82.5 %), unlike a ratio of progress.
  if (unit === 'percent') return nf(f.numberLocale, { style: 'percent', maximumFractionDigits: 2 }).format(hundredths / 10_000);
  return formatCount(f, hundredths);
}

/** The name people know a metric by: the catalog's for built-in ones, the campaign's own otherwise. */
export const metricName = (f: Fmt, def: Pick<MetricDef, 'key' | 'name'>): string => def.name ?? f.m.kpi.metric[def.key] ?? def.key;

/** «20 de noviembre» (with the year when it is not this year). */
export function formatDay(f: Fmt, date: LocalDate): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const thisYear = new Date(f.now()).getUTCFullYear() === y;
  return format(new Date(y, m - 1, d), thisYear ? f.m.kpiView.dayPattern : f.m.kpiView.dayPatternYear, { locale: f.locale === 'es' ? esLocale : enUS });
}

/** The campaign as people name it: «Campaña 8M (8m)». */
export const campaignLabel = (c: Pick<Campaign, 'key' | 'name'>): string => `${c.name} (${c.key})`;

const BARS = '▁▂▃▄▅▆▇█';

/** A text sparkline of daily values: one bar per day, «·» where nothing was reported. */
export function sparkline(values: (number | null)[]): string {
  const xs = values.filter((v): v is number => v !== null);
  if (xs.length === 0) return '';
  const [min, max] = [Math.min(...xs), Math.max(...xs)];
  return values
    .map((v) => {
      if (v === null) return '·';
      if (max === min) return BARS[3];
      return BARS[Math.min(7, Math.floor(((v - min) / (max - min)) * 8))];
    })
    .join('');
}
