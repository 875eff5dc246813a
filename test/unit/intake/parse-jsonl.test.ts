import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalogue } from '../../../src/catalogue/default-catalogue.js';
import { parseLine } from '../../../src/intake/parse-jsonl.js';
import { repoRoot } from '../../support/cli.js';

const catalogue = loadDefaultCatalogue();
const kinds = ['escalation', 'chatter', 'clarify'];

describe('wardline parse survives any line', () => {
  it('answers odd but valid JSON with a reading, never an exception', () => {
    const odd = [
      '{"id":1,"text":42}', '{"id":"a","sender":null,"text":"bins missed"}', '{"id":"b","sender":{"wards":"erdington"},"text":"pothole"}',
      '{"id":"c","text":"x","channel":["a"],"platform":7}', '{"id":"d","text":"' + 'potholes and the bins; '.repeat(3000) + '"}',
      '{"id":"e","sender":{"role":"councillor","wards":["erdington","not-a-ward"]},"text":"dog barking on Chinn Brook Road and the bins were not collected"}',
    ];
    for (const line of odd) expect(kinds).toContain(parseLine(line, 1, catalogue).kind);
  });

  it('reads every generated message line (property)', () => {
    const msg = fc.record({
      id: fc.oneof(fc.string(), fc.integer()), platform: fc.constantFrom('slack', 'teams', 'local', ''), channel: fc.string({ maxLength: 30 }),
      sender: fc.record({ role: fc.constantFrom('councillor', 'wac', 'manager', ''), wards: fc.array(fc.constantFrom('erdington', 'kingstanding', 'billesley', 'x'), { maxLength: 4 }) }),
      text: fc.oneof(fc.string({ maxLength: 500 }), fc.array(fc.constantFrom('the bins', ' and the ', 'pothole on Wood End Road', '\n', '• ', 'thanks', '&amp;', '<p>'), { maxLength: 50 }).map((a) => a.join(''))),
    });
    fc.assert(fc.property(msg, (m) => kinds.includes(parseLine(JSON.stringify(m), 1, catalogue).kind as string)), { numRuns: 200 });
  });

  const train = join(repoRoot, '..', 'shared', 'eval', 'train.jsonl');
  it.skipIf(!existsSync(train))('reads every line of the shared training corpus', () => {
    const lines = readFileSync(train, 'utf8').split('\n').filter((l) => l.trim());
    const out = lines.map((l, i) => parseLine(l, i + 1, catalogue));
    expect(out.filter((o) => !kinds.includes(o.kind as string))).toEqual([]);
  });
});
