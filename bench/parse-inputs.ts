/**
 * Seeded messages for the parse benchmarks: the plain escalations and chatter bench/parse.ts
 * times, and adversarial text built from the catalogue's own words (overlapping names, odd
 * spacing, apostrophes, case, Unicode, markup, very long messages) for bench/parse-golden.ts.
 */
import type { Catalogue } from '../src/catalogue/catalogue.js';

export interface BenchMessage { id: string; text: string; platform?: string | null; channel?: string | null; role?: string | null; wards: string[] }

/** A small linear congruential generator: the same sequence on every run. */
export function seeded(seed: number): (n: number) => number {
  let s = seed;
  return (n: number) => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s % n; };
}

const problems = ['fly-tipping again', 'potholes all along the road', 'street light out', 'bins missed for two weeks', 'cars parked on the zigzags',
  'lads dealing outside the shops', 'damp and mould in a council flat', 'dog mess all over the path', 'rats in the garden', 'graffiti on the underpass'];
const streets = ['Slade Road', 'Church Hill Road', 'Court Oak Road', 'Warstone Lane', 'Highfield Avenue', 'Gerrard Street'];
const chatter = ['Thanks all, sorted now :tada:', 'Slides from the ward meeting are in the Files tab', 'Anyone going to the conference?'];

/** The messages bench/parse.ts times (its original generator, unchanged). */
export function benchMessages(catalogue: Catalogue, n: number, seed = 42): BenchMessage[] {
  const rnd = seeded(seed);
  const wards = catalogue.wards.map((w) => w.id as string);
  return Array.from({ length: n }, (_, i) => {
    if (i % 7 === 0) return { id: `b${i}`, text: chatter[rnd(chatter.length)]!, wards: [wards[rnd(wards.length)]!] };
    const ward = catalogue.wards[rnd(wards.length)]!;
    const text = `<p>${ward.name} – ${streets[rnd(streets.length)]}: ${problems[rnd(problems.length)]}, residents are fed up. ${i % 3 ? 'Please can someone look' : ':warning: urgent, someone will get hurt'}</p>`;
    return { id: `b${i}`, text, wards: i % 5 ? [ward.id as string] : [] };
  });
}

const APOSTROPHES = ["'", '’', '‘', '`', ''];
const SEPARATORS = [' ', '  ', '-', '', ' - ', '\u00a0', '\t', '\n', '_'];
const PUNCT = [', ', '. ', '; ', ': ', '! ', '? ', ' – ', ' — ', ' (', ') ', '"', '“', '” ', ' / ', ' + ', ' • ', ' * ', '\n- ', '\n1. ', ' & ', ' and ', '...'];
const NOISE = ['é', 'ß', 'İ', 'ı', 'ſ', '\u212a', '😀', '\ud800', '\u200b', 'e\u0301', 'а', 'ｆｌｙ', '£35', 'B23 6AB', 'b5', '24/7', '#', '@', '<', '>', '&amp;', '&#8217;',
  '<p>', '</p>', '<br>', '<@U02KJ8PQ1>', ':warning:', ':tada:', '<https://x.example/a|link>', 'not a ', "isn't ", 'instead of the ', 'or ', '?'];
const WORDS = ['the', 'on', 'in', 'near', 'by', 'and', 'also', 'plus', 'please', 'urgent', 'road', 'lane', 'again', 'council', 'park', 'estate', 'bins', 'grass',
  'resident', 'elderly', 'today', 'Moseley Road', 'Bin Lane', 'car park', 'the Council House', 'St Mary\'s Row', 'Slade Road', 'No. 12 Court Oak Road'];

function vary(rnd: (n: number) => number, phrase: string): string {
  let t = phrase.replace(/^[=~]/, '');
  if (t.endsWith('*')) t = t.slice(0, -1) + ['', 's', 'ing', "'s", 'ed', '’s', 'x'][rnd(7)]!;
  t = t.replace(/ /g, () => SEPARATORS[rnd(SEPARATORS.length)]!).replace(/'/g, () => APOSTROPHES[rnd(APOSTROPHES.length)]!).replace(/&/g, () => ['&', 'and', ' & ', 'AND'][rnd(4)]!);
  const cased = [t, t.toLowerCase(), t.toUpperCase(), t.replace(/\b\w/g, (c) => c.toUpperCase())][rnd(4)]!;
  const glue = [' ', '', "'s ", '’s ', 's ', '-', 'x '][rnd(7)]!;
  return cased + glue;
}

function piece(rnd: (n: number) => number, vocab: string[], places: string[]): string {
  const r = rnd(10);
  if (r < 3) return vary(rnd, vocab[rnd(vocab.length)]!);
  if (r < 5) return vary(rnd, places[rnd(places.length)]!) + (rnd(3) ? '' : ['Road ', 'Rd ', 'Street ', 'Village Road ', 'Lane ', "'s Road "][rnd(6)]!);
  if (r < 7) return `${WORDS[rnd(WORDS.length)]!} `;
  if (r < 9) return PUNCT[rnd(PUNCT.length)]!;
  return NOISE[rnd(NOISE.length)]!;
}

/** Text made of the catalogue's phrases and place names, run together, spaced and cased oddly. */
export function adversarialMessages(catalogue: Catalogue, n: number, seed: number): BenchMessage[] {
  const rnd = seeded(seed);
  const vocab = catalogue.services.flatMap((s) => [...s.vocabulary, ...s.covers, s.name]);
  const places = [...catalogue.wards.map((w) => w.name), ...catalogue.aliases.map((a) => a.alias), ...catalogue.ambiguousAreas];
  const wards = catalogue.wards.map((w) => w.id as string);
  const channels = [null, '', 'casework', 'moseley-ward', 'general', 'Hall Green ward members', 'random', 'escalations'];
  const out: BenchMessage[] = [];
  for (let i = 0; i < n; i++) {
    const long = i % 97 === 0;
    const parts = long ? 400 + rnd(4000) : 1 + rnd(i % 5 === 0 ? 60 : 14);
    let text = '';
    for (let k = 0; k < parts; k++) text += piece(rnd, vocab, places);
    if (i % 13 === 0) text = `<p>${text}</p>`;
    out.push({
      id: `a${i}`, text, platform: ['slack', 'teams', null][rnd(3)]!, channel: channels[rnd(channels.length)]!, role: ['councillor', null][rnd(2)]!,
      wards: Array.from({ length: rnd(3) }, () => wards[rnd(wards.length)]!),
    });
  }
  return out;
}
