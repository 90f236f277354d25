import { expect } from 'vitest';
import { localToEpoch } from '../../src/domain/shared/time.js';
import { headerOf, type Harness } from './harness.js';

/** What the inquiry tests share: the office's zone, the channel, the API token, the rotation. */
export const TZ = 'America/Mexico_City';
export const at = (date: string, time: string): number => localToEpoch(date, time, TZ)!;
export const INQ = 'CINQ';
export const TOKEN = 'inquiry-api-token-0123456789';
export const ON = { a: 'UONCALL1', b: 'UONCALL2', c: 'UONCALL3' } as const;
export const MIN = 60_000;
/** The settings every inquiry test starts with. */
export const inquiryEnv = (extra: Record<string, string> = {}): Record<string, string> => ({ INQUIRY_CHANNEL_ID: INQ, ONCALL_IDS: `${ON.a},${ON.b},${ON.c}`, INQUIRY_API_TOKEN: TOKEN, ...extra });

/** POST /api/v1/inquiries as a web form does; expects 201. */
export async function registerInquiry(h: Harness, body: Record<string, unknown> = {}): Promise<{ id: number; folio: string; due_date?: string }> {
  const res = await fetch(`${h.baseUrl}/api/v1/inquiries`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ channel: 'correo', type: 'informacion', text: 'Solicito el padrón de beneficiarios.', ...body }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; folio: string; due_date?: string };
}

export const pagesTo = (h: Harness, user: string) => h.slack.dmsTo(user).filter((m) => headerOf(m).startsWith('Consulta sin tomar'));

/** Stops the app; no listener may have failed behind a 200 (errors are logged at level 50 or 60). */
export async function stopWithoutErrors(h: Harness | undefined): Promise<void> {
  const errors = h?.logs.filter((l) => /"level":(50|60)/.test(l)) ?? [];
  await h?.stop();
  expect(errors).toEqual([]);
}
