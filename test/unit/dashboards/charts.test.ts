import { describe, expect, it } from 'vitest';
import { barChartSvg, describeRows, type BarRow } from '../../../src/dashboards/bar-chart.js';
import { COLOURS, type SeriesStyle } from '../../../src/dashboards/chart-frame.js';
import { stackedBarChartSvg } from '../../../src/dashboards/stacked-bar-chart.js';
import { describeTrend, trendChartSvg, type TrendWeek } from '../../../src/dashboards/trend-chart.js';

/** Every element of a tag in the SVG, as its attributes. */
function elements(svg: string, tag: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`<${tag}\\b([^>]*?)/?>`, 'g'))].map((m) => Object.fromEntries([...m[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])));
}
const texts = (svg: string) => [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
/** The bars of a series: rects with a <title> (legend swatches and pattern tiles have none). */
const bars = (svg: string): Record<string, string>[] => [...svg.matchAll(/<rect\b([^>]*)><title>([^<]*)<\/title><\/rect>/g)]
  .map((m) => ({ ...(Object.fromEntries([...m[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])) as Record<string, string>), label: m[2]! }));

function expectWellFormed(svg: string, id: string) {
  expect(svg).toMatch(new RegExp(`^<svg [^>]*role="img"[^>]*aria-labelledby="${id}-t ${id}-d"`));
  expect(svg).toContain(`<title id="${id}-t">`);
  expect(svg).toMatch(new RegExp(`<desc id="${id}-d">[^<]+</desc>`));
  const attributes = [...svg.matchAll(/="([^"]*)"/g)].map((m) => m[1]!);
  expect(attributes.filter((a) => /NaN|Infinity|undefined/.test(a))).toEqual([]);
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  expect(svg).toMatch(/viewBox="0 0 \d+(\.\d)? \d+(\.\d)?"/);
}

const week = (i: number, newCount: number, resolvedCount: number): TrendWeek => {
  const d = new Date(Date.UTC(2025, 11, 29) + i * 7 * 86_400_000).toISOString().slice(0, 10);
  return { weekStart: d, label: `W${i + 1}`, newCount, resolvedCount };
};
const two: SeriesStyle[] = [{ label: 'This area', look: 'solid' }, { label: 'City', look: 'hatched' }];

describe('bar charts', () => {
  it('draws bars whose lengths are proportional to their figures, from one baseline', () => {
    const svg = barChartSvg({ id: 'b', title: 'T', description: 'D', series: [{ label: 'Cases', look: 'solid' }],
      rows: [{ label: 'a', values: [10] }, { label: 'b', values: [20] }, { label: 'c', values: [37] }] });
    const b = bars(svg);
    expect(b.map((r) => r.label)).toEqual(['a, Cases: 10', 'b, Cases: 20', 'c, Cases: 37']);
    const widths = b.map((r) => Number(r.width));
    expect(widths[1]! / widths[0]!).toBeCloseTo(2, 1);
    expect(widths[2]! / widths[0]!).toBeCloseTo(3.7, 1);
    expect(new Set(b.map((r) => r.x)).size).toBe(1);
    expectWellFormed(svg, 'b');
  });

  it('labels its scale with nice round ticks that reach past the largest figure', () => {
    const svg = barChartSvg({ id: 'b', title: 'T', description: 'D', series: [{ label: 'Cases', look: 'solid' }], rows: [{ label: 'a', values: [37] }] });
    const ticks = texts(svg).filter((s) => /^[\d,]+$/.test(s) && s !== '37').map((s) => Number(s.replace(/,/g, '')));
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(37);
    const step = ticks[1]! - ticks[0]!;
    expect([1, 2, 5, 10, 20, 50]).toContain(step);
    expect(ticks.every((v, i) => v === i * step)).toBe(true);
  });

  it('keeps percentages on a 0–100% scale and shows "none" where nothing was due', () => {
    const svg = barChartSvg({ id: 'r', title: 'T', description: 'D', series: two, max: 100, unit: '%', rows: [{ label: 'Dev', values: [50, null] }] });
    expect(texts(svg)).toContain('100%');
    expect(texts(svg)).toContain('none');
    expect(bars(svg)).toHaveLength(1);
    const xs = elements(svg, 'line').map((l) => Number(l.x1));
    expect(Number(bars(svg)[0]!.width)).toBeCloseTo((Math.max(...xs) - Math.min(...xs)) / 2, 0);
  });

  it('does not rely on colour: the second series is hatched and outlined, with a legend and figures beside the bars', () => {
    const svg = barChartSvg({ id: 'c', title: 'T', description: 'D', series: two, rows: [{ label: 'New', values: [12, 9.4] }] });
    const [area, city] = bars(svg);
    expect(area!.fill).toBe(COLOURS.blue);
    expect(city!.fill).toBe('url(#c-hatch)');
    expect(city!.stroke).toBe(COLOURS.grey);
    expect(svg).toContain('<pattern id="c-hatch"');
    expect(texts(svg)).toEqual(expect.arrayContaining(['This area', 'City', '12', '9.4']));
  });

  it('draws nothing broken for no rows, zero figures or a huge figure', () => {
    for (const rows of [[], [{ label: 'a', values: [0, 0] }], [{ label: 'a', values: [1_000_000_000, 3] }], [{ label: 'a', values: [Number.NaN, -4] }]] as BarRow[][]) {
      const svg = barChartSvg({ id: 'e', title: 'T', description: describeRows(two, rows), series: two, rows });
      expectWellFormed(svg, 'e');
    }
    const huge = barChartSvg({ id: 'h', title: 'T', description: 'D', series: two, rows: [{ label: 'a', values: [1_000_000_000, 3] }] });
    expect(texts(huge)).toContain('1,000,000,000');
    expect(bars(huge)[1]!.width).toBe('1'); // 3 of a billion: still a visible sliver
  });

  it('describes every row\'s figures', () => {
    expect(describeRows(two, [{ label: 'New', values: [12, 9.4] }, { label: 'Open', values: [3, null] }]))
      .toBe('New: This area 12, City 9.4; Open: This area 3, City none.');
    expect(describeRows(two, [])).toBe('No figures to show.');
  });
});

describe('stacked bars', () => {
  it('stacks each row\'s parts end to end, the total written at the end', () => {
    const series: SeriesStyle[] = [{ label: 'Open, not overdue', look: 'solid' }, { label: 'Overdue', look: 'hatched' }];
    const svg = stackedBarChartSvg({ id: 's', title: 'T', description: 'D', series, rows: [{ label: 'Dev', values: [6, 2] }, { label: 'Helen', values: [0, 4] }] });
    // No zero-width part for Helen's open cases.
    expect(bars(svg).map((b) => b.label)).toEqual(['Dev, Open, not overdue: 6', 'Dev, Overdue: 2', 'Helen, Overdue: 4']);
    const [devOpen, devOverdue, helenOverdue] = bars(svg);
    expect(helenOverdue!.x).toBe(devOpen!.x);
    expect(Number(devOverdue!.x)).toBeCloseTo(Number(devOpen!.x) + Number(devOpen!.width), 0);
    expect(Number(devOpen!.width) / Number(devOverdue!.width)).toBeCloseTo(3, 1);
    expect(texts(svg)).toEqual(expect.arrayContaining(['8', '4']));
    expectWellFormed(svg, 's');
    expectWellFormed(stackedBarChartSvg({ id: 'z', title: 'T', description: 'D', series, rows: [] }), 'z');
  });
});

describe('the weekly trend', () => {
  const pathsOf = (svg: string) => elements(svg, 'path').map((p) => p.d!);
  const coords = (d: string) => [...d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);

  it('places weeks left to right in order and figures bottom to top in proportion', () => {
    const weeks = [week(0, 0, 1), week(1, 10, 2), week(2, 20, 3), week(3, 40, 4)];
    const svg = trendChartSvg({ id: 'trend', title: 'T', description: describeTrend(weeks), weeks });
    const [, newLine] = pathsOf(svg);
    const pts = coords(newLine!);
    expect(pts).toHaveLength(4);
    expect(pts.map((p) => p[0])).toEqual([...pts.map((p) => p[0])].sort((a, b) => a - b));
    const [zero, ten, twenty] = [pts[0]![1], pts[1]![1], pts[2]![1]];
    expect(zero - twenty).toBeCloseTo(2 * (zero - ten), 0);
    expect(texts(svg)).toEqual(expect.arrayContaining(['New 40', 'Resolved 4', '0', '40']));
    expectWellFormed(svg, 'trend');
  });

  it('draws an empty year, a single week, weeks of zeros and a huge week without a NaN', () => {
    for (const weeks of [[], [week(0, 3, 1)], [week(0, 0, 0), week(1, 0, 0)], [week(0, 2_000_000_000, 5), week(1, 1, 0)]]) {
      expectWellFormed(trendChartSvg({ id: 'trend', title: 'T', description: describeTrend(weeks), weeks }), 'trend');
    }
    const one = trendChartSvg({ id: 'trend', title: 'T', description: 'D', weeks: [week(0, 3, 1)] });
    expect(elements(one, 'circle')).toHaveLength(1); // a lone week is a visible point, not a zero-length line
    expect(texts(one)).toContain('29 Dec');
    expect(texts(trendChartSvg({ id: 'trend', title: 'T', description: 'D', weeks: [week(0, 2_000_000_000, 5)] }))).toContain('2,000,000,000');
  });

  it('marks months along a year of weeks', () => {
    const weeks = Array.from({ length: 52 }, (_, i) => week(i, i, i % 3));
    const months = texts(trendChartSvg({ id: 'trend', title: 'T', description: 'D', weeks })).filter((s) => /^[A-Z][a-z]{2,3}$/.test(s));
    expect(months[0]).toBe('Jan');
    expect(months.length).toBeGreaterThanOrEqual(4);
  });

  it('describes the totals and the busiest week of each series', () => {
    expect(describeTrend([week(0, 3, 0), week(1, 5, 0)])).toBe('2 weeks from 2025-12-29. New cases: 8 in all, most in the week starting 2026-01-05 (5). '
      + 'Resolved cases: 0 in all. The table below gives every week.');
    expect(describeTrend([])).toBe('No weeks to show.');
  });
});

describe('colours', () => {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const contrast = (a: string, b: string) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x! + 0.05) / (y! + 0.05); };

  it('meets 3:1 non-text contrast against the white page for both series, and 4.5:1 for text', () => {
    expect(contrast(COLOURS.blue, COLOURS.white)).toBeGreaterThanOrEqual(3);
    expect(contrast(COLOURS.grey, COLOURS.white)).toBeGreaterThanOrEqual(3);
    expect(contrast(COLOURS.text, COLOURS.white)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(COLOURS.white, COLOURS.blue)).toBeGreaterThanOrEqual(4.5); // figures written inside blue bars
  });
});
