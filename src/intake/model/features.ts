import type { Catalogue } from '../../catalogue/catalogue.js';
import { compileLexicon, type Lexicon } from '../lexicon.js';
import { maskPlaces } from '../location.js';
import { normaliseText } from '../normalise.js';
import { activeClaims, applyClaims, findHits, type Hit } from '../service-classifier.js';
import { WHOLE } from './softmax-regression.js';
import { CHATTER, PROBLEM, REQUEST, SOCIAL, UNSURE, VAGUE } from '../signals.js';

/**
 * Features of a message for the intake model, hashed into 2^20 buckets (FNV-1a): word uni- and
 * bigrams, lexicon hits per service (the catalogue's vocabulary and claims, whose stems and
 * spellings cover misspellings: named, described, negated), the cue signals and the kind of
 * channel (left out when unknown, as for the catalogue's own examples). The sender's role and the
 * platform are not features: the corpus ties them to its authors, not to what a message means, and
 * learning them made the same words read differently in Slack and in Teams. (Character 4-grams were tried and dropped: on
 * cross-validation they added misroutes and no exact matches.) The same function serves training and
 * parsing, so the shipped examples and a council's corrections are comparable.
 */
export const FEATURE_BITS = 20;
const MASK = (1 << FEATURE_BITS) - 1;

export interface FeatureMeta {
  /** null: a direct message; undefined: not known (no channel feature). */
  channelName?: string | null;
  role?: string | null;
  platform?: string | null;
}

/** FNV-1a, 32 bits, over UTF-16 code units: stable across runs and platforms. */
export function hashFeature(s: string): number {
  return (fnv(0x811c9dc5, s) >>> 0) & MASK;
}

function fnv(seed: number, s: string): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** hashFeature(a + b + c + d) without building the string. */
function hashJoined(a: string, b: string, c = '', d = ''): number {
  return (fnv(fnv(fnv(fnv(0x811c9dc5, a), b), c), d) >>> 0) & MASK;
}

/**
 * What kind of channel a message came from: an escalations or casework channel, a ward's, or
 * chit-chat. A direct message to wardline is addressed to it as a casework channel is, and counts
 * as one: the labelled corpus holds no direct messages, so a kind of its own would be learned
 * from nothing.
 */
export function channelKind(name: string | null | undefined): string {
  const n = (name ?? '').toLowerCase();
  if (!n) return 'casework';
  if (/escalat|wardline|casework|case-work|issues|reports?\b/.test(n)) return 'casework';
  if (/random|general|off-?topic|announce|social|chat|news/.test(n)) return 'general';
  if (/ward|cllrs|members|councillors/.test(n)) return 'ward';
  return 'other';
}

const WORD = /[a-z0-9£']+/g;
const DIGIT = /\d/;
const MAX_WORDS = 600;

function words(text: string): string[] {
  const lower = text.toLowerCase().replace(/[’‘]/g, "'").replace(/-/g, '');
  const out: string[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(lower); m && out.length < MAX_WORDS; m = WORD.exec(lower)) {
    let w = m[0];
    if (w.includes("'")) w = w.replace(/^'+|'+$/g, '');
    if (DIGIT.test(w)) w = w.replace(/\d/g, '0');
    if (w) out.push(w);
  }
  return out;
}

/** The catalogue's phrases found in the text (street names masked, claims applied), by position. */
export function lexiconHits(text: string, lex: Lexicon): Hit[] {
  const raw = findHits(maskPlaces(text), lex);
  return applyClaims(raw, activeClaims(raw, lex.catalogue.claims ?? []));
}

function hitFeature(h: Hit): string {
  const s = h.phrase.serviceId;
  if (h.negated) return `lxn:${s}`;
  if (h.phrase.explicit) return `lxe:${s}`;
  return h.phrase.weight >= 2 ? `lxt:${s}` : `lxw:${s}`;
}

/**
 * The text the word features read: street names blanked and ward or area names one token, so the
 * model learns what is wrong, not which streets the corpus's authors wrote about.
 */
function wordText(text: string, lex: Lexicon | null): string {
  if (!lex) return text;
  return maskPlaces(text).replace(lex.placeRe, ' zplace ');
}

/** Features every message has one of count fully (WHOLE), whatever its length. */
const wholeFeature = (f: string) => hashFeature(f) | WHOLE;

function build(text: string, meta: FeatureMeta, hits: Hit[], lex: Lexicon | null): number[] {
  const out: number[] = [];
  const ws = words(wordText(text, lex));
  out.push(wholeFeature('bias'));
  for (let i = 0; i < ws.length; i++) {
    out.push(hashJoined('w:', ws[i]!));
    if (i + 1 < ws.length) out.push(hashJoined('b:', ws[i]!, ' ', ws[i + 1]));
  }
  for (const h of hits) out.push(hashFeature(hitFeature(h)));
  for (const [name, re] of SIGNALS) if (re.test(text)) out.push(wholeFeature(`sig:${name}`));
  if (text.includes('?')) out.push(wholeFeature('sig:question'));
  out.push(wholeFeature(`len:${Math.min(7, Math.floor(Math.log2(ws.length + 1)))}`));
  if (meta.channelName !== undefined) out.push(wholeFeature(`ch:${channelKind(meta.channelName)}`));
  // Buckets are below 2^21: a typed array sorts them numerically without a comparator.
  const sorted = Uint32Array.from(out).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out[n++] = sorted[i]!;
  out.length = n;
  return out;
}

/** The hashed features of already normalised text (a whole message or one part of it). */
export function featuresOfText(text: string, meta: FeatureMeta, catalogue: Catalogue): number[] {
  const lex = compileLexicon(catalogue);
  return build(text, meta, lexiconHits(text, lex), lex);
}

const SIGNALS: [string, RegExp][] = [['request', REQUEST], ['chatter', CHATTER], ['social', SOCIAL], ['unsure', UNSURE], ['vague', VAGUE], ['problem', PROBLEM]];

/** The features of one message as the platform delivered it, with its channel and sender. */
export function extractFeatures(message: { text: unknown; platform?: string | null }, ctx: { sender: { role?: string | null }; channelName?: string | null; catalogue: Catalogue }): number[] {
  return featuresOfText(normaliseText(message.text), { channelName: ctx.channelName ?? null, role: ctx.sender.role ?? null, platform: message.platform ?? null }, ctx.catalogue);
}

/** The features of normalised text whose lexicon hits are already known. */
export function featuresOfHits(text: string, meta: FeatureMeta, hits: Hit[], catalogue: Catalogue): number[] {
  return build(text, meta, hits, compileLexicon(catalogue));
}
