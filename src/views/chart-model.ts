/**
 * What a chart shows, independent of how it is drawn: daily values (bars), an optional target
 * (a dashed horizontal line), and the formatters for the axis labels. Values are in display units
 * (pesos, not cents); `null` is a day without data (no bar, unlike 0).
 */
export interface ChartView {
  title: string;
  /** Text for screen readers; the uploader truncates it to Slack's limit. */
  alt: string;
  unit: 'count' | 'money' | 'percent';
  points: { date: string; value: number | null }[];
  target: { value: number; label: string } | null;
  formatValue: (n: number) => string;
  formatDate: (date: string) => string;
}
