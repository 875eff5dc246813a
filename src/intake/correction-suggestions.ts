import type { Catalogue } from '../catalogue/catalogue.js';

/** A correction as recorded when a case's ward or service was changed after intake. */
export interface CorrectionRecord {
  text: string;
  location: string | null;
  originalWardId: string | null;
  originalServiceId: string | null;
  correctedWardId: string | null;
  correctedServiceId: string | null;
}

export type Suggestion =
  | { kind: 'alias'; alias: string; wardId: string; count: number; csv: string }
  | { kind: 'vocabulary'; phrase: string; serviceId: string; count: number };

const STOP = new Set(`a about again above after all also am an and any are as at away back be been before behind being below
between both but by can could did do does done down during each every few for from further get got had has have having he her
here him his how i if in into is it its just last let like me more most my near next no not now of off on once only or other
our out outside over own please really same see she should since so some still such than that the their them then there these
they this those three through to too two under until up us very was we week weeks were what when where which while who why will
with would you your month months today yesterday again cllr councillor residents resident reported report reports someone
street road lane avenue close drive grove crescent way place time times third second first one ward area`.split(/\s+/));

const bare = (phrase: string) => phrase.replace(/^[=~]/, '').replace(/\*$/, '').toLowerCase();

/** Words and two-word phrases of a message that could name a service. */
function candidates(text: string, exclude: Set<string>): Set<string> {
  const words = text.toLowerCase().replace(/<[^>]*>/g, ' ').match(/[a-z][a-z'-]+/g) ?? [];
  const keep = words.map((w) => (STOP.has(w) || exclude.has(w) || w.length < 3 ? null : w));
  const out = new Set<string>();
  keep.forEach((w, i) => {
    if (!w) return;
    out.add(w);
    const next = keep[i + 1];
    if (next) out.add(`${w} ${next}`);
  });
  return out;
}

/**
 * What the corrections suggest adding so that the parser gets such messages right next time:
 * area aliases (the place named lies in the corrected ward) and service vocabulary (words the
 * councillors used for the corrected service that the vocabulary does not know yet). Suggestions
 * are for an admin to review, never applied by themselves.
 */
export function suggestFromCorrections(corrections: CorrectionRecord[], catalogue: Catalogue, max = 5): Suggestion[] {
  const wardWords = new Set(catalogue.wards.flatMap((w) => w.name.toLowerCase().split(/\W+/)));
  const known = new Map(catalogue.services.map((s) => [s.id as string, new Set(s.vocabulary.map(bare))]));
  const aliasOf = new Map(catalogue.aliases.map((a) => [a.alias.toLowerCase(), a.wardId as string]));

  const aliases = new Map<string, { alias: string; wardId: string; count: number }>();
  const phrases = new Map<string, Map<string, number>>();
  for (const c of corrections) {
    if (c.correctedWardId && c.correctedWardId !== c.originalWardId && c.location) {
      const alias = c.location.replace(/^\d+[a-z]?\s+/i, '').trim();
      if (alias && aliasOf.get(alias.toLowerCase()) !== c.correctedWardId) {
        const key = `${alias.toLowerCase()}|${c.correctedWardId}`;
        const a = aliases.get(key) ?? { alias, wardId: c.correctedWardId, count: 0 };
        a.count++;
        aliases.set(key, a);
      }
    }
    if (c.correctedServiceId && c.correctedServiceId !== c.originalServiceId) {
      const locationWords = new Set((c.location ?? '').toLowerCase().split(/\W+/));
      const vocab = known.get(c.correctedServiceId) ?? new Set();
      const counts = phrases.get(c.correctedServiceId) ?? new Map<string, number>();
      for (const p of candidates(c.text, new Set([...wardWords, ...locationWords]))) {
        if (vocab.has(p)) continue;
        counts.set(p, (counts.get(p) ?? 0) + 1);
      }
      phrases.set(c.correctedServiceId, counts);
    }
  }

  const out: Suggestion[] = [...aliases.values()].sort((a, b) => b.count - a.count || a.alias.localeCompare(b.alias))
    .map((a) => ({ kind: 'alias' as const, ...a, csv: `${a.alias.includes(',') ? `"${a.alias}"` : a.alias},${a.wardId}` }));
  for (const [serviceId, counts] of [...phrases].sort(([a], [b]) => a.localeCompare(b))) {
    // Phrases seen in several corrections first; then two-word phrases, which say more than one word.
    const ranked = [...counts].sort(([pa, a], [pb, b]) => b - a || pb.split(' ').length - pa.split(' ').length || pa.localeCompare(pb));
    for (const [phrase, count] of ranked.slice(0, max)) out.push({ kind: 'vocabulary', phrase, serviceId, count });
  }
  return out;
}
