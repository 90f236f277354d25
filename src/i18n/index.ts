import { en } from './en.js';
import { es, type Messages } from './es.js';

export type Locale = 'es' | 'en';
export type { Messages };

export const catalogs: Record<Locale, Messages> = { es, en };
export const messagesFor = (locale: Locale): Messages => catalogs[locale];
