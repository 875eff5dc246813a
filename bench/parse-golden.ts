/**
 * Everything the intake parser computes, one JSON line per input, so a change meant only to make
 * parsing faster can be checked to change nothing: the full parse (probabilities included), the
 * model's reading of the message and of each part, the feature vectors, the lexicon hits, masked
 * text, ward, location, the rules' reading and the short-answer matchers. Inputs: the labelled
 * corpora, the messages bench/parse.ts generates, and seeded adversarial text (overlapping names,
 * punctuation, apostrophes, Unicode, markup, long messages). Compare two runs with `cmp`.
 *   npx tsx bench/parse-golden.ts --out /tmp/golden.jsonl [--corpus A.jsonl,B.jsonl]
 */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultPostcodeDistricts, loadDefaultCatalogue } from '../src/catalogue/default-catalogue.js';
import { compileLexicon } from '../src/intake/lexicon.js';
import { findLocation, maskPlaces } from '../src/intake/location.js';
import { matchService, matchWard } from '../src/intake/match-names.js';
import { extractFeatures, lexiconHits } from '../src/intake/model/features.js';
import { loadShippedModel } from '../src/intake/model/intake-model.js';
import { readMessage } from '../src/intake/model/read-message.js';
import { normaliseText } from '../src/intake/normalise.js';
import { parseMessage } from '../src/intake/parse-message.js';
import { parseByRules } from '../src/intake/rule-reading.js';
import { findHits } from '../src/intake/service-classifier.js';
import { buildStreetGazetteer } from '../src/intake/street-gazetteer.js';
import { findWard } from '../src/intake/ward-finder.js';
import { adversarialMessages, benchMessages } from './parse-inputs.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, dflt: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1]! : dflt; };
const out = createWriteStream(arg('--out', '/tmp/parse-golden.jsonl'));
const corpora = arg('--corpus', ['train', 'dev'].map((n) => join(root, '..', 'shared', 'eval', `${n}.jsonl`)).join(',')).split(',');

const catalogue = loadDefaultCatalogue();
const lex = compileLexicon(catalogue);
const model = loadShippedModel();
const streets = buildStreetGazetteer([
  { street: 'Slade Road', wardId: 'stockland-green', postcodeDistrict: 'B23' }, { street: 'Slade Road', wardId: 'gravelly-hill' },
  { street: 'Church Hill Road', wardId: 'handsworth-wood' }, { street: "St Mary's Row", wardId: 'moseley' }, { street: 'Court Oak Road', wardId: 'harborne' },
], defaultPostcodeDistricts(catalogue.wardSet));

interface Input { id: string; text: unknown; platform?: string | null; channel?: string | null; role?: string | null; wards?: string[] }

const hitsOf = (hs: ReturnType<typeof findHits>) => hs.map((h) => [h.index, h.negated ? 1 : 0, h.phrase.serviceId, h.phrase.text, h.phrase.weight, h.phrase.explicit ? 1 : 0, h.phrase.topic]);

/** What a function returns, or the error it throws (the rules can throw; parseMessage catches that). */
function safe<T>(f: () => T): T | { threw: string } {
  try {
    return f();
  } catch (e) {
    return { threw: String(e) };
  }
}

function dump(m: Input): Record<string, unknown> {
  const ctx = { sender: { role: m.role ?? null, wards: m.wards ?? [] }, channelName: m.channel ?? null, catalogue, model };
  const message = { text: m.text, platform: m.platform ?? null };
  const text = normaliseText(m.text);
  const reading = text ? readMessage(text, { channelName: m.channel ?? null, role: m.role ?? null, platform: m.platform ?? null }, catalogue, model) : null;
  return {
    id: m.id,
    text,
    parse: safe(() => parseMessage(message, ctx)),
    parseStreets: safe(() => parseMessage(message, { ...ctx, streets })),
    rules: safe(() => parseByRules(message, ctx)),
    features: extractFeatures(message, ctx),
    reading: reading && {
      whole: Array.from(reading.whole), chatter: reading.chatter, multi: reading.multi && Array.from(reading.multi),
      parts: reading.parts.map((p) => ({ start: p.segment.start, text: p.segment.text, item: p.segment.item ?? false, p: Array.from(p.p), multi: p.multi && Array.from(p.multi) })),
    },
    hits: hitsOf(lexiconHits(text, lex)),
    rawHits: hitsOf(findHits(text, lex)),
    masked: maskPlaces(text),
    ward: findWard(text, m.channel ?? '', m.wards ?? [], lex, streets),
    location: findLocation(text, text, lex),
    matchService: safe(() => matchService(text.slice(0, 200), catalogue)),
    matchWard: safe(() => matchWard(text.slice(0, 200), catalogue)),
  };
}

async function main(): Promise<void> {
  let n = 0;
  const write = (m: Input) => { out.write(`${JSON.stringify(dump(m))}\n`); n++; };
  for (const path of corpora) {
    if (!existsSync(path)) { console.log(`no corpus at ${path}`); continue; }
    for (const line of readFileSync(path, 'utf8').split('\n').filter((l) => l.trim())) {
      const r = JSON.parse(line) as { id: string; text: string; platform?: string; channel?: string; sender?: { role?: string; wards?: string[] } };
      write({ id: r.id, text: r.text, platform: r.platform ?? null, channel: r.channel ?? null, role: r.sender?.role ?? null, wards: r.sender?.wards ?? [] });
    }
  }
  const bench = benchMessages(catalogue, 2000);
  for (const m of bench) write(m);
  write({ id: 'long', text: `${bench[1]!.text} ${'The bins on the estate were missed again and there is litter everywhere. '.repeat(560)}`.slice(0, 40_000), wards: [] });
  for (const m of adversarialMessages(catalogue, 4000, 7)) write(m);
  await new Promise<void>((resolve) => out.end(resolve));
  console.log(`${n} inputs written to ${arg('--out', '/tmp/parse-golden.jsonl')}`);
}

await main();
