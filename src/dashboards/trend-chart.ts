import { scaleLinear, scaleUtc } from 'd3-scale';
import { area, line } from 'd3-shape';
import { at, chartSvg, WIDTH, COLOURS, esc, figure, FONT, formatFigure, textWidth, tickCount } from './chart-frame.js';

/**
 * The weekly trend through the year: new cases as a solid blue line over a light area, resolved
 * cases as a dashed grey line with square marks, each named at its end with its last figure.
 * Weeks are placed by their Monday ('YYYY-MM-DD', taken as a UTC day so the server's zone cannot
 * move them); months along the bottom, nice counts up the side.
 */
export interface TrendWeek { weekStart: string; label: string; newCount: number; resolvedCount: number }

const HEIGHT = 280;
const DAY = 86_400_000;
const M = { top: 44, right: 100, bottom: 30 };

const dayOf = (iso: string) => {
  const t = Date.parse(`${iso}T00:00:00Z`);
  return Number.isFinite(t) ? t : 0;
};
const monthDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const monthOnly = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });

function scalesFor(weeks: readonly TrendWeek[]) {
  const max = Math.max(1, ...weeks.flatMap((w) => [figure(w.newCount), figure(w.resolvedCount)]));
  const y = scaleLinear().domain([0, max]).nice(tickCount(HEIGHT - M.top - M.bottom, FONT, 6)).range([HEIGHT - M.bottom, M.top]);
  const left = textWidth(formatFigure(y.domain()[1]!)) + 10;
  // One week sits in the middle of a fortnight; no weeks, an empty axis.
  const first = weeks.length > 1 ? dayOf(weeks[0]!.weekStart) : weeks.length ? dayOf(weeks[0]!.weekStart) - 7 * DAY : 0;
  const last = weeks.length > 1 ? dayOf(weeks[weeks.length - 1]!.weekStart) : first + 14 * DAY;
  const x = scaleUtc().domain([new Date(first), new Date(last)]).range([left, WIDTH - M.right]);
  return { x, y, left };
}

/** Months along the bottom when the weeks span two or more; otherwise each week's Monday. */
function timeTicks(x: ReturnType<typeof scalesFor>['x'], weeks: readonly TrendWeek[], left: number): { at: Date; text: string }[] {
  if (weeks.length >= 9) {
    return x.ticks(tickCount(WIDTH - M.right - left, textWidth('Sept'), 6)).map((d) => ({ at: d, text: (d.getUTCDate() === 1 ? monthOnly : monthDay).format(d) }));
  }
  const every = Math.ceil(weeks.length / tickCount(WIDTH - M.right - left, textWidth('30 Sept'), 8));
  return weeks.filter((_, i) => i % every === 0).map((w) => new Date(dayOf(w.weekStart))).map((d) => ({ at: d, text: monthDay.format(d) }));
}

function axes(x: ReturnType<typeof scalesFor>['x'], y: ReturnType<typeof scalesFor>['y'], left: number, weeks: readonly TrendWeek[]): string {
  const yTicks = y.ticks(tickCount(HEIGHT - M.top - M.bottom, FONT, 6)).filter((v) => Number.isInteger(v));
  const rows = yTicks.map((v) => `<line stroke="${COLOURS.grid}" x1="${at(left)}" x2="${at(WIDTH - M.right)}" y1="${at(y(v))}" y2="${at(y(v))}"/>`
    + `<text class="wl-axis" x="${at(left - 6)}" y="${at(y(v) + FONT / 3)}" text-anchor="end">${formatFigure(v)}</text>`).join('');
  const cols = timeTicks(x, weeks, left).map((t) => `<line stroke="${COLOURS.text}" x1="${at(x(t.at))}" x2="${at(x(t.at))}" y1="${at(HEIGHT - M.bottom)}" y2="${at(HEIGHT - M.bottom + 5)}"/>`
    + `<text class="wl-axis" x="${at(x(t.at))}" y="${at(HEIGHT - M.bottom + 8 + FONT)}" text-anchor="middle">${esc(t.text)}</text>`).join('');
  return `${rows}<line stroke="${COLOURS.text}" x1="${at(left)}" x2="${at(WIDTH - M.right)}" y1="${at(y(0))}" y2="${at(y(0))}"/>${cols}`;
}

/** The two series' names at the right, kept at least a line apart. */
function endLabels(weeks: readonly TrendWeek[], y: (n: number) => number): string {
  const lastWeek = weeks[weeks.length - 1];
  const last = { n: figure(lastWeek?.newCount), r: figure(lastWeek?.resolvedCount) };
  let [yn, yr] = [y(last.n), y(last.r)];
  if (Math.abs(yn - yr) < FONT + 2) {
    const mid = (yn + yr) / 2;
    const newAbove = last.n >= last.r;
    [yn, yr] = newAbove ? [mid - (FONT + 2) / 2, mid + (FONT + 2) / 2] : [mid + (FONT + 2) / 2, mid - (FONT + 2) / 2];
  }
  const x = WIDTH - M.right + 8;
  return `<text class="wl-axis" x="${at(x)}" y="${at(yn + FONT / 3)}">New ${formatFigure(last.n)}</text>`
    + `<text class="wl-axis" x="${at(x)}" y="${at(yr + FONT / 3)}">Resolved ${formatFigure(last.r)}</text>`;
}

/** The key above the plot: a line sample for each series. */
function key(left: number): string {
  const y = 12;
  const second = left + 44 + textWidth('New cases') + 24;
  return `<line x1="${at(left)}" x2="${at(left + 36)}" y1="${y}" y2="${y}" stroke="${COLOURS.blue}" stroke-width="3"/>`
    + `<text class="wl-axis" x="${at(left + 44)}" y="${y + 5}">New cases</text>`
    + `<line x1="${at(second)}" x2="${at(second + 36)}" y1="${y}" y2="${y}" stroke="${COLOURS.grey}" stroke-width="2" stroke-dasharray="6 4"/>`
    + `<rect x="${at(second + 15)}" y="${y - 3}" width="6" height="6" fill="${COLOURS.grey}"/>`
    + `<text class="wl-axis" x="${at(second + 44)}" y="${y + 5}">Resolved cases</text>`;
}

export function trendChartSvg(o: { id: string; title: string; description: string; weeks: readonly TrendWeek[] }): string {
  const { x, y, left } = scalesFor(o.weeks);
  const px = (w: TrendWeek) => x(new Date(dayOf(w.weekStart)));
  const newArea = area<TrendWeek>().x(px).y0(y(0)).y1((w) => y(figure(w.newCount)))(o.weeks as TrendWeek[]);
  const newLine = line<TrendWeek>().x(px).y((w) => y(figure(w.newCount)))(o.weeks as TrendWeek[]);
  const resolvedLine = line<TrendWeek>().x(px).y((w) => y(figure(w.resolvedCount)))(o.weeks as TrendWeek[]);
  const marks = o.weeks.map((w) => `<rect x="${at(px(w) - 3)}" y="${at(y(figure(w.resolvedCount)) - 3)}" width="6" height="6" fill="${COLOURS.grey}"/>`
    + (o.weeks.length === 1 ? `<circle cx="${at(px(w))}" cy="${at(y(figure(w.newCount)))}" r="4" fill="${COLOURS.blue}"/>` : '')).join('');
  const paths = o.weeks.length
    ? `<path d="${newArea ?? ''}" fill="${COLOURS.blue}" fill-opacity="0.12"/>`
      + `<path d="${newLine ?? ''}" fill="none" stroke="${COLOURS.blue}" stroke-width="3" stroke-linejoin="round"/>`
      + `<path d="${resolvedLine ?? ''}" fill="none" stroke="${COLOURS.grey}" stroke-width="2" stroke-dasharray="6 4"/>${marks}${endLabels(o.weeks, y)}`
    : `<text class="wl-axis" x="${at(left + 8)}" y="${at((HEIGHT + M.top - M.bottom) / 2)}">No weeks to show.</text>`;
  return chartSvg({ id: o.id, title: o.title, description: o.description, width: WIDTH, height: HEIGHT, body: key(left) + axes(x, y, left, o.weeks) + paths });
}

/** A description of the trend: totals, and the busiest week of each series. */
export function describeTrend(weeks: readonly TrendWeek[]): string {
  if (!weeks.length) return 'No weeks to show.';
  const busiest = (pick: (w: TrendWeek) => number) => weeks.reduce((b, w) => (figure(pick(w)) > figure(pick(b)) ? w : b), weeks[0]!);
  const sum = (pick: (w: TrendWeek) => number) => weeks.reduce((s, w) => s + figure(pick(w)), 0);
  const part = (name: string, pick: (w: TrendWeek) => number) => {
    const b = busiest(pick);
    return `${name}: ${formatFigure(sum(pick))} in all${sum(pick) > 0 ? `, most in the week starting ${b.weekStart} (${formatFigure(pick(b))})` : ''}`;
  };
  return `${weeks.length} week${weeks.length === 1 ? '' : 's'} from ${weeks[0]!.weekStart}. ${part('New cases', (w) => w.newCount)}. `
    + `${part('Resolved cases', (w) => w.resolvedCount)}. The table below gives every week.`;
}
