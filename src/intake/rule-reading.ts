import type { ServiceClaim } from '../catalogue/catalogue.js';
import type { ServiceId, WardId } from '../shared/ids.js';
import { compileLexicon, type Lexicon } from './lexicon.js';
import { findLocation, maskPlaces } from './location.js';
import { normaliseText } from './normalise.js';
import type { ParseContext, ParseResult } from './parse-message.js';
import { activeClaims, applyClaims, findHits, scoreServices, type Hit, type ServiceScore } from './service-classifier.js';
import { CHATTER, PROBLEM, REQUEST, SOCIAL, UNSURE, VAGUE } from './signals.js';
import { isUrgent } from './urgency.js';
import { findWard } from './ward-finder.js';

const SEGMENT = /\n|;|\s[-–•*]\s(?=[A-Z])|(?<=[.!?])\s+(?=[A-Z])|,?\s+(?:also|plus|AND|and also|and while you'?re at it|while you'?re at it|separately)\s+/;

function summarise(text: string): string {
  const first = text.split(/(?<=[.!?])\s|\n/)[0] ?? text;
  return (first.length > 140 ? `${first.slice(0, 137)}…` : first).trim();
}

/** A service named as the one to act, not offered as one of alternatives ("refuse or housing"). */
function requested(hits: Hit[], serviceId: string, text: string): boolean {
  return hits.some((h) => h.phrase.serviceId === serviceId && h.phrase.explicit && !h.negated
    && !/\bor\s*$/i.test(text.slice(Math.max(0, h.index - 8), h.index))
    && !/^\s*[\w\s]{0,12}\bor\b/i.test(text.slice(h.index + h.phrase.text.length, h.index + h.phrase.text.length + 16)));
}

interface Problem { serviceId: ServiceId; segment: string }

/** Parts of the message that each clearly describe one service's problem. */
function segmentProblems(text: string, lex: Lexicon, claims: ServiceClaim[]): Problem[] {
  const out: Problem[] = [];
  for (const seg of text.split(SEGMENT)) {
    if (!seg || seg.trim().length < 4) continue;
    const [a, b] = scoreServices(applyClaims(findHits(maskPlaces(seg), lex), claims)).filter((x) => x.score > 0);
    if (a && a.score >= 2 && (a.topicScore >= 2 || a.explicit) && a.score - (b?.score ?? 0) >= 2) out.push({ serviceId: a.serviceId, segment: seg });
  }
  return out;
}

function chooseServices(text: string, lex: Lexicon, hits: Hit[], scores: ServiceScore[], claims: ServiceClaim[]): { chosen: { score: ServiceScore; segment: string }[]; unsure: boolean } {
  const [top, second] = scores;
  if (!top) return { chosen: [], unsure: true };
  const doubt = UNSURE.test(text) && !!second && second.score >= top.score * 0.6;
  const problems = doubt ? [] : segmentProblems(text, lex, claims);
  // A service a part reads as its own may score nothing in the whole message (a claim or a
  // negation elsewhere takes its words): only services the whole message supports count.
  const distinct = [...new Set(problems.map((p) => p.serviceId))].flatMap((id) => scores.filter((x) => x.serviceId === id));
  if (distinct.length >= 2) {
    // Several problems, each in its own part of the message: one case each.
    return {
      unsure: false,
      chosen: distinct.slice(0, 4).map((score) => ({ score, segment: problems.filter((p) => p.serviceId === score.serviceId).map((p) => p.segment).join(' ') })),
    };
  }
  const margin = top.score - (second?.score ?? 0);
  const evidence = top.topicScore >= 2 || (top.explicit && top.score >= 3);
  const weakRival = !second || (second.topicScore === 0 && !second.explicit);
  const confident = !doubt && evidence && (margin >= 2 || ((weakRival || requested(hits, top.serviceId, text)) && margin >= 1));
  if (!confident) return { chosen: [], unsure: true };
  const chosen = [{ score: top, segment: text }];
  // Teams named together as the ones to act: "Housing & ASB please".
  for (const s of scores.slice(1)) if (requested(hits, s.serviceId, text) && s.score >= 3) chosen.push({ score: s, segment: text });
  return { chosen: chosen.slice(0, 4), unsure: false };
}

function candidatesOf(scores: ServiceScore[], wards: WardId[], lex: Lexicon): ParseResult['candidates'] {
  const name = (id: string) => lex.catalogue.services.find((s) => s.id === id)?.name ?? id;
  const wardName = (id: string) => lex.catalogue.wards.find((w) => w.id === id)?.name ?? id;
  return {
    services: scores.filter((s) => s.score > 0).slice(0, 3).map((s) => ({ id: s.serviceId, name: name(s.serviceId) })),
    wards: wards.slice(0, 3).map((w) => ({ id: w, name: wardName(w) })),
  };
}

const EMPTY: ParseResult = { kind: 'chatter', cases: [], missing: [], candidates: { services: [], wards: [] }, draft: null };

/**
 * The hand-written rules that read messages before the trained model: the catalogue's phrases
 * scored per service, with signal words for chatter and requests. The model decides; these rules
 * are a second opinion (see parse-message.ts).
 */
export function parseByRules(message: { text: unknown; platform?: string | null }, ctx: ParseContext): ParseResult {
  const lex = compileLexicon(ctx.catalogue);
  const text = normaliseText(message.text);
  if (!text) return EMPTY;
  const rawHits = findHits(maskPlaces(text), lex);
  const claims = activeClaims(rawHits, ctx.catalogue.claims ?? []);
  const hits = applyClaims(rawHits, claims);
  const scores = scoreServices(hits).filter((s) => s.score > 0);
  const request = REQUEST.test(text);
  const topTopic = scores[0]?.topicScore ?? 0;
  if (SOCIAL.test(text) && topTopic < 4) return EMPTY;
  if (CHATTER.test(text) && !(request && topTopic >= 2) && topTopic < 6) return EMPTY;
  const vague = VAGUE.test(text);
  if (!scores.length || (scores[0]!.score < 2 && !request)) {
    if (!(request || vague || PROBLEM.test(text))) return EMPTY;
  }
  const ward = findWard(text, ctx.channelName ?? '', ctx.sender.wards ?? [], lex, ctx.streets);
  const { chosen, unsure } = vague && topTopic < 2 ? { chosen: [], unsure: true } : chooseServices(text, lex, hits, scores, claims);
  const missing: ('ward' | 'service')[] = [];
  if (ward.kind === 'missing') missing.push('ward');
  if (unsure) missing.push('service');
  const wardId = ward.kind === 'found' ? ward.wardId : null;
  const summary = summarise(text);
  if (missing.length || !wardId) {
    const top = chosen[0]?.score.serviceId ?? null;
    return {
      kind: 'clarify', cases: [], missing,
      candidates: candidatesOf(scores, ward.kind === 'missing' ? ward.candidates : [wardId!], lex),
      draft: { ward: wardId, service: top, urgent: isUrgent(text), location: findLocation(text, text, lex), summary },
    };
  }
  const top = scores[0]!.score;
  return {
    kind: 'escalation', missing: [], draft: null,
    candidates: candidatesOf(scores, [wardId], lex),
    cases: chosen.map(({ score, segment }) => ({
      ward: wardId, service: score.serviceId, topic: score.topic, urgent: isUrgent(chosen.length > 1 ? segment : text),
      location: findLocation(segment, text, lex), summary: chosen.length > 1 ? summarise(segment) : summary,
      confidence: Math.min(1, Math.round((score.score / (top + (scores[1]?.score ?? 0) + 1)) * 100) / 100 + 0.3),
    })),
  };
}
