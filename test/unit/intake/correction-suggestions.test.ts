import { describe, expect, it } from 'vitest';
import { loadDefaultCatalogue } from '../../../src/catalogue/default-catalogue.js';
import { suggestFromCorrections, type CorrectionRecord } from '../../../src/intake/correction-suggestions.js';

const catalogue = loadDefaultCatalogue();
const fix = (over: Partial<CorrectionRecord>): CorrectionRecord => ({
  text: '', location: null, originalWardId: 'erdington', originalServiceId: 'waste-enforcement', correctedWardId: 'erdington', correctedServiceId: 'waste-enforcement', ...over,
});

describe('suggestions from intake corrections', () => {
  it('suggests the corrected ward for the place named, once per place, most frequent first', () => {
    const s = suggestFromCorrections([
      fix({ location: '12 Brookvale Road', correctedWardId: 'stockland-green' }),
      fix({ location: 'Brookvale Road', correctedWardId: 'stockland-green' }),
      fix({ location: 'Witton Lodge, Perry Common', correctedWardId: 'perry-common' }),
    ], catalogue);
    expect(s.filter((x) => x.kind === 'alias')).toEqual([
      { kind: 'alias', alias: 'Brookvale Road', wardId: 'stockland-green', count: 2, csv: 'Brookvale Road,stockland-green' },
      { kind: 'alias', alias: 'Witton Lodge, Perry Common', wardId: 'perry-common', count: 1, csv: '"Witton Lodge, Perry Common",perry-common' },
    ]);
  });

  it('suggests words the corrected service does not know, not stop words, ward names, places or words it knows', () => {
    const s = suggestFromCorrections([
      fix({ text: 'The bollards on Slade Road in Erdington have been knocked over again', location: 'Slade Road', correctedServiceId: 'highways-maintenance' }),
      fix({ text: 'Two bollards knocked over outside the library', correctedServiceId: 'highways-maintenance' }),
    ], catalogue);
    const words = s.filter((x) => x.kind === 'vocabulary').map((x) => x.kind === 'vocabulary' && x.phrase);
    expect(words.slice(0, 2)).toEqual(['bollards', 'knocked']);
    expect(words).toContain('bollards knocked');
    for (const w of ['the', 'slade', 'erdington', 'again', 'road']) expect(words).not.toContain(w);
    const known = catalogue.services.find((x) => x.id === 'highways-maintenance')!.vocabulary.map((v) => v.replace(/^[=~]|\*$/g, ''));
    for (const w of words) expect(known).not.toContain(w);
  });

  it('suggests nothing when nothing was changed, or only the urgency', () => {
    expect(suggestFromCorrections([fix({ text: 'fly-tipping on Slade Road', location: 'Slade Road' })], catalogue)).toEqual([]);
  });
});
