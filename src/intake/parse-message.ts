import type { Catalogue } from '../catalogue/catalogue.js';
import type { ServiceId, WardId } from '../shared/ids.js';
import { compileLexicon, type Lexicon } from './lexicon.js';
import { findLocation } from './location.js';
import { loadShippedModel, type IntakeModel } from './model/intake-model.js';
import { decideServices, readMessage, settle, type Reading, type ServiceChoice, type ServiceDecision, type Settled } from './model/read-message.js';
import { parseByRules } from './rule-reading.js';
import { normaliseText } from './normalise.js';
import type { Segment } from './segment.js';
import type { Hit } from './service-classifier.js';
import type { StreetGazetteer } from './street-gazetteer.js';
import { isUrgent } from './urgency.js';
import { findWard, type WardFinding } from './ward-finder.js';

export interface ParseContext {
  sender: { role?: string | null; wards: string[] };
  channelName?: string | null;
  /**
   * Put to wardline itself (a mention): read as a direct message is, whatever channel it is in.
   * The corpus's general channels hold only chatter between people, which says nothing of a
   * message that calls on wardline there. The channel still names the ward where it is a ward's.
   */
  addressed?: boolean;
  /** The person asked for a case in so many words (/escalate): a problem, never chatter. */
  problem?: boolean;
  catalogue: Catalogue;
  /** The intake model; the shipped one when not given (tests and retraining pass their own). */
  model?: IntakeModel;
  /** The council's street gazetteer, when it has loaded one. */
  streets?: StreetGazetteer;
}

export interface ParsedCase {
  ward: WardId;
  service: ServiceId;
  topic: string | null;
  urgent: boolean;
  location: string | null;
  summary: string;
  /** The model's probability that the service is right (calibrated on cross-validation). */
  confidence: number;
}

export interface ParseResult {
  kind: 'escalation' | 'chatter' | 'clarify';
  cases: ParsedCase[];
  missing: ('ward' | 'service')[];
  /** What to offer as buttons when asking: the best services and wards. */
  candidates: { services: { id: ServiceId; name: string }[]; wards: { id: WardId; name: string }[] };
  /** For clarify: what was understood so far, kept with the draft. */
  draft: { ward: WardId | null; service: ServiceId | null; urgent: boolean; location: string | null; summary: string } | null;
  /** Set when the message could not be read at all: it is kept as a clarify draft, never lost. */
  unreadable?: true;
}

function summarise(text: string): string {
  const first = text.split(/(?<=[.!?])\s|\n/)[0] ?? text;
  return (first.length > 140 ? `${first.slice(0, 137)}…` : first).trim();
}

const EMPTY: ParseResult = { kind: 'chatter', cases: [], missing: [], candidates: { services: [], wards: [] }, draft: null };
const known = new WeakMap<Catalogue, Set<string>>();
const serviceIds = (c: Catalogue) => known.get(c) ?? known.set(c, new Set(c.services.map((s) => s.id))).get(c)!;

function candidatesOf(d: ServiceDecision, ward: WardFinding, lex: Lexicon): ParseResult['candidates'] {
  const name = (id: string) => lex.catalogue.services.find((s) => s.id === id)?.name ?? id;
  const wardName = (id: string) => lex.catalogue.wards.find((w) => w.id === id)?.name ?? id;
  const wards = ward.kind === 'found' ? [ward.wardId] : ward.candidates;
  return {
    services: d.ranked.slice(0, 3).map((s) => ({ id: s.serviceId as ServiceId, name: name(s.serviceId) })),
    wards: wards.slice(0, 3).map((w) => ({ id: w, name: wardName(w) })),
  };
}

/** The first phrase of the catalogue's vocabulary that describes the service's problem ("fly-tipping"). */
function topicOf(hits: Hit[], serviceId: string, parts: Segment[]): string | null {
  const inside = (h: Hit) => !parts.length || parts.some((p) => h.index >= p.start && h.index < p.start + p.text.length);
  return hits.filter((h) => h.phrase.serviceId === serviceId && !h.negated && h.phrase.topic && inside(h)).sort((a, b) => a.index - b.index)[0]?.phrase.topic ?? null;
}

function caseOf(c: ServiceChoice, wardId: WardId, text: string, several: boolean, reading: Reading, lex: Lexicon): ParsedCase {
  const parts = several ? c.parts : [];
  const own = parts.length ? parts.map((p) => p.text).join(' ') : text;
  return {
    ward: wardId, service: c.serviceId as ServiceId, topic: topicOf(reading.hits, c.serviceId, parts), urgent: isUrgent(own),
    location: findLocation(own, text, lex), summary: summarise(own), confidence: Math.round(c.confidence * 1000) / 1000,
  };
}

/**
 * When the model is unsure of the service but its likeliest one is the one the hand-written rules
 * open a single case for, two different readings agree: the service is settled (cross-validation
 * measures this as part of the parser). Otherwise the model's question stands.
 */
function rulesAgree(d: ServiceDecision, text: string, message: { platform?: string | null }, ctx: ParseContext): boolean {
  const top = d.ranked[0];
  if (!top) return false;
  const rules = parseByRules({ text, platform: message.platform ?? null }, ctx);
  const ruleService = rules.kind === 'escalation' && rules.cases.length === 1 ? rules.cases[0]!.service
    : rules.kind === 'clarify' && rules.missing.every((m) => m === 'ward') ? rules.draft?.service ?? null : null;
  return ruleService === top.serviceId;
}

/** The model's likeliest service, settled because the rules agree: a case, or a question about the ward alone. */
function settledOnTop(d: ServiceDecision, missing: ('ward' | 'service')[]): Settled {
  const top = d.ranked[0]!;
  const chosen = [{ serviceId: top.serviceId, confidence: top.p, parts: [] }];
  return missing.length ? { kind: 'clarify', chosen, missing } : { kind: 'escalation', chosen, missing };
}

function secondOpinion(s: Settled, d: ServiceDecision, text: string, message: { platform?: string | null }, ctx: ParseContext): Settled {
  if (s.kind !== 'clarify' || !s.missing.includes('service') || s.chosen.length || !rulesAgree(d, text, message, ctx)) return s;
  return settledOnTop(d, s.missing.filter((m) => m !== 'service'));
}

function parseText(text: string, message: { platform?: string | null }, ctx: ParseContext): ParseResult {
  const lex = compileLexicon(ctx.catalogue);
  const model = ctx.model ?? loadShippedModel();
  const reading = readMessage(text, { channelName: ctx.addressed ? null : ctx.channelName ?? null, role: ctx.sender.role ?? null, platform: message.platform ?? null }, ctx.catalogue, model);
  const decision = decideServices(reading, ctx.problem ? { ...model.thresholds, chatter: Infinity } : model.thresholds, serviceIds(ctx.catalogue));
  // Chatter is the model's call alone: overruling it where the rules saw a problem opened cases for
  // chatter and found no more problems (bench/intake-eval measured the trade on cross-validation).
  if (decision.kind === 'chatter') return EMPTY;
  const ward = findWard(text, ctx.channelName ?? '', ctx.sender.wards ?? [], lex, ctx.streets);
  const settled = secondOpinion(settle(decision, ward.kind === 'found'), decision, text, message, ctx);
  const candidates = candidatesOf(decision, ward, lex);
  const wardId = ward.kind === 'found' ? ward.wardId : null;
  if (settled.kind === 'clarify' || !wardId) {
    const top = settled.chosen[0]?.serviceId ?? null;
    return {
      kind: 'clarify', cases: [], missing: settled.missing, candidates,
      draft: { ward: wardId, service: top as ServiceId | null, urgent: isUrgent(text), location: findLocation(text, text, lex), summary: summarise(text) },
    };
  }
  const several = settled.chosen.length > 1;
  return { kind: 'escalation', missing: [], draft: null, candidates, cases: settled.chosen.map((c) => caseOf(c, wardId, text, several, reading, lex)) };
}

/**
 * Reads one message: an escalation (one case per problem), chatter, or a question to ask. The
 * intake model decides kind and service (per part of the message); the ward comes from names,
 * the channel and the sender. Never throws: a message that cannot be read comes back as a
 * question with `unreadable`, so it is kept rather than lost.
 */
export function parseMessage(message: { text: unknown; platform?: string | null }, ctx: ParseContext): ParseResult {
  let text = '';
  try {
    text = normaliseText(message.text);
    if (!text) return EMPTY;
    return parseText(text, message, ctx);
  } catch {
    return {
      kind: 'clarify', cases: [], missing: ['service'], candidates: { services: [], wards: [] }, unreadable: true,
      draft: { ward: null, service: null, urgent: false, location: null, summary: summarise(text || (typeof message.text === 'string' ? message.text.slice(0, 140) : '')) },
    };
  }
}
