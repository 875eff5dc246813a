/** Form and query parameters as the HTTP layer hands them over: a value, or several for a repeated name. */
export type Open311Params = Record<string, string | string[] | undefined>;

/** A failure the client sees as the specification's error list, with this HTTP status. */
export class Open311Failure extends Error {
  constructor(readonly status: 400 | 403 | 404 | 429 | 500, readonly description: string) {
    super(description);
    this.name = 'Open311Failure';
  }
}

export const MAX_DESCRIPTION = 4000;
const MAX_FIELD = 320;

/** One value; a repeated or over-long name is refused, blank counts as absent. */
export function param(p: Open311Params, name: string, max = MAX_FIELD): string | null {
  const v = p[name];
  if (v === undefined) return null;
  if (Array.isArray(v)) throw new Open311Failure(400, `${name} was given more than once.`);
  const s = v.trim();
  if (!s) return null;
  if (s.length > max) throw new Open311Failure(400, `${name} is longer than ${max} characters.`);
  return s;
}

/** A comma-separated or repeated list (service_request_id, service_code, status). */
export function listParam(p: Open311Params, name: string): string[] | null {
  const v = p[name];
  if (v === undefined) return null;
  const all = (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  if (all.some((x) => x.length > 100) || all.length > 200) throw new Open311Failure(400, `${name} lists too many or too long values.`);
  return all.length ? all : null;
}

export function dateParam(p: Open311Params, name: string): Date | null {
  const s = param(p, name, 40);
  if (!s) return null;
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) {
    throw new Open311Failure(400, `${name} must be a W3C date-time such as 2010-01-01T00:00:00Z.`);
  }
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Open311Failure(400, `${name} is not a real date.`);
  return d;
}

export function coordinate(p: Open311Params, name: 'lat' | 'long'): number | null {
  const s = param(p, name, 40);
  if (s === null) return null;
  const n = /^[+-]?\d{1,3}(\.\d+)?$/.test(s) ? Number(s) : NaN;
  const limit = name === 'lat' ? 90 : 180;
  if (!Number.isFinite(n) || Math.abs(n) > limit) throw new Open311Failure(400, `${name} must be a WGS84 ${name === 'lat' ? 'latitude' : 'longitude'} between -${limit} and ${limit}.`);
  return n;
}

/** `attribute[CODE]=v` and `attribute[CODE][]=v1&attribute[CODE][]=v2`. */
export function attributes(p: Open311Params): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(p)) {
    const m = /^attribute\[([^[\]]{1,100})\](\[\])?$/.exec(k);
    if (!m || v === undefined) continue;
    const values = (Array.isArray(v) ? v : [v]).map((x) => x.slice(0, MAX_FIELD));
    out[m[1]!] = m[2] || values.length > 1 ? values : values[0]!;
  }
  if (Object.keys(out).length > 50) throw new Open311Failure(400, 'Too many attributes.');
  return out;
}

export function emailParam(p: Open311Params): string | null {
  const e = param(p, 'email');
  if (e && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(e)) throw new Open311Failure(400, 'email is not an email address.');
  return e;
}
