// Placeholder until the cron branch lands (node-cron interpretation); same exported shape.
export interface CronSchedule {
  expression: string;
  tz: string;
  between(from: number, to: number, limit?: number): number[];
  next(t: number): number | null;
}
export function parseCron(expression: string, tz: string): { ok: true; schedule: CronSchedule } | { ok: false; message: string } {
  const e = expression.trim().replace(/\s+/g, ' ');
  if (e.split(' ').length !== 5) return { ok: false, message: 'expresión cron no válida' };
  return { ok: true, schedule: { expression: e, tz, between: () => [], next: () => null } };
}
