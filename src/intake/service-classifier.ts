import type { ServiceId } from '../shared/ids.js';
import type { ServiceClaim } from '../catalogue/catalogue.js';
import { lookupPhrase, type Lexicon, type Phrase } from './lexicon.js';
import { allMatches, type Match } from './phrase-matcher.js';

export interface Hit {
  phrase: Phrase;
  index: number;
  negated: boolean;
}

export interface ServiceScore {
  serviceId: ServiceId;
  score: number;
  /** Named as the team to act ("parks please"), not just described. */
  explicit: boolean;
  /** Evidence from describing the problem (weight 2 phrases). */
  topicScore: number;
  topic: string | null;
  firstIndex: number;
}

const NEGATION = /\b(?:not|isn'?t|is not|nothing to do with|rather than|instead of)\s+(?:a |an |the |really |just )?$/i;

/** Every vocabulary phrase in the text, longest first, each service's phrase counted once per span. */
export function findHits(text: string, lex: Lexicon): Hit[] {
  return hitsOfMatches(text, lex, allMatches(lex.phrases, text), lex.acronyms ? allMatches(lex.acronyms, text) : []);
}

/** The hits of the phrases and acronyms already matched in the text (as findHits finds them). */
export function hitsOfMatches(text: string, lex: Lexicon, phrases: Match[], acronyms: Match[]): Hit[] {
  const hits: Hit[] = [];
  addHits(hits, text, lex, phrases, false);
  addHits(hits, text, lex, acronyms, true);
  return hits;
}

function addHits(hits: Hit[], text: string, lex: Lexicon, matches: Match[], caseSensitive: boolean): void {
  for (const m of matches) {
    if (m.text.length === 0) continue;
    const negated = NEGATION.test(text.slice(Math.max(0, m.index - 24), m.index));
    for (const phrase of lookupPhrase(lex, m.text, caseSensitive)) hits.push({ phrase, index: m.index, negated });
  }
}

/** Adds the hits up per service; negated hits count against their service. */
export function scoreServices(hits: Hit[]): ServiceScore[] {
  const by = new Map<string, ServiceScore>();
  for (const h of hits) {
    const s = by.get(h.phrase.serviceId) ?? { serviceId: h.phrase.serviceId, score: 0, explicit: false, topicScore: 0, topic: null, firstIndex: h.index };
    const sign = h.negated ? -1 : 1;
    s.score += sign * h.phrase.weight;
    if (!h.negated && h.phrase.explicit) s.explicit = true;
    if (!h.negated && !h.phrase.explicit && h.phrase.weight >= 2) {
      s.topicScore += h.phrase.weight;
      s.topic ??= h.phrase.topic;
    }
    s.firstIndex = Math.min(s.firstIndex, h.index);
    by.set(h.phrase.serviceId, s);
  }
  return [...by.values()].sort((a, b) => b.score - a.score || a.firstIndex - b.firstIndex);
}

/** The claims whose `when` phrases the message holds. */
export function activeClaims(hits: Hit[], claims: ServiceClaim[]): ServiceClaim[] {
  if (!claims.length || !hits.length) return [];
  return claims.filter((c) => hits.some((h) => h.phrase.serviceId === c.serviceId && !h.negated && claimedBy(c, h.phrase)));
}

/** Whether one of a claim's `when` phrases is this phrase: asked of the same few phrases in every message, so remembered. */
const claimed = new WeakMap<ServiceClaim, Map<string, boolean>>();
function claimedBy(c: ServiceClaim, phrase: Phrase): boolean {
  let byText = claimed.get(c);
  if (!byText) claimed.set(c, (byText = new Map()));
  let found = byText.get(phrase.text);
  if (found === undefined) {
    const t = phrase.text.toLowerCase().replace(/\*$/, '');
    found = c.when.some((w) => (w.endsWith('*') ? t.startsWith(w.slice(0, -1).toLowerCase()) : t === w.toLowerCase()));
    byText.set(phrase.text, found);
  }
  return found;
}

/** Moves the evidence of claimed services to the claiming one ("estate grass" is housing's). */
export function applyClaims(hits: Hit[], claims: ServiceClaim[]): Hit[] {
  if (!claims.length) return hits;
  return hits.map((h) => {
    const claim = claims.find((c) => c.from.includes(h.phrase.serviceId));
    return claim ? { ...h, phrase: { ...h.phrase, serviceId: claim.serviceId, explicit: false } } : h;
  });
}
