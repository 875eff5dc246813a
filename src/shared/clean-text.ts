/**
 * What PostgreSQL cannot store: NUL in text and jsonb, and UTF-16 halves without their pair
 * (jsonb refuses the `\ud800` escape JSON.stringify writes for one). Every inbound text and JSON
 * body passes here before it is stored, so a message holding them is kept, not refused for ever.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** NUL removed, a lone surrogate replaced by U+FFFD; other text unchanged. */
export function cleanText(s: string): string {
  UNSTORABLE.lastIndex = 0;
  if (!UNSTORABLE.test(s)) return s;
  return s.replace(UNSTORABLE, (c) => (c === '\u0000' ? '' : '\uFFFD'));
}

/** A parsed JSON value with every string (keys too) cleaned; the input is not changed. */
export function cleanJson<T>(value: T): T {
  return walk(value) as T;
}

function walk(v: unknown): unknown {
  if (typeof v === 'string') return cleanText(v);
  if (Array.isArray(v)) return v.map(walk);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[cleanText(k)] = walk(x);
    return out;
  }
  return v;
}

/** Slack's deepest documented payloads (rich-text blocks in a modal) nest about 12 levels. */
export const MAX_JSON_DEPTH = 64;
export const MAX_JSON_CHARS = 1_000_000;

export type ParsedJson =
  | { ok: true; value: unknown }
  | { ok: false; status: 400 | 413; code: 'too_deep' | 'too_large' | 'invalid_json'; message: string };

/**
 * Parses an inbound JSON body and cleans it; too deep or too large is refused before it is parsed
 * (PostgreSQL's jsonb gives up on deep nesting, and a body refused there would be refused for ever).
 */
export function parseInboundJson(raw: string, limits: { maxDepth?: number; maxChars?: number } = {}): ParsedJson {
  const maxChars = limits.maxChars ?? MAX_JSON_CHARS;
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  if (raw.length > maxChars) return { ok: false, status: 413, code: 'too_large', message: `The body is over ${maxChars.toLocaleString('en-GB')} characters.` };
  if (jsonDepth(raw, maxDepth) > maxDepth) return { ok: false, status: 400, code: 'too_deep', message: `The JSON nests more than ${maxDepth} levels.` };
  try {
    return { ok: true, value: cleanJson(JSON.parse(raw) as unknown) };
  } catch {
    return { ok: false, status: 400, code: 'invalid_json', message: 'The body is not JSON.' };
  }
}

/** The deepest nesting of arrays and objects in JSON text, counted without parsing; stops past `stopAt`. */
export function jsonDepth(raw: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
      if (max > stopAt) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}
