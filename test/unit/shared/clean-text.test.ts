import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanJson, cleanText, jsonDepth, parseInboundJson } from '../../../src/shared/clean-text.js';

const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/; // eslint-disable-line no-control-regex

describe('cleaning text for the database', () => {
  it('drops NUL, replaces lone surrogates with U+FFFD and keeps pairs (emoji) and other text', () => {
    expect(cleanText('fly\u0000-tipping')).toBe('fly-tipping');
    expect(cleanText('a\uD800b')).toBe('a\uFFFDb');
    expect(cleanText('a\uDC00')).toBe('a\uFFFD');
    expect(cleanText('bins 🗑️ on Slade Road')).toBe('bins 🗑️ on Slade Road');
  });

  it('leaves nothing PostgreSQL refuses in any string, and changes clean strings not at all', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const c = cleanText(s);
      expect(unstorable.test(c)).toBe(false);
      if (!unstorable.test(s)) expect(c).toBe(s);
    }), { numRuns: 300 });
  });

  it('cleans keys and values at every level of a JSON value', () => {
    expect(cleanJson({ 'k\u0000': ['x\uD800', { t: 'a\u0000b' }], n: 1, b: null })).toEqual({ k: ['x\uFFFD', { t: 'ab' }], n: 1, b: null });
  });
});

describe('parsing an inbound JSON body', () => {
  it('refuses JSON nested deeper than the limit before parsing it (400), and a body over the size limit (413)', () => {
    const deep = `{"event":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expect(parseInboundJson(deep)).toMatchObject({ ok: false, status: 400, code: 'too_deep' });
    expect(parseInboundJson('"x"', { maxChars: 2 })).toMatchObject({ ok: false, status: 413, code: 'too_large' });
    expect(parseInboundJson('{"a":')).toMatchObject({ ok: false, status: 400, code: 'invalid_json' });
  });

  it('counts depth outside strings only, escapes included', () => {
    expect(jsonDepth('{"a":"[[[[\\"{{"}')).toBe(1);
    expect(jsonDepth('[[{"a":[1]}]]')).toBe(4);
  });

  it('returns the body cleaned', () => {
    expect(parseInboundJson('{"text":"Slade\\u0000 Road \\ud800"}')).toEqual({ ok: true, value: { text: 'Slade Road \uFFFD' } });
  });
});
