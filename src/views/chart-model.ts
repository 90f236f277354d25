/** A chart as a neutral view: what to draw, already in display units, and how to label it. */
export interface ChartView {
  title: string;
  /** alt text for screen readers (built by the caller) */
  alt: string;
  unit: 'count' | 'money' | 'percent';
  /** one per day, in display units (pesos, not cents; 12.5 for 12.5 %) */
  points: { date: string; value: number | null }[];
  /** horizontal target line (e.g. the daily pace needed) */
  target: { value: number; label: string } | null;
  /** a number the office's way, e.g. es-MX "$150,000", es-CO "$150.000" */
  formatValue: (n: number) => string;
  /** e.g. «20 nov» */
  formatDate: (date: string) => string;
}
