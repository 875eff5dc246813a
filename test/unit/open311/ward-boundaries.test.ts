import { describe, expect, it } from 'vitest';
import { parseWardBoundaries, placePoint } from '../../../src/open311/ward-boundaries.js';
import { asWardId } from '../../../src/shared/ids.js';

const wards = [
  { id: asWardId('brandwood-kings-heath'), name: 'Brandwood & King\'s Heath', districtId: null },
  { id: asWardId('erdington'), name: 'Erdington', districtId: null },
];
const square = (x: number, y: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]] });
const file = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry });

describe('ward boundaries from a GeoJSON file', () => {
  it('matches features to wards by id or by name however the file writes it (ONS style)', () => {
    const r = parseWardBoundaries(file([
      feature({ WD22CD: 'E05011123', WD22NM: 'Brandwood and Kings Heath' }, square(0, 0)),
      feature({ ward: 'erdington' }, square(1, 0)),
    ]), wards);
    expect(r.ok && r.boundaries.map((b) => b.wardId)).toEqual(['brandwood-kings-heath', 'erdington']);
    expect(r.ok && r.missing).toEqual([]);
    expect(parseWardBoundaries(file([feature({ name: 'BRANDWOOD & KING’S HEATH' }, square(0, 0))]), wards)).toMatchObject({ ok: true, missing: ['erdington'] });
  });

  it('refuses the whole file, listing every problem', () => {
    const r = parseWardBoundaries(file([
      feature({ WD22NM: 'Erdington' }, square(410000, 290000)),
      feature({ WD22NM: 'Atlantis' }, square(0, 0)),
      feature({ WD22NM: 'Brandwood & King\'s Heath' }, { type: 'Point', coordinates: [0, 0] }),
      feature({ WD22NM: 'Erdington' }, square(5, 5)),
    ]), wards);
    expect(r.ok ? [] : r.errors).toEqual([
      'feature 1 (erdington): position [410000, 290000] is not WGS84 longitude/latitude (British National Grid? export the file in WGS84, EPSG:4326)',
      'feature 2: no property names a ward of this ward set (by id such as "brandwood-kings-heath" or name such as "Brandwood & King\'s Heath")',
      'feature 3 (brandwood-kings-heath): geometry is Point; only Polygon and MultiPolygon are wards',
    ]);
    expect(parseWardBoundaries('{"type":', wards)).toMatchObject({ ok: false, errors: [expect.stringMatching(/^the file is not JSON/)] });
    expect(parseWardBoundaries(file([]), wards)).toEqual({ ok: false, errors: ['the file has no features'] });
  });

  it('places a point in the ward whose polygon holds it, and outside every ward otherwise', () => {
    const r = parseWardBoundaries(file([feature({ ward: 'erdington' }, square(-1.85, 52.51)), feature({ ward: 'brandwood-kings-heath' }, square(-3, 50))]), wards);
    if (!r.ok) throw new Error(r.errors.join('; '));
    expect(placePoint(r.boundaries, 52.52, -1.84)).toEqual({ kind: 'ward', wardId: 'erdington' });
    expect(placePoint(r.boundaries, 51.5, -0.12)).toEqual({ kind: 'outside' });
  });
});
