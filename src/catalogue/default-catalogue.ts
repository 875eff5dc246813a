import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SCOPES } from '../shared/enums.js';
import { AppError } from '../shared/errors.js';
import { asDistrictId, asServiceId, asWardId, type WardId } from '../shared/ids.js';
import type { Catalogue, District, ServiceClaim } from './catalogue.js';

/** The shipped Birmingham catalogue: services, the 2018 (default) and 2004 ward sets. */
export const WARD_SETS = ['birmingham-2018', 'birmingham-2004'] as const;
export type WardSet = (typeof WARD_SETS)[number];

const RESTRICTED = new Set(['housing-management', 'community-safety']);

const servicesFile = z.object({
  services: z.array(z.object({
    id: z.string(), name: z.string(), portfolio: z.string(), levels: z.array(z.enum(SCOPES)),
    phase1: z.boolean(), covers: z.array(z.string()),
  })),
});
const wardsFile = z.object({
  sets: z.record(z.string(), z.object({
    wards: z.array(z.object({ id: z.string(), name: z.string(), district: z.string().optional() })),
  })),
});
const districtsFile = z.object({
  districts: z.array(z.object({ id: z.string(), name: z.string(), wards: z.array(z.string()) })),
});
const vocabularyFile = z.object({
  services: z.record(z.string(), z.array(z.string())),
  claims: z.array(z.object({ service: z.string(), from: z.array(z.string()), when: z.array(z.string()) })),
}).partial();
const postcodesFile = z.object({ sets: z.record(z.string(), z.record(z.string(), z.string())) }).partial();
const aliasesFile = z.object({ sets: z.record(z.string(), z.record(z.string(), z.string().nullable())) }).partial();

export const catalogueDir = fileURLToPath(new URL('../../catalogue/birmingham/', import.meta.url));

function readJson<T>(file: string, schema: z.ZodType<T>, optional = false): T | undefined {
  let text: string;
  try {
    text = readFileSync(catalogueDir + file, 'utf8');
  } catch (e) {
    if (optional) return undefined;
    throw new AppError('catalogue.invalid', `The catalogue file ${file} could not be read.`, { cause: e });
  }
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new AppError('catalogue.invalid', `The catalogue file ${file} is malformed: ${parsed.error.message}`);
  return parsed.data;
}

const slug = (s: string) => s.toLowerCase().replace(/&/g, ' ').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** The shipped names that span several wards, for catalogues loaded from the database. */
export function defaultClaims(): ServiceClaim[] {
  return (readJson('vocabulary.json', vocabularyFile, true)?.claims ?? [])
    .map((c) => ({ serviceId: asServiceId(c.service), from: c.from.map(asServiceId), when: c.when }));
}

export function defaultAmbiguousAreas(wardSet: WardSet = 'birmingham-2018'): string[] {
  const aliases = readJson('aliases.json', aliasesFile, true)?.sets?.[wardSet] ?? {};
  return Object.entries(aliases).filter(([, w]) => w === null).map(([a]) => a);
}

/** The shipped postcode districts that lie wholly in one ward (a short list; see the file). */
export function defaultPostcodeDistricts(wardSet: string = 'birmingham-2018'): { district: string; wardId: WardId }[] {
  const sets = readJson('postcode-districts.json', postcodesFile, true)?.sets ?? {};
  return Object.entries(sets[wardSet] ?? {}).map(([district, ward]) => ({ district, wardId: asWardId(ward) }));
}

export function loadDefaultCatalogue(wardSet: WardSet = 'birmingham-2018'): Catalogue {
  const services = readJson('services.json', servicesFile)!;
  const wards = readJson('wards.json', wardsFile)!;
  const vocabulary = readJson('vocabulary.json', vocabularyFile, true)?.services ?? {};
  const aliases = readJson('aliases.json', aliasesFile, true)?.sets?.[wardSet] ?? {};
  const set = wards.sets[wardSet];
  if (!set) throw new AppError('catalogue.invalid', `Unknown ward set ${wardSet}; choose one of ${WARD_SETS.join(', ')}.`);

  let districts: District[];
  if (wardSet === 'birmingham-2018') {
    const file = readJson('constituencies-2018.json', districtsFile)!;
    districts = file.districts.map((d) => ({ id: asDistrictId(d.id), name: d.name, wardIds: d.wards.map(asWardId) }));
  } else {
    const byName = new Map<string, District>();
    for (const w of set.wards) {
      if (!w.district) continue;
      const id = asDistrictId(slug(w.district));
      const d = byName.get(id) ?? { id, name: w.district, wardIds: [] };
      d.wardIds.push(asWardId(w.id));
      byName.set(id, d);
    }
    districts = [...byName.values()];
  }
  const districtOf = new Map<string, string>();
  for (const d of districts) for (const w of d.wardIds) districtOf.set(w, d.id);

  return {
    wardSet,
    wards: set.wards.map((w) => ({ id: asWardId(w.id), name: w.name, districtId: districtOf.has(w.id) ? asDistrictId(districtOf.get(w.id)!) : null })),
    districts,
    clusters: [],
    services: services.services.map((s) => ({
      ...s,
      id: asServiceId(s.id),
      vocabulary: vocabulary[s.id] ?? [],
      restricted: RESTRICTED.has(s.id),
    })),
    aliases: Object.entries(aliases).filter((e): e is [string, string] => e[1] !== null).map(([alias, ward]) => ({ alias, wardId: asWardId(ward) })),
    claims: defaultClaims(),
    ambiguousAreas: Object.entries(aliases).filter(([, ward]) => ward === null).map(([alias]) => alias),
  };
}

