import { AppError } from '../shared/errors.js';

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

/**
 * The policy in force: RETENTION_MONTHS, then RETENTION_MONTHS_BY_SERVICE, then what the council
 * set per service in the catalogue (`wardline services retention`), which wins. A service named
 * in the environment that the catalogue does not know is refused rather than silently kept longer.
 */
export function retentionPolicy(defaultMonths: number, envSpec: string, services: { id: string; retentionMonths?: number | null }[]): RetentionPolicy {
  const fromEnv = parseRetentionByService(envSpec);
  const unknown = Object.keys(fromEnv).filter((id) => !services.some((s) => s.id === id));
  if (unknown.length) {
    throw new AppError('config.invalid', `RETENTION_MONTHS_BY_SERVICE names ${unknown.join(', ')}, not in the catalogue; use service ids such as ${services.slice(0, 3).map((s) => s.id).join(', ')}.`);
  }
  const fromCatalogue = Object.fromEntries(services.filter((s) => s.retentionMonths).map((s) => [s.id, s.retentionMonths!]));
  return { defaultMonths, byService: sortKeys({ ...fromEnv, ...fromCatalogue }) };
}

const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

/** Whether two policies say the same (key order aside: a policy read back from jsonb has its own). */
export function samePolicy(a: RetentionPolicy, b: RetentionPolicy): boolean {
  const ka = Object.keys(a.byService);
  return a.defaultMonths === b.defaultMonths && ka.length === Object.keys(b.byService).length && ka.every((k) => a.byService[k] === b.byService[k]);
}

export const retentionMarker = (months: number) => `[removed after ${months} months]`;
export const ERASURE_MARKER = '[removed on request]';

/** The date before which a case finished under `months` of retention has its text removed. */
export function cutoffFor(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}
