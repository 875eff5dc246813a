import { describe, expect, it } from 'vitest';
import { CatalogueIndex } from '../../../src/catalogue/catalogue.js';
import { defaultPostcodeDistricts, loadDefaultCatalogue } from '../../../src/catalogue/default-catalogue.js';
import { parseMessage } from '../../../src/intake/parse-message.js';
import { buildStreetGazetteer } from '../../../src/intake/street-gazetteer.js';
import { exportStreetsCsv, parseStreetsCsv } from '../../../src/intake/streets-csv.js';

const catalogue = loadDefaultCatalogue();
const gazetteer = buildStreetGazetteer([
  { street: 'Zetland Road', wardId: 'erdington' },
  { street: 'Gravelly Lane', wardId: 'erdington', postcodeDistrict: 'B23' },
  { street: 'Gravelly Lane', wardId: 'stockland-green', postcodeDistrict: 'B23' },
  { street: 'Gravelly Lane', wardId: 'gravelly-hill', postcodeDistrict: 'B24' },
  { street: "St Margaret's Avenue", wardId: 'sparkhill' },
], defaultPostcodeDistricts());

describe('the street gazetteer', () => {
  it('settles the ward by a street that lies in one ward, however its name is written', () => {
    expect(gazetteer.find('bins not collected on zetland rd again', [])).toEqual({ kind: 'settled', wardId: 'erdington', via: 'street' });
    expect(gazetteer.find('Saint Margarets Ave is flooded', [])).toEqual({ kind: 'settled', wardId: 'sparkhill', via: 'street' });
  });

  it('settles a street in several wards when exactly one of them is the sender\'s', () => {
    expect(gazetteer.find('potholes on Gravelly Lane', ['erdington', 'kingstanding'])).toEqual({ kind: 'settled', wardId: 'erdington', via: 'street' });
  });

  it('does not settle a street in several wards when the sender covers several of them', () => {
    expect(gazetteer.find('potholes on Gravelly Lane', ['erdington', 'stockland-green'])).toEqual({ kind: 'candidates', wardIds: ['erdington', 'stockland-green'] });
    expect(gazetteer.find('potholes on Gravelly Lane', [])).toEqual({ kind: 'candidates', wardIds: ['erdington', 'gravelly-hill', 'stockland-green'] });
  });

  it('narrows a street by the postcode district given with it', () => {
    expect(gazetteer.find('potholes on Gravelly Lane, B24 9AA', [])).toEqual({ kind: 'settled', wardId: 'gravelly-hill', via: 'street' });
  });

  it('settles the ward by a shipped postcode district that lies in one ward', () => {
    expect(gazetteer.find('dumped mattress near the shops, B35 7XX', [])).toEqual({ kind: 'settled', wardId: 'castle-vale', via: 'postcode' });
    expect(gazetteer.find('dumped mattress near the shops', [])).toEqual({ kind: 'none' });
  });

  it('does not take a street inside a longer word or a different street', () => {
    expect(gazetteer.find('Zetland Roadworks are noisy', []).kind).toBe('none');
    expect(gazetteer.find('Gravelly Hill interchange', []).kind).toBe('none');
  });

  it('lets parseMessage open the case in the street\'s ward', () => {
    const ctx = { sender: { wards: ['erdington', 'stockland-green'] }, catalogue };
    const text = 'fly-tipping again on Zetland Road, third time this month';
    expect(parseMessage({ text }, ctx).missing).toEqual(['ward']);
    const r = parseMessage({ text }, { ...ctx, streets: gazetteer });
    expect(r.kind).toBe('escalation');
    expect(r.cases[0]?.ward).toBe('erdington');
    const shared = parseMessage({ text: 'fly-tipping again on Gravelly Lane, third time this month' }, { ...ctx, streets: gazetteer });
    expect(shared.kind).toBe('clarify');
    expect(shared.candidates.wards.map((w) => w.id)).toEqual(['erdington', 'stockland-green']);
  });
});

describe('the streets file', () => {
  const index = new CatalogueIndex(catalogue);

  it('reports every bad line with its number and reads BOM and CRLF files', () => {
    const r = parseStreetsCsv('\uFEFFstreet,ward,postcode_district\r\nZetland Road,erdington,B23\r\n,erdington,\r\nMoor Lane,atlantis,\r\nZetland Rd,erdington,b23\r\nHigh Street,erdington,23B\r\n', index);
    expect(r).toEqual({ ok: false, errors: [
      'line 3: the street is empty or has no letters',
      'line 4: unknown ward "atlantis"',
      'line 5: duplicate of line 2',
      'line 6: "23B" is not a postcode district (like B23)',
    ] });
  });

  it('exports what it imports', () => {
    const r = parseStreetsCsv('street,ward,postcode_district\r\nZetland Road,erdington,b23\r\n"Bull Ring, The",ladywood,\r\n', index);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const out = exportStreetsCsv(r.streets);
    expect(out).toBe('street,ward,postcode_district\n"Bull Ring, The",ladywood,\nZetland Road,erdington,B23\n');
    const again = parseStreetsCsv(out, index);
    if (!again.ok) throw new Error(again.errors.join('\n'));
    expect(exportStreetsCsv(again.streets)).toBe(out);
  });
});
