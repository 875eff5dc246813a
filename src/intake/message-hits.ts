import type { Lexicon } from './lexicon.js';
import { maskPlaces } from './location.js';
import { allMatches, type Match } from './phrase-matcher.js';
import { activeClaims, applyClaims, hitsOfMatches, type Hit } from './service-classifier.js';

/**
 * The catalogue's phrases in a message, found once and then read per part. The model reads the
 * whole message and each of its parts; a part's phrases are the whole message's phrases that lie
 * inside it, unless something at the part's edges could make them differ (a phrase or a street
 * running across an edge, a word running on), and then the part is read afresh. Either way the
 * hits are the ones `lexiconHits(part)` finds.
 */
export interface MessageScan {
  text: string;
  /** The text with street names blanked (maskPlaces). */
  masked: string;
  phrases: Match[];
  acronyms: Match[];
  /** The whole message's hits, claims applied. */
  hits: Hit[];
}

/** Street names masked, phrases found, claims applied: what the intake model's lexicon features read. */
export function scanMessage(text: string, lex: Lexicon): MessageScan {
  const masked = maskPlaces(text);
  const phrases = allMatches(lex.phrases, masked);
  const acronyms = lex.acronyms ? allMatches(lex.acronyms, masked) : [];
  return { text, masked, phrases, acronyms, hits: claimed(hitsOfMatches(masked, lex, phrases, acronyms), lex) };
}

function claimed(raw: Hit[], lex: Lexicon): Hit[] {
  return applyClaims(raw, activeClaims(raw, lex.catalogue.claims ?? []));
}

const isWordOrApostrophe = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 39 || c === 0x2019;

/** The matches inside [start, end), from the part's start; null when one runs across an edge. */
function inside(matches: Match[], start: number, end: number): Match[] | null {
  const out: Match[] = [];
  for (const m of matches) {
    const stop = m.index + m.text.length;
    if ((m.index < start && stop > start) || (m.index < end && stop > end)) return null;
    if (m.index >= start && m.index < end) out.push({ index: m.index - start, text: m.text });
  }
  return out;
}

/** The hits of one part of the scanned message (`start`: where it lies in the message), as if the part were read alone. */
export function partHits(scan: MessageScan, lex: Lexicon, part: { text: string; start: number }): Hit[] {
  const start = part.start;
  const end = start + part.text.length;
  const masked = maskPlaces(part.text);
  const { masked: whole } = scan;
  const sameText = scan.text.startsWith(part.text, start) && whole.startsWith(masked, start);
  // A phrase is matched at a word's start and up to a word's end: where the characters just
  // outside the part are neither letters nor apostrophes, the part's edges are the message's.
  const edges = sameText && (start === 0 || !isWordOrApostrophe(whole.charCodeAt(start - 1))) && (end >= whole.length || !isWordOrApostrophe(whole.charCodeAt(end)));
  const phrases = edges ? inside(scan.phrases, start, end) : null;
  const acronyms = phrases ? inside(scan.acronyms, start, end) : null;
  if (phrases && acronyms) return claimed(hitsOfMatches(masked, lex, phrases, acronyms), lex);
  return claimed(hitsOfMatches(masked, lex, allMatches(lex.phrases, masked), lex.acronyms ? allMatches(lex.acronyms, masked) : []), lex);
}
