/**
 * The street gazetteer on 20,000 generated streets (a city's worth): time per message to find the
 * ward, against only splitting the same message into words, in the same run. Prints, never asserts.
 *   npx tsx bench/streets.ts
 */
import { loadDefaultCatalogue } from '../src/catalogue/default-catalogue.js';
import { buildStreetGazetteer, streetWords } from '../src/intake/street-gazetteer.js';
import { fmt } from './support.js';

const wards = loadDefaultCatalogue().wards.map((w) => w.id);
const WORDS = ['Slade', 'Gravelly', 'Witton', 'Kings', 'Church', 'Station', 'Park', 'Mill', 'Oak', 'Elm', 'Green', 'Moor', 'Hall', 'Bristol', 'Coventry'];
const KINDS = ['Road', 'Street', 'Lane', 'Avenue', 'Close', 'Drive', 'Grove', 'Way'];
const rows = Array.from({ length: 20_000 }, (_, i) => ({
  street: `${WORDS[i % WORDS.length]} ${WORDS[Math.floor(i / WORDS.length) % WORDS.length]}${Math.floor(i / 225)} ${KINDS[i % KINDS.length]}`,
  wardId: wards[i % wards.length]!, postcodeDistrict: `B${(i % 40) + 1}`,
}));
const t0 = performance.now();
const gazetteer = buildStreetGazetteer(rows);
console.log(`built: ${gazetteer.streets} streets in ${fmt(performance.now() - t0)} ms`);
const messages = Array.from({ length: 2000 }, (_, i) => `Fly-tipping again on ${rows[(i * 37) % rows.length]!.street}, near the shops, third time this month; ${'residents are fed up. '.repeat(i % 5)}`);
const time = (fn: (m: string) => unknown) => {
  const t = performance.now();
  for (let round = 0; round < 5; round++) for (const m of messages) fn(m);
  return ((performance.now() - t) * 1000) / (messages.length * 5);
};
time((m) => gazetteer.find(m, []));
const find = time((m) => gazetteer.find(m, ['erdington']));
const words = time((m) => streetWords(m));
console.log(`find: ${fmt(find, 2)} µs a message; splitting into words alone: ${fmt(words, 2)} µs (${fmt(find / words)}×)`);
