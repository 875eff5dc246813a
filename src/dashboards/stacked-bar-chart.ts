import { scaleBand, scaleLinear } from 'd3-scale';
import { stack } from 'd3-shape';
import type { BarRow } from './bar-chart.js';
import { at, chartSvg, labelColumn, WIDTH, COLOURS, esc, figure, fitText, FONT, formatFigure, legend, lookAttrs, textWidth, tickCount, type SeriesStyle } from './chart-frame.js';

/**
 * Horizontal stacked bars: one bar per row, its parts the series (open and overdue), each part
 * with its figure inside it when it fits, and the row's total at the end of the bar.
 */
const ROW = 30;

export function stackedBarChartSvg(o: { id: string; title: string; description: string; series: readonly SeriesStyle[]; rows: readonly BarRow[] }): string {
  const keys = o.series.map((_, i) => i);
  const layers = stack<BarRow, number>().keys(keys).value((r, k) => figure(r.values[k]))(o.rows as BarRow[]);
  const totals = o.rows.map((r) => r.values.reduce<number>((s, v) => s + figure(v), 0));
  const x = scaleLinear().domain([0, Math.max(1, ...totals)]).nice();
  const labelW = labelColumn(o.rows.map((r) => r.label));
  const valueW = textWidth(formatFigure(x.domain()[1]!)) + 10;
  x.range([labelW, WIDTH - valueW]);
  const key = legend(o.id, o.series, labelW, 4, WIDTH - labelW);
  const top = key.height + FONT + 14;
  const y = scaleBand<number>().domain(o.rows.map((_, i) => i)).range([top, top + Math.max(1, o.rows.length) * ROW]).paddingInner(0.25);
  const bottom = top + Math.max(1, o.rows.length) * ROW;
  const ticks = x.ticks(tickCount(WIDTH - labelW - valueW, textWidth(formatFigure(x.domain()[1]!)), 6)).filter((v) => Number.isInteger(v));
  const grid = ticks.map((v) => `<line stroke="${COLOURS.grid}" x1="${at(x(v))}" x2="${at(x(v))}" y1="${at(top - 4)}" y2="${at(bottom)}"/>`
    + `<text class="wl-axis" x="${at(x(v))}" y="${at(top - 8)}" text-anchor="middle">${formatFigure(v)}</text>`).join('');
  const parts = layers.map((layer, si) => layer.map(([from, to], ri) => {
    const [x0, x1, by] = [x(from), x(to), y(ri) ?? top];
    if (!(x1 > x0)) return '';
    const r = o.rows[ri]!;
    const inside = x1 - x0 >= textWidth(formatFigure(to - from)) + 8 && o.series[si]!.look === 'solid';
    return `<rect x="${at(x0)}" y="${at(by)}" width="${at(x1 - x0)}" height="${at(y.bandwidth())}" ${lookAttrs(o.id, o.series[si]!.look)}>`
      + `<title>${esc(`${r.label}, ${o.series[si]!.label}: ${formatFigure(to - from)}`)}</title></rect>`
      + (inside ? `<text class="wl-axis wl-axis--on-dark" fill="#ffffff" x="${at(x0 + 4)}" y="${at(by + y.bandwidth() / 2 + FONT / 3)}">${formatFigure(to - from)}</text>` : '');
  }).join('')).join('');
  const labels = o.rows.map((r, ri) => {
    const cy = (y(ri) ?? top) + y.bandwidth() / 2 + FONT / 3;
    return `<text class="wl-axis" x="${at(labelW - 8)}" y="${at(cy)}" text-anchor="end">${esc(fitText(r.label, labelW - 8))}</text>`
      + `<text class="wl-axis" x="${at(x(totals[ri]!) + 4)}" y="${at(cy)}">${formatFigure(totals[ri]!)}</text>`;
  }).join('');
  const axis = `<line stroke="${COLOURS.text}" x1="${at(x(0))}" x2="${at(x(0))}" y1="${at(top - 4)}" y2="${at(bottom)}"/>`;
  const empty = o.rows.length ? '' : `<text class="wl-axis" x="${at(labelW)}" y="${at(top + ROW / 2)}">No figures to show.</text>`;
  return chartSvg({ id: o.id, title: o.title, description: o.description, width: WIDTH, height: bottom + 8, body: key.svg + grid + axis + parts + labels + empty });
}
