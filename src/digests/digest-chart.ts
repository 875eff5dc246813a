import { png } from '../shared/png.js';
import type { WardDigest } from './digest-model.js';

/** A 5-row pixel font for the chart's numbers and week labels (rows of each glyph, top first). */
const GLYPHS: Record<string, string[]> = {
  '0': ['111', '101', '101', '101', '111'], '1': ['010', '110', '010', '010', '111'], '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'], '4': ['101', '101', '111', '001', '001'], '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'], '7': ['111', '001', '001', '001', '001'], '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'], W: ['10001', '10001', '10101', '10101', '01010'],
};

type Rgba = [number, number, number, number];
const NAVY: Rgba = [29, 53, 87, 255];
const GREY: Rgba = [168, 178, 190, 255];
const INK: Rgba = [33, 37, 41, 255];
const WHITE: Rgba = [255, 255, 255, 255];

/**
 * The digest's trend as a bar chart (PNG): new cases in each of the last five weeks, this week
 * darker, each bar with its count above and its week below. Pure and in-process.
 */
export function digestTrendChart(d: WardDigest, width = 420, height = 210): Buffer {
  const pixels: Rgba[] = new Array<Rgba>(width * height).fill(WHITE);
  const rect = (x0: number, y0: number, w: number, h: number, c: Rgba) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++) for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) pixels[y * width + x] = c;
  };
  const text = (s: string, cx: number, top: number, scale: number, c: Rgba) => {
    const glyphs = [...s].map((ch) => GLYPHS[ch] ?? ['000', '000', '000', '000', '000']);
    const w = glyphs.reduce((sum, g) => sum + (g[0]!.length + 1) * scale, -scale);
    let x = Math.round(cx - w / 2);
    for (const g of glyphs) {
      g.forEach((row, r) => [...row].forEach((bit, col) => { if (bit === '1') rect(x + col * scale, top + r * scale, scale, scale, c); }));
      x += (g[0]!.length + 1) * scale;
    }
  };
  const weeks = d.trend;
  const max = Math.max(1, ...weeks.map((w) => w.newCount));
  const top = 30;
  const base = height - 34;
  const slot = width / Math.max(1, weeks.length);
  rect(10, base, width - 20, 2, GREY);
  weeks.forEach((w, i) => {
    const barH = Math.round(((base - top) * w.newCount) / max);
    const cx = slot * i + slot / 2;
    const barW = Math.round(slot * 0.5);
    rect(Math.round(cx - barW / 2), base - barH, barW, barH, i === weeks.length - 1 ? NAVY : GREY);
    text(String(w.newCount), cx, base - barH - 18, 3, INK);
    text(`W${w.week.slice(-2)}`, cx, base + 8, 3, INK);
  });
  return png(width, height, (x, y) => pixels[y * width + x]!);
}

/** What the chart shows, in words, for people who cannot see it. */
export function digestTrendAlt(d: WardDigest): string {
  return `New cases in ${d.ward.name} by week: ${d.trend.map((w) => `${w.week} ${w.newCount}`).join(', ')}.`;
}
