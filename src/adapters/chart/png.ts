import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { ChartView } from '../../views/chart-model.js';

/**
 * Draws a ChartView as an SVG (built here, every text XML-escaped) and rasterises it with resvg:
 * in-process, no browser, no network, and the same bytes for the same data. The font comes from the
 * dejavu-fonts-ttf package, never from the system, so a bare CI machine renders exactly like a laptop.
 */

export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;
const FONT_FAMILY = 'DejaVu Sans';
const MAX_DATE_LABELS = 6;
const Y_TICKS = 5;
const MAX_ABS = 1e300;
const EMPTY_TEXT = 'Sin datos para este periodo';

const COLORS = { bg: '#ffffff', text: '#1d1c1d', muted: '#616061', grid: '#e8e8e8', axis: '#bdbdbd', bar: '#2c7be5', target: '#e01e5a' };

let fontFiles: string[] | null = null;
/** DejaVu Sans (regular and bold, for the title) inside node_modules, resolved once. */
function fontPaths(): string[] {
  if (!fontFiles) {
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fontFiles = [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
  }
  return fontFiles;
}

/** Escapes text for XML content and attributes, dropping characters XML 1.0 cannot carry. */
export function escapeXml(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Cuts a label to `max` characters with an ellipsis. */
function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/** Rough width of a DejaVu Sans string at `size` px (average advance ≈ 0.6 em), for layout only. */
const textWidth = (s: string, size: number) => [...s].length * size * 0.6;

const num = (n: number) => (Math.round(n * 100) / 100).toString();

/** A "nice" step (1, 2, 2.5, 5 × 10^k) so that about `ticks` steps cover `span`. */
function niceStep(span: number, ticks: number): number {
  const raw = span / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * mag;
}

/** The y range (always including 0 and the target) and its tick values. */
function yScale(values: number[], target: number | null, unit: ChartView['unit']): { min: number; max: number; ticks: number[] } {
  const all = target === null ? values : [...values, target];
  let lo = Math.min(0, ...all);
  let hi = Math.max(0, ...all);
  if (hi === lo) hi = lo + 1; // all zeros (or nothing): a 0…1 axis
  let step = niceStep(hi - lo, Y_TICKS);
  // Counts are whole: no «2.5 publicaciones» on the axis.
  if (unit === 'count') step = step < 1 ? 1 : step === 2.5 ? 2 : step;
  if (!Number.isFinite(step) || step <= 0) return { min: lo, max: hi, ticks: [lo, hi] };
  // The epsilon keeps 0.00030000000000000003 / 0.0001 from asking for one more step.
  lo = Math.floor(lo / step + 1e-9) * step;
  hi = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  // Multiples of the step computed from integers and rounded, so 3 × 0.0001 prints as 0.0003.
  const first = Math.round(lo / step);
  for (let i = 0; i <= Math.round((hi - lo) / step) && i <= 20; i++) ticks.push(Number(((first + i) * step).toPrecision(12)));
  return { min: lo, max: hi, ticks };
}

/** Indices of the points that get a date label: at most MAX_DATE_LABELS, evenly spread, the last one included. */
export function dateLabelIndices(n: number, max = MAX_DATE_LABELS): number[] {
  if (n <= 0) return [];
  if (n <= max) return [...Array(n).keys()];
  const step = Math.ceil((n - 1) / (max - 1));
  const out: number[] = [];
  for (let i = 0; i < n - 1; i += step) out.push(i);
  // The last day is the one people look for; drop the previous label if it would collide.
  if (out.length && n - 1 - out[out.length - 1]! < step / 2) out.pop();
  out.push(n - 1);
  return out;
}

/** The chart as an SVG document (exported for tests and debugging). */
export function chartSvg(view: ChartView): string {
  const W = CHART_WIDTH;
  const H = CHART_HEIGHT;
  // NaN and ±Infinity are no data; beyond ±1e300 the scale arithmetic would overflow, so clamp.
  const safe = (n: number | null): number | null => (n === null || !Number.isFinite(n) ? null : Math.max(-MAX_ABS, Math.min(MAX_ABS, n)));
  const points = view.points.map((p) => ({ date: p.date, value: safe(p.value) }));
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const target = view.target && Number.isFinite(view.target.value) ? { ...view.target, value: safe(view.target.value)! } : null;
  const { min, max, ticks } = yScale(values, target?.value ?? null, view.unit);
  const tickLabels = ticks.map((t) => clip(view.formatValue(t), 18));

  const top = 56;
  const bottom = 36;
  const right = 24;
  const left = Math.min(180, Math.max(48, Math.ceil(Math.max(...tickLabels.map((l) => textWidth(l, 12)))) + 16));
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const y = (v: number) => top + plotH - ((v - min) / (max - min)) * plotH;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT_FAMILY}">`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="${COLORS.bg}"/>`);
  out.push(`<text x="${left}" y="30" font-size="18" font-weight="bold" fill="${COLORS.text}">${escapeXml(clip(view.title, 70))}</text>`);

  // Grid and y-axis labels.
  ticks.forEach((t, i) => {
    const ty = num(y(t));
    out.push(`<line x1="${left}" y1="${ty}" x2="${W - right}" y2="${ty}" stroke="${t === 0 ? COLORS.axis : COLORS.grid}" stroke-width="1"/>`);
    out.push(`<text x="${left - 8}" y="${num(y(t) + 4)}" font-size="12" text-anchor="end" fill="${COLORS.muted}">${escapeXml(tickLabels[i]!)}</text>`);
  });

  // Bars: one slot per day; a day without data (null) leaves its slot empty.
  const n = points.length;
  if (n > 0) {
    const slot = plotW / n;
    const barW = Math.min(56, Math.max(0.5, slot * (n > 60 ? 0.9 : 0.7)));
    const zero = y(0);
    points.forEach((p, i) => {
      if (p.value === null) return;
      const x = left + i * slot + (slot - barW) / 2;
      const vy = y(p.value);
      const h = Math.abs(zero - vy);
      out.push(`<rect x="${num(x)}" y="${num(Math.min(zero, vy))}" width="${num(barW)}" height="${num(Math.max(h, p.value === 0 ? 0 : 0.5))}" fill="${COLORS.bar}"/>`);
    });
    for (const i of dateLabelIndices(n)) {
      const label = clip(view.formatDate(points[i]!.date), 16);
      const half = textWidth(label, 11) / 2;
      const cx = Math.min(W - right - half, Math.max(left + half, left + i * slot + slot / 2));
      out.push(`<text x="${num(cx)}" y="${H - bottom + 18}" font-size="11" text-anchor="middle" fill="${COLORS.muted}">${escapeXml(label)}</text>`);
    }
  }
  if (values.length === 0) {
    out.push(`<text x="${num(left + plotW / 2)}" y="${num(top + plotH / 2)}" font-size="14" text-anchor="middle" fill="${COLORS.muted}">${escapeXml(EMPTY_TEXT)}</text>`);
  }

  // Target: a dashed line across the plot, labelled at its right end.
  if (target) {
    const ty = num(y(target.value));
    out.push(`<line x1="${left}" y1="${ty}" x2="${W - right}" y2="${ty}" stroke="${COLORS.target}" stroke-width="2" stroke-dasharray="8 5"/>`);
    const label = clip(target.label, 50);
    const ly = y(target.value) - 6 < top + 10 ? y(target.value) + 16 : y(target.value) - 6;
    out.push(`<text x="${W - right}" y="${num(ly)}" font-size="12" text-anchor="end" fill="${COLORS.target}">${escapeXml(label)}</text>`);
  }
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="${COLORS.axis}" stroke-width="1"/>`);
  out.push('</svg>');
  return out.join('\n');
}

/** Renders the chart as a PNG of CHART_WIDTH × CHART_HEIGHT pixels. */
export async function renderChartPng(view: ChartView): Promise<Buffer> {
  const resvg = new Resvg(chartSvg(view), {
    fitTo: { mode: 'original' },
    font: { fontFiles: fontPaths(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  });
  return Buffer.from(resvg.render().asPng());
}
