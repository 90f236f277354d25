import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, chartSvg, dateLabelIndices, escapeXml, renderChartPng } from '../../src/adapters/chart/png.js';
import type { ChartView } from '../../src/views/chart-model.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which must come first. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const day = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
const series = (n: number, f: (i: number) => number | null) => Array.from({ length: n }, (_, i) => ({ date: day(i), value: f(i) }));
const mxn = new Intl.NumberFormat('es-MX', { style: 'currency', currency: 'MXN', maximumFractionDigits: 0 });

const view = (over: Partial<ChartView> = {}): ChartView => ({
  title: 'Ventas diarias',
  alt: 'Gráfica de ventas diarias',
  unit: 'money',
  points: series(30, (i) => 1000 + i * 50),
  target: { value: 2000, label: 'Meta $2,000' },
  formatValue: (n) => mxn.format(n),
  formatDate: (d) => d.slice(5),
  ...over,
});

const renders = async (v: ChartView) => {
  const png = await renderChartPng(v);
  expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
  return png;
};

describe('renderChartPng', () => {
  it('is an 800×400 PNG, the same bytes for the same data and different bytes for different data', async () => {
    const a = await renders(view());
    expect(CHART_WIDTH).toBe(800);
    expect(CHART_HEIGHT).toBe(400);
    expect((await renders(view())).equals(a)).toBe(true);
    expect((await renders(view({ points: series(30, (i) => 1000 + i * 51) }))).equals(a)).toBe(false);
    expect((await renders(view({ target: null }))).equals(a)).toBe(false);
  });

  it('draws text with the packaged font (no system fonts): a different title changes the image', async () => {
    const a = await renders(view({ title: 'Ventas' }));
    const b = await renders(view({ title: 'Alcance' }));
    expect(a.equals(b)).toBe(false);
  });

  it.each([
    ['no points', []],
    ['one point', series(1, () => 42)],
    ['all zeros', series(10, () => 0)],
    ['all nulls', series(10, () => null)],
    ['negative values', series(10, (i) => i - 5)],
    ['huge values', series(10, (i) => (i % 2 ? 1e15 : Number.MAX_VALUE))],
    ['tiny values', series(10, (i) => i * 1e-4)],
    ['NaN and infinities', [{ date: day(0), value: Number.NaN }, { date: day(1), value: Number.POSITIVE_INFINITY }, { date: day(2), value: 5 }]],
  ])('renders %s', async (_name, points) => {
    const v = view({ points });
    await renders(v);
    const svg = chartSvg(v);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('tells when there is nothing to draw', () => {
    expect(chartSvg(view({ points: [] }))).toContain('Sin datos para este periodo');
    expect(chartSvg(view({ points: series(3, () => null) }))).toContain('Sin datos para este periodo');
    expect(chartSvg(view({ points: series(3, () => 0) }))).not.toContain('Sin datos');
  });

  it('renders 400 days in well under a second, with a handful of date labels', async () => {
    const v = view({ points: series(400, (i) => (i % 13 ? 500 + ((i * 7919) % 1000) : null)), formatDate: (d) => `fecha-${d}` });
    const started = performance.now();
    await renders(v);
    expect(performance.now() - started).toBeLessThan(1000);
    const labels = chartSvg(v).match(/>fecha-[^<]+</g) ?? [];
    expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(labels.length).toBeLessThanOrEqual(6);
    expect(labels.at(-1)).toBe(`>fecha-${day(399)}<`);
  });

  it('escapes every text for XML (title, labels, axis values, dates) and drops what XML cannot hold', async () => {
    const evil = '</text><script>alert("x")</script> & \'ñ\' \u0000\u0007';
    const v = view({ title: evil, target: { value: 1500, label: evil }, formatValue: () => evil, formatDate: () => evil });
    const svg = chartSvg(v);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;');
    expect(svg).not.toMatch(/[\u0000\u0007]/);
    await renders(v);
    expect(escapeXml('a<b>&"\'')).toBe('a&lt;b&gt;&amp;&quot;&apos;');
  });

  it('ticks are round numbers; counts never get fractional ticks', () => {
    const ticks = (v: ChartView) => [...chartSvg(v).matchAll(/text-anchor="end" fill="#616061">([^<]*)</g)].map((m) => m[1]);
    expect(ticks(view({ unit: 'percent', target: null, points: series(3, (i) => (i + 1) * 0.0001), formatValue: String }))).toEqual(['0', '0.0001', '0.0002', '0.0003']);
    expect(ticks(view({ unit: 'count', target: null, points: series(3, (i) => i), formatValue: String }))).toEqual(['0', '1', '2']);
  });

  it('date labels: all of few days; at most 6, evenly spread and ending on the last day, for many', () => {
    expect(dateLabelIndices(0)).toEqual([]);
    expect(dateLabelIndices(1)).toEqual([0]);
    expect(dateLabelIndices(6)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const n of [7, 30, 31, 240, 400, 1000]) {
      const idx = dateLabelIndices(n);
      expect(idx[0]).toBe(0);
      expect(idx.at(-1)).toBe(n - 1);
      expect(idx.length).toBeLessThanOrEqual(6);
      expect(idx.length).toBeGreaterThanOrEqual(2);
      expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    }
  });
});
