import { scaleBand, scaleLinear } from 'd3-scale';
import { at, chartSvg, labelColumn, WIDTH, COLOURS, esc, figure, fitText, FONT, formatFigure, legend, lookAttrs, textWidth, tickCount, type SeriesStyle } from './chart-frame.js';

/**
 * Horizontal bars, grouped: one group per row label (a figure, a topic, an officer), one bar per
 * series, each with its figure written at its end. Rows read left to right at any width, which
 * suits long labels and a 390 px screen better than columns.
 */
export interface BarRow {
  label: string;
  /** One per series; null when there is no figure (drawn as no bar and "none"). */
  values: (number | null)[];
}

export interface BarChartOptions {
  id: string;
  title: string;
  description: string;
  series: readonly SeriesStyle[];
  rows: readonly BarRow[];
  /** A fixed end of the scale (100 for percentages); otherwise the largest figure, made nice. */
  max?: number;
  unit?: string;
}

const BAR = 18;

export function barChartSvg(o: BarChartOptions): string {
  const unit = o.unit ?? '';
  const values = o.rows.flatMap((r) => r.values.map(figure));
  const x = scaleLinear().domain([0, Math.max(1, o.max ?? 0, ...values)]).nice();
  const labelW = labelColumn(o.rows.map((r) => r.label));
  const valueW = textWidth(`${formatFigure(x.domain()[1]!)}${unit}`) + 10;
  x.range([labelW, WIDTH - valueW]);
  const key = o.series.length > 1 ? legend(o.id, o.series, labelW, 4, WIDTH - labelW) : { svg: '', height: 0 };
  const top = key.height + FONT + 14;
  const groupH = o.series.length * (BAR + 4) + 14;
  const y = scaleBand<number>().domain(o.rows.map((_, i) => i)).range([top, top + Math.max(1, o.rows.length) * groupH]).paddingInner(14 / groupH);
  const inner = scaleBand<number>().domain(o.series.map((_, i) => i)).range([0, y.bandwidth()]).paddingInner(0.15);
  const bottom = top + Math.max(1, o.rows.length) * groupH;
  const ticks = x.ticks(tickCount(WIDTH - labelW - valueW, textWidth(`${formatFigure(x.domain()[1]!)}${unit}`), 6)).filter((v) => Number.isInteger(v));
  const grid = ticks.map((v) => `<line stroke="${COLOURS.grid}" x1="${at(x(v))}" x2="${at(x(v))}" y1="${at(top - 4)}" y2="${at(bottom)}"/>`
    + `<text class="wl-axis" x="${at(x(v))}" y="${at(top - 8)}" text-anchor="middle">${formatFigure(v)}${esc(unit)}</text>`).join('');
  const bars = o.rows.map((r, ri) => {
    const gy = y(ri) ?? top;
    const name = `<text class="wl-axis" x="${at(labelW - 8)}" y="${at(gy + y.bandwidth() / 2 + FONT / 3)}" text-anchor="end">${esc(fitText(r.label, labelW - 8))}</text>`;
    return name + o.series.map((s, si) => {
      const v = r.values[si];
      const by = gy + (inner(si) ?? 0);
      // A figure above zero is at least a sliver, however small beside the largest.
      const end = v === null || v === undefined || figure(v) === 0 ? x(0) : Math.max(x(0) + 1, x(figure(v)));
      const text = v === null || v === undefined ? 'none' : `${formatFigure(v)}${unit}`;
      const bar = end > x(0) ? `<rect x="${at(x(0))}" y="${at(by)}" width="${at(end - x(0))}" height="${at(inner.bandwidth())}" ${lookAttrs(o.id, s.look)}>`
        + `<title>${esc(`${r.label}, ${s.label}: ${text}`)}</title></rect>` : '';
      return `${bar}<text class="wl-axis" x="${at(end + 4)}" y="${at(by + inner.bandwidth() / 2 + FONT / 3)}">${esc(text)}</text>`;
    }).join('');
  }).join('');
  const axis = `<line stroke="${COLOURS.text}" x1="${at(x(0))}" x2="${at(x(0))}" y1="${at(top - 4)}" y2="${at(bottom)}"/>`;
  const empty = o.rows.length ? '' : `<text class="wl-axis" x="${at(labelW)}" y="${at(top + groupH / 2)}">No figures to show.</text>`;
  return chartSvg({ id: o.id, title: o.title, description: o.description, width: WIDTH, height: bottom + 8, body: key.svg + grid + axis + bars + empty });
}

/** A sentence giving every row's figures, for the chart's description. */
export function describeRows(series: readonly SeriesStyle[], rows: readonly BarRow[], unit = ''): string {
  if (!rows.length) return 'No figures to show.';
  return `${rows.map((r) => `${r.label}: ${series.map((s, i) => {
    const v = r.values[i];
    return `${s.label} ${v === null || v === undefined ? 'none' : `${formatFigure(v)}${unit}`}`;
  }).join(', ')}`).join('; ')}.`;
}
