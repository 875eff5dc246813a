import type { WardId } from '../shared/ids.js';
import { canonicalPlace, type Lexicon } from './lexicon.js';
import { allMatches } from './phrase-matcher.js';
import type { StreetGazetteer } from './street-gazetteer.js';

export type WardSource = 'text' | 'street' | 'channel' | 'sender';
export type WardFinding =
  | { kind: 'found'; wardId: WardId; source: WardSource }
  | { kind: 'missing'; candidates: WardId[] };

/** "Moseley Road" and "Frankley Beeches Road" lie elsewhere: a place name followed by a street word (one word apart at most) does not count. */
const STREET_AFTER = /^['’]?s?(?:\s+(?!(?:on|in|at|by|near|off|and|the|to|from)\b)[a-z]+)?\s+(?:road|rd|street|st|lane|ln|avenue|ave|drive|close|way|grove|crescent|place|row|walk|terrace|square|gardens|mews|croft|rise|parade|court|hill|village road|high street|middleway|circus)\b/i;
const ALTERNATIVES = /\/|\bor\b|\bboundary\b|\bborder\b|\beither\b|\bdepending\b|\bwhich\b/i;

interface Mention {
  wardId: WardId | null;
  index: number;
  name: string;
}

function mentions(text: string, lex: Lexicon): Mention[] {
  const out: Mention[] = [];
  for (const m of allMatches(lex.placeNames, text)) {
    const after = text.slice(m.index + m.text.length, m.index + m.text.length + 24);
    if (STREET_AFTER.test(after)) continue;
    const place = lex.places.get(canonicalPlace(m.text));
    if (place) out.push({ wardId: place.wardId, index: m.index, name: m.text });
  }
  return out;
}

/** Wards named in a channel such as "moseley-ward" or "Garretts Green ward members". */
function channelWard(channel: string, lex: Lexicon): WardId | null {
  const text = channel.replace(/[-_#]+/g, ' ');
  const found = mentions(text, lex).filter((m) => m.wardId);
  const ids = [...new Set(found.map((f) => f.wardId!))];
  if (ids.length !== 1) return null;
  // A constituency name ("Hall Green", "Hodge Hill Members") only counts when the channel says "ward".
  if (found.some((f) => lex.districtNames.has(canonicalPlace(f.name))) && !/\bward\b/i.test(text)) return null;
  return ids[0]!;
}

/**
 * The ward, in this order: a ward or unambiguous area named in the text, then a street or
 * postcode in the council's gazetteer, then a channel named after a ward, then the sender's only
 * ward. Two different wards named, or only names that span several wards, leave it missing — the
 * bot asks rather than guess.
 */
export function findWard(text: string, channel: string, senderWards: string[], lex: Lexicon, streets?: StreetGazetteer): WardFinding {
  const named = mentions(text, lex);
  const known = [...new Set(named.filter((m) => m.wardId).map((m) => m.wardId!))];
  const senderKnown = senderWards.filter((w) => lex.wardIds.has(w)) as WardId[];
  if (known.length === 1) {
    // "Handsworth" from someone who covers Handsworth and Handsworth Wood could be either.
    const said = named.filter((m) => m.wardId).map((m) => canonicalPlace(m.name));
    const also = senderKnown.filter((w) => w !== known[0] && said.some((n) => canonicalPlace(lex.catalogue.wards.find((x) => x.id === w)?.name ?? '').startsWith(`${n} `)));
    if (also.length) return { kind: 'missing', candidates: [known[0]!, ...also] };
    return { kind: 'found', wardId: known[0]!, source: 'text' };
  }
  if (known.length > 1) {
    // "Ladywood Road (the Four Oaks one, not the city centre!)": the place said to be meant wins.
    // A message that opens with its ward ("Small Heath leisure centre – … moved to Sparkhill")
    // is about that ward, unless the two are offered as alternatives ("X / Y boundary", "X or Y").
    const withWard = named.filter((m) => m.wardId);
    const first = withWard[0]!;
    const second = withWard.find((m) => m.wardId !== first.wardId)!;
    const lead = text.slice(0, first.index).trim().length <= 2;
    const between = text.slice(first.index, second.index + 1);
    if (lead && !ALTERNATIVES.test(between)) return { kind: 'found', wardId: first.wardId!, source: 'text' };
    return { kind: 'missing', candidates: known };
  }
  // The council's street gazetteer: a street or postcode in one ward (or one of the sender's).
  const street = streets?.find(text, senderKnown);
  if (street?.kind === 'settled') return { kind: 'found', wardId: street.wardId, source: 'street' };
  if (street?.kind === 'candidates') return { kind: 'missing', candidates: street.wardIds };
  // Only names that span several wards: they settle nothing, but a channel or the sender's only ward still does.
  const fromChannel = channelWard(channel, lex);
  if (fromChannel) return { kind: 'found', wardId: fromChannel, source: 'channel' };
  if (senderKnown.length === 1) return { kind: 'found', wardId: senderKnown[0]!, source: 'sender' };
  return { kind: 'missing', candidates: senderKnown };
}
