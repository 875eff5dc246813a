import type { Catalogue } from '../catalogue/catalogue.js';
import { compileLexicon } from '../intake/lexicon.js';
import { normaliseText } from '../intake/normalise.js';
import type { StreetGazetteer } from '../intake/street-gazetteer.js';
import { findWard } from '../intake/ward-finder.js';
import type { WardId } from '../shared/ids.js';

/** The ward an address names, by the intake parser's ward finder and the street gazetteer; null when they do not settle one. */
export function wardFromAddress(address: string, catalogue: Catalogue, streets?: StreetGazetteer): WardId | null {
  const found = findWard(normaliseText(address), '', [], compileLexicon(catalogue), streets);
  return found.kind === 'found' ? found.wardId : null;
}
