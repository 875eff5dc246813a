import type { Catalogue } from '../catalogue/catalogue.js';
import { compileLexicon } from '../intake/lexicon.js';
import { normaliseText } from '../intake/normalise.js';
import { findWard } from '../intake/ward-finder.js';
import type { WardId } from '../shared/ids.js';

/** The ward an address names, by the intake parser's ward finder; null when it does not settle one. */
export function wardFromAddress(address: string, catalogue: Catalogue): WardId | null {
  const found = findWard(normaliseText(address), '', [], compileLexicon(catalogue));
  return found.kind === 'found' ? found.wardId : null;
}
