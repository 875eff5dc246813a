import type { Catalogue } from '../../catalogue/catalogue.js';
import type { LabelledMessage } from './training.js';

/**
 * Short messages made from the catalogue itself: each service's "covers" and vocabulary phrases
 * (not the weak '~' hints) in a plain sentence, labelled with that service. They teach the model
 * the council's own words for each service, so that "fly-tipping on Slade Road" is read as waste
 * enforcement however few corpus messages said it that way. Derived from the catalogue only; they
 * have no channel, so they teach words, not where messages come from.
 */
const TEMPLATES = [
  (p: string, street: string) => `${p} on ${street}`,
  (p: string, street: string) => `can someone look at the ${p} on ${street} please`,
  (p: string, street: string) => `${street}: ${p}, residents are fed up`,
  (p: string, street: string) => `${p} reported again by residents of ${street}, please sort`,
];
const STREETS = ['Station Road', 'Church Lane', 'Mill Street', 'Albert Road', 'Chapel Close', 'Victoria Street'];

export function catalogueMessages(catalogue: Catalogue, weight = 0.5): (LabelledMessage & { weight: number })[] {
  const out: (LabelledMessage & { weight: number })[] = [];
  let n = 0;
  for (const s of catalogue.services) {
    const phrases = new Set([...s.covers, ...s.vocabulary.filter((v) => !v.startsWith('~')).map((v) => v.replace(/^=/, '').replace(/\*$/, ''))]);
    for (const p of [...phrases].sort()) {
      if (p.length < 3 || /^[A-Z]{2,4}$/.test(p)) continue;
      const text = TEMPLATES[n % TEMPLATES.length]!(p, STREETS[n % STREETS.length]!);
      out.push({
        id: `catalogue:${s.id}:${p}`,
        sender: { role: 'councillor', wards: [] }, text, weight,
        expected: { kind: 'escalation', cases: [{ service: s.id }], missing: [] },
      });
      n++;
    }
  }
  return out;
}
