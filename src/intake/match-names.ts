import type { Catalogue } from '../catalogue/catalogue.js';
import type { ServiceId, WardId } from '../shared/ids.js';
import { compileLexicon } from './lexicon.js';
import { normaliseText } from './normalise.js';
import { findHits, scoreServices } from './service-classifier.js';
import { findWard } from './ward-finder.js';

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** A service named in a short answer or command: its id, its name, or its vocabulary. */
export function matchService(text: string, catalogue: Catalogue): ServiceId | null {
  const t = squash(text);
  if (!t) return null;
  const exact = catalogue.services.find((s) => squash(s.id) === t || squash(s.name) === t);
  if (exact) return exact.id;
  const named = catalogue.services.filter((s) => t.includes(squash(s.name)) || t.includes(squash(s.id)));
  if (named.length === 1) return named[0]!.id;
  const [best, next] = scoreServices(findHits(normaliseText(text), compileLexicon(catalogue))).filter((x) => x.score > 0);
  return best && best.score > (next?.score ?? 0) ? best.serviceId : null;
}

/** A ward named in a short answer or command: its id, its name, or an area that lies in one ward. */
export function matchWard(text: string, catalogue: Catalogue): WardId | null {
  const t = squash(text);
  if (!t) return null;
  const exact = catalogue.wards.find((w) => squash(w.id) === t || squash(w.name) === t);
  if (exact) return exact.id;
  const found = findWard(normaliseText(text), '', [], compileLexicon(catalogue));
  return found.kind === 'found' ? found.wardId : null;
}

export type DigestArea = { scope: 'ward' | 'cluster' | 'district' | 'service' | 'city'; area: string; name: string };

/** What "subscribe digest <area>" names: a ward, a cluster, a district, a service or the city. */
export function matchDigestArea(text: string, catalogue: Catalogue): DigestArea | null {
  const t = squash(text);
  if (!t) return null;
  if (t === 'city' || t === 'birmingham' || t === 'whole city') return { scope: 'city', area: 'city', name: 'the whole city' };
  const cluster = catalogue.clusters.find((c) => squash(c.id) === t || squash(c.name) === t);
  if (cluster) return { scope: 'cluster', area: cluster.id, name: cluster.name };
  const ward = catalogue.wards.find((w) => squash(w.id) === t || squash(w.name) === t);
  if (ward) return { scope: 'ward', area: ward.id, name: ward.name };
  const district = catalogue.districts.find((d) => squash(d.id) === t || squash(d.name) === t || squash(d.name) === t.replace(/ district$/, ''));
  if (district) return { scope: 'district', area: district.id, name: district.name };
  const service = catalogue.services.find((s) => squash(s.id) === t || squash(s.name) === t);
  if (service) return { scope: 'service', area: service.id, name: service.name };
  const wardId = matchWard(text, catalogue);
  if (wardId) return { scope: 'ward', area: wardId, name: catalogue.wards.find((w) => w.id === wardId)!.name };
  return null;
}
