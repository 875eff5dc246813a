import type { ServiceId } from '../shared/ids.js';
import type { ServiceClaim } from '../catalogue/catalogue.js';
import { lookupPhrase, type Lexicon, type Phrase } from './lexicon.js';

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
  const hits: Hit[] = [];
  const scan = (re: RegExp, caseSensitive: boolean) => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      const before = text.slice(Math.max(0, m.index - 24), m.index);
      const negated = NEGATION.test(before);
      for (const phrase of lookupPhrase(lex, m[0], caseSensitive)) hits.push({ phrase, index: m.index, negated });
    }
  };
  scan(lex.phraseRe, false);
  if (lex.caseSensitiveRe) scan(lex.caseSensitiveRe, true);
  return hits;
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
  const matches = (w: string, text: string) => {
    const t = text.toLowerCase().replace(/\*$/, '');
    return w.endsWith('*') ? t.startsWith(w.slice(0, -1).toLowerCase()) : t === w.toLowerCase();
  };
  return claims.filter((c) => hits.some((h) => h.phrase.serviceId === c.serviceId && !h.negated && c.when.some((w) => matches(w, h.phrase.text))));
}

/** Moves the evidence of claimed services to the claiming one ("estate grass" is housing's). */
export function applyClaims(hits: Hit[], claims: ServiceClaim[]): Hit[] {
  if (!claims.length) return hits;
  return hits.map((h) => {
    const claim = claims.find((c) => c.from.includes(h.phrase.serviceId));
    return claim ? { ...h, phrase: { ...h.phrase, serviceId: claim.serviceId, explicit: false } } : h;
  });
}
