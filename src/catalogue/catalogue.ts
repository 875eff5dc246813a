import type { ClusterId, DistrictId, ServiceId, WardId } from '../shared/ids.js';
import type { Scope } from '../shared/enums.js';

/** The council's geography and services. Everything council-specific lives here, not in code. */
export interface Ward {
  id: WardId;
  name: string;
  districtId: DistrictId | null;
}
export interface District {
  id: DistrictId;
  name: string;
  wardIds: WardId[];
}
export interface Cluster {
  id: ClusterId;
  name: string;
  wardIds: WardId[];
}
export interface Service {
  id: ServiceId;
  name: string;
  portfolio: string;
  levels: Scope[];
  phase1: boolean;
  covers: string[];
  /** Words and phrases that point at this service (synonyms, abbreviations, misspellings). */
  vocabulary: string[];
  /** Restricted services are counted in digests, never described. */
  restricted: boolean;
  /** Channels (by chat platform) where the service's RM cards are posted instead of the RM's DMs. */
  cardChannels?: Partial<Record<string, string>>;
  /** Months after a case is finished that its text is kept, where the council set one (`wardline services retention`). */
  retentionMonths?: number | null;
}
export interface AreaAlias {
  alias: string;
  wardId: WardId;
}

export interface Catalogue {
  wardSet: string;
  wards: Ward[];
  districts: District[];
  clusters: Cluster[];
  services: Service[];
  aliases: AreaAlias[];
  /** Area names that span several wards: they never settle the ward by themselves. */
  ambiguousAreas: string[];
  /** Known overlaps: with a `when` phrase present, evidence for `from` services counts for `serviceId`. */
  claims: ServiceClaim[];
}

export interface ServiceClaim {
  serviceId: ServiceId;
  from: ServiceId[];
  when: string[];
}

/** Lookups built once over a catalogue. */
export class CatalogueIndex {
  readonly wardById: ReadonlyMap<string, Ward>;
  readonly serviceById: ReadonlyMap<string, Service>;
  readonly clusterById: ReadonlyMap<string, Cluster>;
  readonly districtById: ReadonlyMap<string, District>;
  readonly clustersByWard: ReadonlyMap<string, Cluster[]>;

  constructor(readonly catalogue: Catalogue) {
    this.wardById = new Map(catalogue.wards.map((w) => [w.id, w]));
    this.serviceById = new Map(catalogue.services.map((s) => [s.id, s]));
    this.clusterById = new Map(catalogue.clusters.map((c) => [c.id, c]));
    this.districtById = new Map(catalogue.districts.map((d) => [d.id, d]));
    const byWard = new Map<string, Cluster[]>();
    for (const c of catalogue.clusters) {
      for (const w of c.wardIds) byWard.set(w, [...(byWard.get(w) ?? []), c]);
    }
    this.clustersByWard = byWard;
  }

  ward(id: string): Ward | undefined {
    return this.wardById.get(id);
  }
  service(id: string): Service | undefined {
    return this.serviceById.get(id);
  }
  /** Every scope area a ward lies in, most specific first. */
  areasOfWard(wardId: WardId): { ward: WardId; clusters: ClusterId[]; district: DistrictId | null } {
    return {
      ward: wardId,
      clusters: (this.clustersByWard.get(wardId) ?? []).map((c) => c.id),
      district: this.wardById.get(wardId)?.districtId ?? null,
    };
  }
}
