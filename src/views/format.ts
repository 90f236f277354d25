import { TZDate } from '@date-fns/tz';
// Per-function and per-locale entry points: the 'date-fns' and 'date-fns/locale' indexes load
// hundreds of modules (~0.5 s of the bot's cold start, measured with npm run bench:startup).
import { format } from 'date-fns/format';
import { isSameDay } from 'date-fns/isSameDay';
import { enUS } from 'date-fns/locale/en-US';
import { es as esLocale } from 'date-fns/locale/es';
import type { Locale, Messages } from '../i18n/index.js';

/** How dates and words are shown in this office: its locale and its time zone. */
export interface Fmt {
  m: Messages;
  tz: string;
  locale: Locale;
  now: () => number;
  /** ISO 4217 code of money figures (CURRENCY) */
  currency: string;
  /** BCP 47 locale numbers and money are written in (NUMBER_LOCALE): es-MX «$150,000», es-CO «$150.000» */
  numberLocale: string;
}

const dfLocale = (l: Locale) => (l === 'es' ? esLocale : enUS);

/** «lunes 7 de diciembre, 10:00» in the office's time zone. */
export function formatDateTime(f: Fmt, ms: number, withTime = true): string {
  return format(new TZDate(ms, f.tz), withTime ? f.m.date.patternTime : f.m.date.pattern, { locale: dfLocale(f.locale) });
}

/** «diciembre de 2026» */
export function formatMonth(f: Fmt, ms: number): string {
  return format(new TZDate(ms, f.tz), f.m.date.month, { locale: dfLocale(f.locale) });
}

/** «hoy a las 10:42» or «el lunes 7 de diciembre a las 10:42». */
export function formatWhen(f: Fmt, ms: number): string {
  const at = new TZDate(ms, f.tz);
  const time = format(at, f.m.date.time);
  if (isSameDay(at, new TZDate(f.now(), f.tz))) return f.m.date.todayAt(time);
  return f.m.date.atTime(format(at, f.m.date.pattern, { locale: dfLocale(f.locale) }), time);
}

export function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}
