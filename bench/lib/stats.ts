import { cpus, loadavg } from 'node:os';

/** Percentiles and the one-line summaries every bench prints. */

export function pct(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const ms = (x: number, digits: number) => `${x.toFixed(digits)} ms`;

/** «p50 … · p95 … · p99 … · max …» */
export function summary(xs: readonly number[], digits = 2): string {
  if (xs.length === 0) return 'no samples';
  return `p50 ${ms(pct(xs, 50), digits)} · p95 ${ms(pct(xs, 95), digits)} · p99 ${ms(pct(xs, 99), digits)} · max ${ms(Math.max(...xs), digits)}`;
}

export const over = (xs: readonly number[], limit: number): number => xs.filter((x) => x > limit).length;

/** Benches on a shared machine are noisy: print how busy it was beside the figures. */
export const machineLoad = (): string => `load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} on ${cpus().length} CPUs`;
