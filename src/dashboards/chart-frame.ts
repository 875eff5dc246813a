/**
 * What every dashboard chart shares: an inline SVG drawn on the server (no script, no CDN, nothing
 * the tracker's content security policy forbids) that announces itself as one image with a title
 * and a description giving its figures, and scales to its box through its viewBox. Colours are
 * GOV.UK's and meet the 3:1 non-text contrast against white; the second series is hatched and
 * outlined, and figures are written beside the marks, so nothing depends on colour alone.
 */

/** Sizes are in viewBox units; charts are drawn 440 wide, so 14 is still about 12 px on a 390 px screen. */
export const WIDTH = 440;
export const FONT = 14;
export const COLOURS = { blue: '#1d70b8', grey: '#505a5f', text: '#0b0c0c', grid: '#b1b4b6', white: '#ffffff' } as const;

/** How a series is drawn: solid GOV.UK blue, or dark grey hatching with a solid outline. */
export type SeriesLook = 'solid' | 'hatched';
export interface SeriesStyle { label: string; look: SeriesLook }

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A coordinate for an attribute: one decimal, and never NaN or Infinity. */
export const at = (n: number): number => (Number.isFinite(n) ? Math.round(n * 10) / 10 : 0);

/** A figure as a chart may meet it (null, negative, NaN): a count of zero or more. */
export const figure = (n: number | null | undefined): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

/** A figure as people read it: thousands separated, at most one decimal. */
export const formatFigure = (n: number): string => (Math.round(figure(n) * 10) / 10).toLocaleString('en-GB');

/** Roughly how wide a line of Arial is: enough to keep labels apart and inside the frame. */
export const textWidth = (s: string, size = FONT): number => s.length * size * 0.62;

/** A label cut to fit a width, ending in an ellipsis when cut. */
export function fitText(s: string, width: number, size = FONT): string {
  const max = Math.max(1, Math.floor(width / textWidth('x', size)));
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}

/** The fill and stroke attributes of a series' marks. */
export function lookAttrs(id: string, look: SeriesLook): string {
  return look === 'solid' ? `fill="${COLOURS.blue}"` : `fill="url(#${esc(id)}-hatch)" stroke="${COLOURS.grey}" stroke-width="1.5"`;
}

/** A legend: a swatch and a label per series, in one row (two when it does not fit). */
export function legend(id: string, series: readonly SeriesStyle[], x: number, y: number, width: number): { svg: string; height: number } {
  let cx = x;
  let cy = y;
  const parts = series.map((s) => {
    const w = 22 + textWidth(s.label) + 18;
    if (cx > x && cx + w > x + width) { cx = x; cy += FONT + 10; }
    const part = `<rect x="${at(cx)}" y="${at(cy)}" width="14" height="14" ${lookAttrs(id, s.look)}/>`
      + `<text class="wl-axis" x="${at(cx + 20)}" y="${at(cy + 12)}">${esc(s.label)}</text>`;
    cx += w;
    return part;
  });
  return { svg: parts.join(''), height: cy - y + FONT + 12 };
}

/** The SVG around a chart's body: role, title, description, the hatching and the viewBox. */
export function chartSvg(o: { id: string; title: string; description: string; width: number; height: number; body: string }): string {
  const id = esc(o.id);
  const hatch = `<pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">`
    + `<rect width="6" height="6" fill="${COLOURS.white}"/><rect width="3" height="6" fill="${COLOURS.grey}"/></pattern>`;
  const [w, h] = [at(o.width), at(o.height)];
  return `<svg xmlns="http://www.w3.org/2000/svg" class="wl-chart" role="img" focusable="false" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}"`
    + ` aria-labelledby="${id}-t ${id}-d" preserveAspectRatio="xMinYMin meet">`
    + `<title id="${id}-t">${esc(o.title)}</title><desc id="${id}-d">${esc(o.description)}</desc>`
    + `<defs>${hatch}</defs>${o.body}</svg>`;
}

/** A label column wide enough for the longest label, within limits; labels beyond are cut to fit. */
export const labelColumn = (labels: readonly string[]): number => Math.min(170, Math.max(50, ...labels.map((l) => textWidth(l)))) + 10;

/** How many ticks fit along a length when each label is about `labelWidth` wide. */
export const tickCount = (length: number, labelWidth: number, most = 10): number =>
  Math.max(2, Math.min(most, Math.floor(length / (labelWidth + 16))));
