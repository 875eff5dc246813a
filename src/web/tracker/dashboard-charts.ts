import { barChartSvg, describeRows, type BarRow } from '../../dashboards/bar-chart.js';
import type { SeriesStyle } from '../../dashboards/chart-frame.js';
import { stackedBarChartSvg } from '../../dashboards/stacked-bar-chart.js';
import { describeTrend, trendChartSvg, type TrendWeek } from '../../dashboards/trend-chart.js';
import { html, trusted, type Html } from './html.js';

/*
 * The dashboards' charts, each in its box, from the same figures as the tables beside them (the
 * tables stay the way to read every figure, and each exports as CSV).
 */

const box = (svg: string): Html => html`<div class="wl-chart-box">${trusted(svg)}</div>`;

export function trendChart(area: string, year: number, weeks: readonly TrendWeek[]): Html {
  return box(trendChartSvg({ id: 'trend', title: `New and resolved cases by week, ${area}, ${year}`, description: describeTrend(weeks), weeks }));
}

export function comparisonChart(area: string, year: number, cityLabel: string, rows: readonly { label: string; area: number; city: number }[]): Html {
  const series: SeriesStyle[] = [{ label: 'This area', look: 'solid' }, { label: cityLabel, look: 'hatched' }];
  const bars: BarRow[] = rows.map((r) => ({ label: r.label, values: [r.area, r.city] }));
  return box(barChartSvg({ id: 'cmp', title: `${area} against the city, ${year}`, description: describeRows(series, bars), series, rows: bars }));
}

export function topicsChart(area: string, year: number, topics: readonly { topic: string; count: number }[]): Html {
  const series: SeriesStyle[] = [{ label: 'Cases', look: 'solid' }];
  const rows: BarRow[] = topics.map((x) => ({ label: x.topic, values: [x.count] }));
  return box(barChartSvg({ id: 'topics', title: `Top topics, ${area}, ${year}`, description: describeRows(series, rows), series, rows }));
}

export interface OfficerRates { name: string; acknowledged: number | null; responded: number | null; open: number; overdue: number }

export function ratesChart(service: string, year: number, officers: readonly OfficerRates[]): Html {
  const series: SeriesStyle[] = [{ label: 'Acknowledged on time', look: 'solid' }, { label: 'Responded on time', look: 'hatched' }];
  const rows: BarRow[] = officers.map((o) => ({ label: o.name, values: [o.acknowledged, o.responded] }));
  return box(barChartSvg({ id: 'rates', title: `Percentage acknowledged and responded on time by officer, ${service}, ${year}`,
    description: `${describeRows(series, rows, '%')} “none” means nothing was due yet.`, series, rows, max: 100, unit: '%' }));
}

/** Open cases (of those opened in the year) per officer, the overdue part stacked on the rest. */
export function openCasesChart(service: string, year: number, officers: readonly OfficerRates[]): Html {
  const series: SeriesStyle[] = [{ label: 'Open, not overdue', look: 'solid' }, { label: 'Overdue', look: 'hatched' }];
  const rows: BarRow[] = officers.map((o) => ({ label: o.name, values: [Math.max(0, o.open - o.overdue), o.overdue] }));
  return box(stackedBarChartSvg({ id: 'load', title: `Open cases by officer, overdue or not, of those opened in ${year}, ${service}`,
    description: describeRows(series, rows), series, rows }));
}

/** A topic's wards, most new cases first: new this year and open now, the `limit` busiest. */
export function topicWardsChart(topic: string, year: number, wards: readonly { name: string; newCount: number; openCount: number }[], limit = 15): Html {
  const series: SeriesStyle[] = [{ label: 'New this year', look: 'solid' }, { label: 'Open now', look: 'hatched' }];
  const rows: BarRow[] = wards.slice(0, limit).map((w) => ({ label: w.name, values: [w.newCount, w.openCount] }));
  const more = wards.length > limit ? ` The ${limit} wards with the most new cases of ${wards.length}; the table lists every ward.` : '';
  return box(barChartSvg({ id: 'topic-wards', title: `${topic} by ward, ${year}`, description: `${describeRows(series, rows)}${more}`, series, rows }));
}
