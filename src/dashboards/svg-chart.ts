/**
 * Bar charts as SVG, drawn on the server: no script, no CDN. Each has a title and description
 * for assistive technology, and pages put a data table beside it.
 */
export interface BarSeries {
  label: string;
  values: number[];
  /** A CSS class that sets the fill (two series: new and resolved). */
  className: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function barChartSvg(opts: { id: string; title: string; description: string; labels: string[]; series: BarSeries[]; height?: number }): string {
  const n = Math.max(1, opts.labels.length);
  const height = opts.height ?? 220;
  const slot = 14 * opts.series.length + 4;
  const left = 36;
  const width = left + n * slot + 8;
  const top = 10;
  const base = height - 28;
  const max = Math.max(1, ...opts.series.flatMap((s) => s.values));
  const scale = (v: number) => ((base - top) * v) / max;
  const bars = opts.series.flatMap((s, si) => s.values.map((v, i) => {
    const h = Math.round(scale(v) * 10) / 10;
    return `<rect class="${esc(s.className)}" x="${left + i * slot + 2 + si * 14}" y="${base - h}" width="12" height="${h}"><title>${esc(`${opts.labels[i] ?? ''} ${s.label}: ${v}`)}</title></rect>`;
  }));
  const every = Math.ceil(n / 13);
  const labels = opts.labels.map((l, i) => (i % every === 0
    ? `<text class="wl-axis" x="${left + i * slot + slot / 2}" y="${height - 10}" text-anchor="middle">${esc(l)}</text>` : '')).join('');
  const ticks = [0, Math.round(max / 2), max].map((v) => `<text class="wl-axis" x="${left - 4}" y="${base - scale(v) + 4}" text-anchor="end">${v}</text>`
    + `<line class="wl-grid" x1="${left}" x2="${width}" y1="${base - scale(v)}" y2="${base - scale(v)}"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="wl-chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-labelledby="${esc(opts.id)}-t ${esc(opts.id)}-d" preserveAspectRatio="xMinYMin meet">`
    + `<title id="${esc(opts.id)}-t">${esc(opts.title)}</title><desc id="${esc(opts.id)}-d">${esc(opts.description)}</desc>`
    + `${ticks}${bars.join('')}${labels}</svg>`;
}

/** Two horizontal bars: an area's figure against the city's per-ward average. */
export function comparisonSvg(opts: { id: string; title: string; rows: { label: string; area: number; city: number }[] }): string {
  const width = 360;
  const rowH = 44;
  const height = opts.rows.length * rowH + 8;
  const max = Math.max(1, ...opts.rows.flatMap((r) => [r.area, r.city]));
  const w = (v: number) => Math.max(1, Math.round((220 * v) / max));
  const body = opts.rows.map((r, i) => {
    const y = i * rowH + 4;
    return `<text class="wl-axis" x="0" y="${y + 12}">${esc(r.label)}</text>`
      + `<rect class="wl-bar-area" x="110" y="${y}" width="${w(r.area)}" height="16"/><text class="wl-axis" x="${114 + w(r.area)}" y="${y + 12}">${r.area}</text>`
      + `<rect class="wl-bar-city" x="110" y="${y + 20}" width="${w(r.city)}" height="16"/><text class="wl-axis" x="${114 + w(r.city)}" y="${y + 32}">${r.city}</text>`;
  }).join('');
  const desc = opts.rows.map((r) => `${r.label}: this area ${r.area}, city average per ward ${r.city}`).join('; ');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="wl-chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-labelledby="${esc(opts.id)}-t ${esc(opts.id)}-d">`
    + `<title id="${esc(opts.id)}-t">${esc(opts.title)}</title><desc id="${esc(opts.id)}-d">${esc(desc)}</desc>${body}</svg>`;
}
