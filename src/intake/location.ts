import { canonicalPlace, type Lexicon } from './lexicon.js';

/** Where a problem is: the exact text of a street (with its house number), a named place or a postcode. */
const SUFFIX = 'Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Drive|Close|Way|Grove|Crescent|Place|Row|Walk|Terrace|Square|Gardens|Mews|Croft|Rise|Hill|Green|Park|Parade|Gate|Vale|View|Court|Fields|Circus|Queensway|Middleway|Bank|Meadow|Wharf|Approach';
const CAP = "[A-Z][A-Za-z'’]+";
const STREET = new RegExp(`(?:\\b(?:no\\.?\\s*)?\\d{1,4}[a-z]?,?\\s+)?\\b(?:(?:St\\.?|Saint)\\s+)?(?:${CAP}(?:\\s+|-)){0,3}${CAP}\\s+(?:${SUFFIX})\\b(?:\\s+(?:West|East|North|South))?`, 'g');
const LOWER_STREET = /(?:^|[\n:–—-]\s*)([a-z][a-z'’]+(?: [a-z][a-z'’]+){0,2} (?:road|street|lane|avenue|drive|close|way|grove|crescent))\b/;
const PLACE = new RegExp(`\\b(?:${CAP}\\s+){1,4}(?:shopping centre|nature reserve|library|leisure centre|sports centre|community centre|car park|retail park|high school|primary school|school|academy|estate|flats|tower block|station|health centre|market|cemetery|recreation ground|rec|reservoir|Lanes End)\\b`, 'g');
const POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/;
const NOT_A_STREET = /^(?:The|A|An|This|That|Our|My|Your|Their|Every|Any|Cllr|Councillor|Hi|Morning|Good)\s+/;

function firstStreet(text: string, lex: Lexicon): string | null {
  STREET.lastIndex = 0;
  for (let m = STREET.exec(text); m; m = STREET.exec(text)) {
    let span = m[0].replace(NOT_A_STREET, '');
    span = span.replace(/^(?:Re|RE|Pothole|Potholes|Resident|Residents|Flytipping|Litter|Ward|Urgent|URGENT)\s+(?:on\s+)?/, '');
    const place = lex.places.get(canonicalPlace(span));
    if (place) continue; // a ward or area name ("Gravelly Hill", "Stockland Green") is not a street
    return span.trim();
  }
  return null;
}

const NEUTRAL = /\b(?:car park|the Council House|park and ride|multi-storey)\b/gi;
/** Every street ends in a space and a street word: text without one holds no street. */
const STREET_WORD = new RegExp(`\\s(?:${SUFFIX})\\b`);
const blank = (m: string) => ' '.repeat(m.length);
/** The features and the lexicon hits mask the same text one after the other: the last answer is kept. */
let lastText = '';
let lastMasked = '';

/**
 * Blanks out street names and neutral place words (same length, so indices stay), so that
 * "Bin Lane", "Perry Park" or "the car park" are not read as evidence of a service.
 */
export function maskPlaces(text: string): string {
  if (text === lastText) return lastMasked;
  STREET.lastIndex = 0;
  const masked = (STREET_WORD.test(text) ? text.replace(STREET, blank) : text).replace(NEUTRAL, blank);
  lastText = text;
  lastMasked = masked;
  return masked;
}

export function findLocation(segment: string, whole: string, lex: Lexicon): string | null {
  for (const text of segment === whole ? [segment] : [segment, whole]) {
    const street = firstStreet(text, lex);
    if (street) return street;
    const lower = LOWER_STREET.exec(text);
    if (lower?.[1]) return lower[1];
  }
  for (const text of [segment, whole]) {
    PLACE.lastIndex = 0;
    for (let m = PLACE.exec(text); m; m = PLACE.exec(text)) {
      const span = m[0].replace(NOT_A_STREET, '').trim();
      if (span) return span;
    }
  }
  return POSTCODE.exec(segment)?.[0] ?? POSTCODE.exec(whole)?.[0] ?? null;
}
