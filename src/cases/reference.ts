/** Human case references: WL-000123. */
const PREFIX = 'WL';

export function formatReference(seq: number): string {
  return `${PREFIX}-${String(seq).padStart(6, '0')}`;
}

/** Accepts `WL-123`, `wl-000123`, `WL000123` and `WL 123`; null when it is not a reference. */
export function parseReference(text: string): number | null {
  const m = /^\s*wl[\s-]?0*(\d{1,12})\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Every reference mentioned in a text, in order of appearance. */
export function findReferences(text: string): number[] {
  return [...text.matchAll(/\bwl[\s-]?0*(\d{1,12})\b/gi)].map((m) => Number(m[1])).filter((n) => n > 0);
}
