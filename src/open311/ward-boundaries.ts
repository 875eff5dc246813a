import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Ward } from '../catalogue/catalogue.js';
import type { WardId } from '../shared/ids.js';

export type WardGeometry = Polygon | MultiPolygon;
export interface WardBoundary {
  wardId: WardId;
  geometry: WardGeometry;
  bbox: [number, number, number, number];
}
export type BoundaryParse = { ok: true; boundaries: WardBoundary[]; missing: WardId[] } | { ok: false; errors: string[] };

/** A ward name however a file writes it: case, accents, apostrophes and "&" / "and" aside. */
const canon = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f'\u2019]/g, '').replace(/&/g, ' and ')
  .replace(/[^a-z0-9]+/g, ' ').trim();

function bboxOf(g: WardGeometry): [number, number, number, number] {
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  const pts = rings.flat();
  const xs = pts.map((p) => p[0]!);
  const ys = pts.map((p) => p[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function geometryProblem(g: unknown): string | null {
  const geo = g as { type?: unknown; coordinates?: unknown } | null;
  if (!geo || (geo.type !== 'Polygon' && geo.type !== 'MultiPolygon')) return `geometry is ${geo ? String(geo.type) : 'missing'}; only Polygon and MultiPolygon are wards`;
  const polys = (geo.type === 'Polygon' ? [geo.coordinates] : geo.coordinates) as unknown;
  if (!Array.isArray(polys) || !polys.length) return 'geometry has no coordinates';
  for (const poly of polys) {
    if (!Array.isArray(poly) || !poly.length) return 'a polygon has no rings';
    for (const ring of poly as unknown[]) {
      if (!Array.isArray(ring) || ring.length < 4) return 'a ring has fewer than 4 positions';
      for (const p of ring as unknown[]) {
        if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return 'a position is not [longitude, latitude]';
        if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) return `position [${p[0]}, ${p[1]}] is not WGS84 longitude/latitude (British National Grid? export the file in WGS84, EPSG:4326)`;
      }
    }
  }
  return null;
}

/** The ward a feature names: a property equal to a ward id, else one equal to a ward's name (ONS `WD22NM`-style). */
function wardOfFeature(props: Record<string, unknown>, wards: Ward[]): Ward[] {
  const values = Object.values(props).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  const byId = wards.filter((w) => values.some((v) => v.trim().toLowerCase() === w.id));
  if (byId.length) return byId;
  return wards.filter((w) => values.some((v) => canon(v) === canon(w.name)));
}

/**
 * A council's ward boundaries (a GeoJSON FeatureCollection, e.g. from the ONS Open Geography
 * portal) matched to the catalogue's wards. All or nothing: every problem is listed.
 */
export function parseWardBoundaries(text: string, wards: Ward[]): BoundaryParse {
  let doc: { type?: unknown; features?: unknown };
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, '')) as typeof doc;
  } catch (e) {
    return { ok: false, errors: [`the file is not JSON (${(e as Error).message})`] };
  }
  if (!doc || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) return { ok: false, errors: ['the file is not a GeoJSON FeatureCollection'] };
  const errors: string[] = [];
  const found = new Map<string, { index: number; b: WardBoundary }>();
  (doc.features as unknown[]).forEach((f, i) => {
    const feature = f as { properties?: Record<string, unknown> | null; geometry?: unknown };
    const label = `feature ${i + 1}`;
    const matches = wardOfFeature(feature?.properties ?? {}, wards);
    if (!matches.length) return errors.push(`${label}: no property names a ward of this ward set (by id such as "${wards[0]?.id}" or name such as "${wards[0]?.name}")`);
    if (matches.length > 1) return errors.push(`${label}: names several wards (${matches.map((w) => w.id).join(', ')})`);
    const ward = matches[0]!;
    const problem = geometryProblem(feature.geometry);
    if (problem) return errors.push(`${label} (${ward.id}): ${problem}`);
    const before = found.get(ward.id);
    if (before) return errors.push(`${label}: ${ward.id} already given by feature ${before.index + 1}`);
    const geometry = feature.geometry as WardGeometry;
    found.set(ward.id, { index: i, b: { wardId: ward.id, geometry, bbox: bboxOf(geometry) } });
    return undefined;
  });
  if (!found.size && !errors.length) errors.push('the file has no features');
  if (errors.length) return { ok: false, errors };
  const boundaries = [...found.values()].map((x) => x.b);
  return { ok: true, boundaries, missing: wards.filter((w) => !found.has(w.id)).map((w) => w.id) };
}

export type PointPlacement = { kind: 'ward'; wardId: WardId } | { kind: 'outside' } | { kind: 'ambiguous'; wardIds: WardId[] };

/** The ward a WGS84 point lies in; on a shared edge or overlap, `ambiguous` (triage decides). */
export function placePoint(boundaries: WardBoundary[], lat: number, long: number): PointPlacement {
  const hits = boundaries.filter((b) => long >= b.bbox[0] && long <= b.bbox[2] && lat >= b.bbox[1] && lat <= b.bbox[3])
    .filter((b) => booleanPointInPolygon([long, lat], b.geometry));
  if (hits.length === 1) return { kind: 'ward', wardId: hits[0]!.wardId };
  if (!hits.length) return { kind: 'outside' };
  return { kind: 'ambiguous', wardIds: hits.map((h) => h.wardId) };
}
