/**
 * GeoReport v2 documents in XML and JSON from one value: a root element name and plain data.
 * Arrays become repeated child elements named by CHILD (services → service …); null is an empty
 * element (`<account_id/>`) in XML and null in JSON.
 */
export type Open311Format = 'xml' | 'json';
export type Open311Scalar = string | number | boolean | null | undefined;
export interface Open311Object { [key: string]: Open311Value }
export type Open311Value = Open311Scalar | Open311Object | Open311Value[];

const CHILD: Record<string, string> = {
  services: 'service', service_requests: 'request', endpoints: 'endpoint', formats: 'format', attributes: 'attribute',
  values: 'value', errors: 'error', service_request_updates: 'request_update',
};

// Characters XML 1.0 cannot carry at all: dropped rather than produce a document clients reject.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Element text: `&`, `<` and `>` escaped (quotes need none outside attributes, as the specification's examples show). */
export function escapeXml(s: string): string {
  return s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function element(name: string, value: Open311Value, indent: string): string {
  if (value === null || value === undefined) return `${indent}<${name}/>`;
  if (Array.isArray(value)) {
    const child = CHILD[name] ?? 'item';
    if (!value.length) return `${indent}<${name}></${name}>`;
    return `${indent}<${name}>\n${value.map((v) => element(child, v, `${indent}  `)).join('\n')}\n${indent}</${name}>`;
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => element(k, v, `${indent}  `));
    return `${indent}<${name}>\n${inner.join('\n')}\n${indent}</${name}>`;
  }
  return `${indent}<${name}>${escapeXml(String(value))}</${name}>`;
}

export function renderOpen311(format: Open311Format, root: string, value: Open311Value): string {
  if (format === 'json') return JSON.stringify(value, (_k, v: unknown) => (v === undefined ? undefined : v));
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, '')}\n`;
}

export const OPEN311_CONTENT_TYPE: Record<Open311Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The specification's error list: `<errors><error><code/><description/></error></errors>` or `[{code, description}]`. */
export function renderOpen311Errors(format: Open311Format, errors: { code: number; description: string }[]): string {
  return renderOpen311(format, 'errors', errors.map((e) => ({ code: e.code, description: e.description })));
}

/** W3C date-time without fractions, in UTC: 2010-04-14T06:37:38Z. */
export function w3cDate(d: Date | null): string | null {
  return d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}
