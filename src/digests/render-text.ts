import type { WardDigest } from './digest-model.js';

const hours = (h: number | null) => (h === null ? '—' : h < 48 ? `${h} h` : `${Math.round(h / 24)} days`);

/** Plain text, for the CLI preview and as the notification fallback of every platform. */
export function renderDigestText(d: WardDigest): string {
  const lines = [
    `${d.ward.name} — week ${d.week}`,
    `New ${d.counts.new} · Acknowledged ${d.counts.acknowledged} · Resolved ${d.counts.resolved} · Open ${d.counts.open} · Overdue ${d.counts.overdue}`,
    d.trendNote,
    `Trend (new cases): ${d.trend.map((t) => `${t.week.slice(5)} ${t.newCount}`).join(' · ')}`,
  ];
  if (d.medians.length) {
    lines.push('', 'Median time to acknowledge / respond:');
    for (const m of d.medians) lines.push(`  ${m.service}: ${hours(m.acknowledgeHours)} / ${hours(m.respondHours)}`);
  }
  if (d.topIssues.length) lines.push('', `Top issues: ${d.topIssues.map((t) => `${t.topic} (${t.count})`).join(', ')}`);
  if (d.oldestOpen.length) {
    lines.push('', 'Oldest open cases:');
    for (const c of d.oldestOpen) lines.push(`  ${c.reference} · ${c.service} · ${c.ageDays} days · ${c.status.replace('_', ' ')}${c.summary ? ` — ${c.summary}` : ''}`);
  }
  return lines.join('\n');
}
