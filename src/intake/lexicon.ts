import type { Catalogue } from '../catalogue/catalogue.js';
import type { ServiceId, WardId } from '../shared/ids.js';
import { compileAlternation, type AlternationMatcher } from './phrase-matcher.js';

/** One vocabulary phrase: '=' a name for the service, plain a topic, '~' a weak hint. */
export interface Phrase {
  serviceId: ServiceId;
  text: string;
  weight: number;
  explicit: boolean;
  topic: string | null;
}

export interface PlaceName {
  name: string;
  wardId: WardId | null;
}

/** Everything the parser matches with, compiled once per catalogue. */
export interface Lexicon {
  catalogue: Catalogue;
  /** The phrases (but acronyms), case-insensitive; `phrases.regex` is the same as one RegExp. */
  phrases: AlternationMatcher;
  /** Acronyms ("ASB", "EHO*"), case-sensitive. */
  acronyms: AlternationMatcher | null;
  exact: Map<string, Phrase[]>;
  stems: { stem: string; phrases: Phrase[] }[];
  /** Ward names, aliases and areas; `placeNames.regex` is the same as one global RegExp. */
  placeNames: AlternationMatcher;
  placeRe: RegExp;
  places: Map<string, PlaceName>;
  wardIds: Set<string>;
  serviceIds: Set<string>;
  districtNames: Set<string>;
}

const cache = new WeakMap<Catalogue, Lexicon>();
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Spaces, hyphens and apostrophes vary in how people type place and topic names. */
const flexible = (s: string) => escape(s).replace(/\\-|\s+/g, '[\\s\\-]*').replace(/'/g, "[''’]?");
/** A phrase ends at a word's end; a possessive ("Amey's list") still counts. */
export const PHRASE_END = "(?=$|[^\\w'’]|['’]s\\b)";
const isAcronym = (s: string) => /^[A-Z]{2,4}\*?$/.test(s);

function parsePhrase(serviceId: ServiceId, raw: string): Phrase {
  const explicit = raw.startsWith('=');
  const weak = raw.startsWith('~');
  const text = raw.replace(/^[=~]/, '');
  return { serviceId, text, weight: explicit ? 3 : weak ? 1 : 2, explicit, topic: explicit || weak ? null : text.replace(/\*$/, '') };
}

function phrasesOf(catalogue: Catalogue): Phrase[] {
  const out: Phrase[] = [];
  for (const s of catalogue.services) {
    for (const raw of s.vocabulary) out.push(parsePhrase(s.id, raw));
    for (const c of s.covers) out.push({ serviceId: s.id, text: c, weight: 2, explicit: false, topic: c });
    out.push({ serviceId: s.id, text: s.name.replace(/\s*\(.*\)$/, ''), weight: 3, explicit: true, topic: null });
  }
  return out;
}

/** Phrases as RegExp alternatives, longest first: flexible spacing and apostrophes, `*` for any ending. */
export function phraseAlternatives(texts: string[]): string[] {
  return [...new Set(texts)].sort((a, b) => b.length - a.length).map((t) => (t.endsWith('*') ? `${flexible(t.slice(0, -1))}[\\w'’]*` : flexible(t)));
}

export function compileLexicon(catalogue: Catalogue): Lexicon {
  const cached = cache.get(catalogue);
  if (cached) return cached;
  const phrases = phrasesOf(catalogue);
  const exact = new Map<string, Phrase[]>();
  const stems: { stem: string; phrases: Phrase[] }[] = [];
  for (const p of phrases) {
    const key = isAcronym(p.text) ? p.text.replace(/\*$/, '') : p.text.toLowerCase().replace(/\*$/, '');
    if (p.text.endsWith('*')) {
      const found = stems.find((s) => s.stem === key);
      if (found) found.phrases.push(p);
      else stems.push({ stem: key, phrases: [p] });
    } else exact.set(key, [...(exact.get(key) ?? []), p]);
  }
  stems.sort((a, b) => b.stem.length - a.stem.length);
  const insensitive = phrases.filter((p) => !isAcronym(p.text)).map((p) => p.text);
  const sensitive = phrases.filter((p) => isAcronym(p.text)).map((p) => p.text);

  const places = new Map<string, PlaceName>();
  const addPlace = (name: string, wardId: WardId | null) => {
    const key = canonicalPlace(name);
    if (!places.has(key)) places.set(key, { name, wardId });
  };
  for (const w of catalogue.wards) {
    addPlace(w.name, w.id);
    if (w.name.includes('&')) addPlace(w.name.replace('&', 'and'), w.id);
  }
  for (const a of catalogue.aliases) addPlace(a.alias, a.wardId);
  for (const a of catalogue.ambiguousAreas) addPlace(a, null);
  const placeTexts = [...places.values()].map((p) => p.name.replace(/&/g, '(?:&|and)'));
  const placeAlts = [...new Set(placeTexts)].sort((a, b) => b.length - a.length)
    .map((t) => t.split('(?:&|and)').map(flexible).join('\\s*(?:&|and)\\s*'));
  const placeNames = compileAlternation(placeAlts, "(?![\\w'’])", true);

  const lex: Lexicon = {
    catalogue,
    phrases: compileAlternation(phraseAlternatives(insensitive), PHRASE_END, true),
    acronyms: sensitive.length ? compileAlternation(phraseAlternatives(sensitive), PHRASE_END, false) : null,
    exact, stems,
    placeNames,
    placeRe: placeNames.regex,
    places,
    wardIds: new Set(catalogue.wards.map((w) => w.id)),
    serviceIds: new Set(catalogue.services.map((s) => s.id)),
    districtNames: new Set(catalogue.districts.map((d) => canonicalPlace(d.name))),
  };
  cache.set(catalogue, lex);
  return lex;
}

const MAX_LOOKUPS = 20_000;
/** The same place names recur in every message: each is made canonical once, in a bounded memo. */
const canonicalPlaces = new Map<string, string>();

/** `King's Heath`, `kings-heath` and `Kings  Heath` are the same place. */
export function canonicalPlace(s: string): string {
  let found = canonicalPlaces.get(s);
  if (found === undefined) {
    if (canonicalPlaces.size >= MAX_LOOKUPS) canonicalPlaces.clear();
    found = s.toLowerCase().replace(/&/g, ' and ').replace(/['’]/g, '').replace(/[\s-]+/g, ' ').trim();
    canonicalPlaces.set(s, found);
  }
  return found;
}

export function canonicalPhrase(s: string): string {
  return s.toLowerCase().replace(/['’]/g, "'").replace(/[\s-]+/g, ' ').trim();
}

/** Matched texts recur (the same words in every message): each is looked up once, in a bounded memo (case-insensitive, case-sensitive). */
const lookups = new WeakMap<Lexicon, [Map<string, Phrase[]>, Map<string, Phrase[]>]>();

/** The phrases a matched text stands for (exact first, then the longest stem). */
export function lookupPhrase(lex: Lexicon, matched: string, caseSensitive: boolean): Phrase[] {
  let memos = lookups.get(lex);
  if (!memos) lookups.set(lex, (memos = [new Map(), new Map()]));
  const memo = memos[caseSensitive ? 1 : 0];
  let found = memo.get(matched);
  if (!found) {
    if (memo.size >= MAX_LOOKUPS) memo.clear();
    found = lookupUncached(lex, matched, caseSensitive);
    memo.set(matched, found);
  }
  return found;
}

function lookupUncached(lex: Lexicon, matched: string, caseSensitive: boolean): Phrase[] {
  const key = caseSensitive ? matched : matched.toLowerCase();
  const norm = caseSensitive ? key : canonicalPhrase(key);
  const direct = lex.exact.get(key) ?? lex.exact.get(norm) ?? findFlexible(lex, norm);
  if (direct) return direct;
  for (const s of lex.stems) {
    const stem = caseSensitive ? s.stem : canonicalPhrase(s.stem);
    if (norm.startsWith(stem)) return s.phrases;
  }
  return [];
}

const flexCache = new WeakMap<Lexicon, Map<string, Phrase[]>>();
function findFlexible(lex: Lexicon, norm: string): Phrase[] | undefined {
  let m = flexCache.get(lex);
  if (!m) {
    m = new Map();
    for (const [k, v] of lex.exact) m.set(canonicalPhrase(k), [...(m.get(canonicalPhrase(k)) ?? []), ...v]);
    flexCache.set(lex, m);
  }
  return m.get(norm);
}
