import type { WardId } from '../shared/ids.js';

/**
 * The council's street gazetteer: which wards each street (and postcode district) lies in. Pure;
 * built once from rows, then asked per message. A street or postcode district that lies in one
 * ward settles the ward; one that lies in several settles it when exactly one of them is the
 * sender's; otherwise the wards it lies in are candidates to offer.
 */
export interface StreetRow {
  street: string;
  wardId: string;
  postcodeDistrict?: string | null;
}

export interface PostcodeDistrictRow {
  district: string;
  wardId: string;
}

export type StreetFinding =
  | { kind: 'settled'; wardId: WardId; via: 'street' | 'postcode' }
  | { kind: 'candidates'; wardIds: WardId[] }
  | { kind: 'none' };

export interface StreetGazetteer {
  /** How many distinct street names the gazetteer knows. */
  readonly streets: number;
  find(text: string, senderWards: readonly string[]): StreetFinding;
}

/** The same word however it is written: "Rd" and "Road", "St" and "Street" (and "Saint"). */
const SAME_WORD: Record<string, string> = {
  road: 'rd', street: 'st', saint: 'st', avenue: 'ave', av: 'ave', lane: 'ln', drive: 'dr', close: 'cl', crescent: 'cres',
  gardens: 'gdns', grove: 'gr', place: 'pl', square: 'sq', terrace: 'tce', court: 'ct', parade: 'pde', mount: 'mt',
};

/** Words of a street name or a message, in one canonical spelling. */
export function streetWords(text: string): string[] {
  return text.toLowerCase().replace(/['’`]/g, '').replace(/&/g, ' and ').split(/[^a-z0-9]+/)
    .filter(Boolean).map((w) => SAME_WORD[w] ?? w);
}

/** "B23", "b23 6ab", "B1" → the district in capitals; anything else → null. */
export function postcodeDistrictOf(text: string): string | null {
  const m = /^\s*([A-Za-z]{1,2}\d[A-Za-z\d]?)(?:\s*\d[A-Za-z]{2})?\s*$/.exec(text);
  return m ? m[1]!.toUpperCase() : null;
}

const POSTCODE = /\b([A-Za-z]{1,2}\d[A-Za-z\d]?)(?:\s*\d[A-Za-z]{2})?\b/g;

interface Street {
  words: string[];
  wards: Set<string>;
  byPostcode: Map<string, Set<string>>;
}

const addTo = <K, V>(map: Map<K, Set<V>>, key: K, value: V) => {
  const set = map.get(key) ?? new Set<V>();
  set.add(value);
  map.set(key, set);
};

export function buildStreetGazetteer(rows: readonly StreetRow[], districts: readonly PostcodeDistrictRow[] = []): StreetGazetteer {
  const streets = new Map<string, Street>();
  const postcodes = new Map<string, Set<string>>();
  for (const r of rows) {
    const words = streetWords(r.street);
    if (!words.length) continue;
    const key = words.join(' ');
    const s = streets.get(key) ?? { words, wards: new Set<string>(), byPostcode: new Map() };
    s.wards.add(r.wardId);
    const district = r.postcodeDistrict ? postcodeDistrictOf(r.postcodeDistrict) : null;
    if (district) {
      addTo(s.byPostcode, district, r.wardId);
      addTo(postcodes, district, r.wardId);
    }
    streets.set(key, s);
  }
  for (const d of districts) {
    const district = postcodeDistrictOf(d.district);
    if (district) addTo(postcodes, district, d.wardId);
  }
  // Lookups per word of a message: is it the first word of a street, and which lengths to try (longest first).
  const firstWords = new Set([...streets.values()].map((st) => st.words[0]!));
  const lengths = [...new Set([...streets.values()].map((st) => st.words.length))].sort((x, y) => y - x);
  const index = { streets, firstWords, lengths };
  return { streets: streets.size, find: (text, senderWards) => findIn(text, senderWards, index, postcodes) };
}

interface StreetIndex {
  streets: Map<string, Street>;
  firstWords: Set<string>;
  lengths: number[];
}

function streetsIn(words: string[], index: StreetIndex): Street[] {
  const found: Street[] = [];
  for (let i = 0; i < words.length; i++) {
    if (!index.firstWords.has(words[i]!)) continue;
    for (const n of index.lengths) {
      const hit = i + n <= words.length ? index.streets.get(words.slice(i, i + n).join(' ')) : undefined;
      if (hit) {
        found.push(hit);
        i += n - 1;
        break;
      }
    }
  }
  return found;
}

function findIn(text: string, senderWards: readonly string[], index: StreetIndex, postcodes: Map<string, Set<string>>): StreetFinding {
  const districts = [...new Set([...text.matchAll(POSTCODE)].map((m) => m[1]!.toUpperCase()).filter((d) => postcodes.has(d)))];
  const found = streetsIn(streetWords(text), index);
  if (!found.length && !districts.length) return { kind: 'none' };
  const evidence: Set<string>[] = [];
  for (const s of found) {
    // "Slade Road, B23": the street's wards in that district, when the gazetteer says.
    const narrowed = new Set(districts.flatMap((d) => [...(s.byPostcode.get(d) ?? [])]));
    evidence.push(narrowed.size ? narrowed : s.wards);
  }
  for (const d of districts) evidence.push(postcodes.get(d)!);
  const via = found.length ? 'street' : 'postcode';
  const common = [...evidence[0]!].filter((w) => evidence.every((e) => e.has(w))).sort();
  if (common.length === 1) return { kind: 'settled', wardId: common[0] as WardId, via };
  if (!common.length) return { kind: 'candidates', wardIds: [...new Set(evidence.flatMap((e) => [...e]))].sort() as WardId[] };
  const senders = common.filter((w) => senderWards.includes(w));
  if (senders.length === 1) return { kind: 'settled', wardId: senders[0] as WardId, via };
  return { kind: 'candidates', wardIds: (senders.length ? senders : common) as WardId[] };
}
