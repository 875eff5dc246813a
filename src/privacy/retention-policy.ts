/** How long case text is kept after a case is finished, by service; pure. */
export interface RetentionPolicy {
  defaultMonths: number;
  byService: Record<string, number>;
}

export function parseRetentionByService(spec: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [service, months] = part.split('=');
    out[service!.trim()] = Number(months);
  }
  return out;
}

export const retentionMarker = (months: number) => `[removed after ${months} months]`;
export const ERASURE_MARKER = '[removed on request]';

/** The date before which a case finished under `months` of retention has its text removed. */
export function cutoffFor(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}
