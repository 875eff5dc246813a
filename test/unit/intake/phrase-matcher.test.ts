import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalogue } from '../../../src/catalogue/default-catalogue.js';
import { compileLexicon, phraseAlternatives, PHRASE_END } from '../../../src/intake/lexicon.js';
import { partHits, scanMessage } from '../../../src/intake/message-hits.js';
import { lexiconHits } from '../../../src/intake/model/features.js';
import { normaliseText } from '../../../src/intake/normalise.js';
import { allMatches, compileAlternation, leadingLiteral, type AlternationMatcher } from '../../../src/intake/phrase-matcher.js';
import { segmentMessage } from '../../../src/intake/segment.js';

const catalogue = loadDefaultCatalogue();
const lex = compileLexicon(catalogue);

/** What one global RegExp finds, looped as the parser used to loop it: the behaviour the matcher must keep. */
function regexMatches(re: RegExp, text: string): { index: number; text: string }[] {
  const out: { index: number; text: string }[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ index: m.index, text: m[0] });
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** The same alternation, always dispatched through the trie (however few its alternatives). */
const dispatched = (m: AlternationMatcher, after: string, ignoreCase: boolean) => compileAlternation([...m.alternatives], after, ignoreCase, 0);
const PLACE_END = "(?![\\w'’])";

// The catalogue's own words, as people mistype them: odd spacing, hyphens, apostrophes, case, endings.
const vocab = catalogue.services.flatMap((s) => [...s.vocabulary, ...s.covers, s.name]).map((v) => v.replace(/^[=~]/, ''));
const places = [...catalogue.wards.map((w) => w.name), ...catalogue.aliases.map((a) => a.alias), ...catalogue.ambiguousAreas];
const respell = (t: string, sep: string, apos: string, kase: number, ending: string) => {
  const s = t.replace(/\*$/, ending).replace(/ /g, sep).replace(/'/g, apos).replace(/&/g, sep === '' ? 'and' : '&');
  return kase === 0 ? s : kase === 1 ? s.toLowerCase() : s.toUpperCase();
};
const spelled = (names: string[]) => fc.tuple(fc.constantFrom(...names), fc.constantFrom(' ', '', '-', '  ', ' - ', '\n', '\t', '\u00a0'),
  fc.constantFrom("'", '’', '‘', '', '`'), fc.integer({ min: 0, max: 2 }), fc.constantFrom('', 's', "'s", 'ing', '’s', 'x', '9'))
  .map(([t, sep, apos, kase, ending]) => respell(t, sep, apos, kase, ending));
const punct = fc.constantFrom(' ', ', ', '. ', '; ', ': ', '! ', '? ', ' – ', '—', '(', ')', '"', '“', '/', '+', '•', '*', '\n', "'", '’', '-', '_', '&', ' and ', 'not a ', "isn't ", 'Road ', ' Lane', ' St ', 'B23 6AB', '24/7');
const unicode = fc.constantFrom('é', 'ß', 'İ', 'ı', 'ſ', '\u212a', '😀', '\ud800', '\u200b', 'e\u0301', 'а', 'ｆｌｙ', '£', 'ﬁ', '\u0130stanbul');
const token = fc.oneof({ weight: 4, arbitrary: spelled(vocab) }, { weight: 3, arbitrary: spelled(places) }, { weight: 3, arbitrary: punct },
  { weight: 1, arbitrary: unicode }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
const message = (maxLength: number) => fc.array(token, { maxLength }).map((ts) => ts.join(''));

describe('the phrase matcher', () => {
  it('takes the leading characters every match must begin with, and stops where a character may vary', () => {
    expect(leadingLiteral("fly[\\s\\-]*tipping", true)).toEqual([...'FLY'].map((c) => c.charCodeAt(0)));
    expect(leadingLiteral("King[''’]?s", true)).toEqual([...'KING'].map((c) => c.charCodeAt(0)));
    expect(leadingLiteral('bins?', false)).toEqual([...'bin'].map((c) => c.charCodeAt(0)));
    expect(leadingLiteral('24\\/7\\*x', false)).toEqual([...'24/7*x'].map((c) => c.charCodeAt(0)));
    expect(leadingLiteral('café', true)).toEqual([...'CAF'].map((c) => c.charCodeAt(0)));
    expect(leadingLiteral('\\s*(?:&|and)', true)).toEqual([]);
  });

  it('finds what the one large RegExp finds, in catalogue words run together, respelled and mixed with Unicode', () => {
    const matchers = [
      { m: lex.phrases, forced: dispatched(lex.phrases, PHRASE_END, true) },
      { m: lex.acronyms!, forced: dispatched(lex.acronyms!, PHRASE_END, false) },
      { m: lex.placeNames, forced: dispatched(lex.placeNames, PLACE_END, true) },
    ];
    fc.assert(fc.property(message(40), (text) => {
      for (const { m, forced } of matchers) {
        const expected = regexMatches(m.regex, text);
        expect(allMatches(m, text)).toEqual(expected);
        expect(allMatches(forced, text)).toEqual(expected);
      }
    }), { numRuns: 400 });
  });

  it('agrees with the RegExp on overlapping made-up phrases (shared prefixes, stems, apostrophes, hyphens)', () => {
    const phrase = fc.array(fc.constantFrom('a', 'b', 'ab', 'ba', 'aa', ' ', "'", '-', '&', '.', '*'), { minLength: 1, maxLength: 6 })
      .map((p) => p.join('').trim()).filter((p) => /^[ab]/.test(p));
    const text = fc.array(fc.constantFrom('a', 'b', 'A', 'B', ' ', "'", '’', '-', '&', '.', 's', '*', 'ab', 'ba '), { maxLength: 60 }).map((t) => t.join(''));
    fc.assert(fc.property(fc.uniqueArray(phrase, { minLength: 1, maxLength: 12 }), text, fc.boolean(), (phrases, t, ignoreCase) => {
      const m = compileAlternation(phraseAlternatives(phrases), PHRASE_END, ignoreCase, 0);
      expect(allMatches(m, t)).toEqual(regexMatches(m.regex, t));
    }), { numRuns: 1000 });
  });

  it('agrees with the RegExp on any string at all, and on very long messages', () => {
    const forced = dispatched(lex.phrases, PHRASE_END, true);
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })), (text) => {
      expect(allMatches(forced, text)).toEqual(regexMatches(lex.phrases.regex, text));
    }), { numRuns: 300 });
    fc.assert(fc.property(message(3000), (text) => {
      expect(allMatches(lex.phrases, text)).toEqual(regexMatches(lex.phrases.regex, text));
      expect(allMatches(lex.placeNames, text)).toEqual(regexMatches(lex.placeNames.regex, text));
    }), { numRuns: 10 });
  });
});

describe('a message scanned once', () => {
  it('gives each part the hits the part has when read alone, and the whole message its own', () => {
    const joined = fc.array(fc.tuple(message(12), fc.constantFrom('; ', '. ', '\n', ' - ', ' also ', ' and the ', ', plus ', '\n• ', ' 2) ', '', ' ')), { maxLength: 6 })
      .map((ps) => ps.map(([p, sep]) => p + sep).join(''));
    fc.assert(fc.property(joined, (raw) => {
      const text = normaliseText(raw);
      const scan = scanMessage(text, lex);
      expect(scan.hits).toEqual(lexiconHits(text, lex));
      for (const part of segmentMessage(text)) expect(partHits(scan, lex, part)).toEqual(lexiconHits(part.text, lex));
    }), { numRuns: 400 });
  });

  it('reads a part afresh when a phrase or a street runs across its edge', () => {
    const text = 'Fly - tipping again on Moseley Road; Church Hill Road.';
    const scan = scanMessage(text, lex);
    for (const part of segmentMessage(text)) expect(partHits(scan, lex, part)).toEqual(lexiconHits(part.text, lex));
    expect(partHits(scan, lex, { text: 'tipping again', start: 6 })).toEqual(lexiconHits('tipping again', lex));
  });
});
