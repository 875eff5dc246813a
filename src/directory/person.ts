import type { Role } from '../shared/enums.js';
import type { PersonId, ServiceId, WardId } from '../shared/ids.js';

/** An absence: the deputy takes the RM's cases from `from` to `to`, both inclusive (ISO dates, council time). */
export interface AwayPeriod {
  from: string;
  to: string;
}

export interface Person {
  id: PersonId;
  email: string;
  name: string;
  roles: Role[];
  /** Wards represented (councillor), covered (WAC, senior officer) or of interest (manager). */
  wardIds: WardId[];
  /** Services a manager manages: the first manager of a service is its escalation manager. */
  serviceIds: ServiceId[];
  slackUserId: string | null;
  teamsUserId: string | null;
  away: AwayPeriod[];
  active: boolean;
}

/** A read-only snapshot of the directory, as pure functions need it. */
export interface Directory {
  people: Person[];
  byId: ReadonlyMap<string, Person>;
  byEmail: ReadonlyMap<string, Person>;
}

export function buildDirectory(people: Person[]): Directory {
  return {
    people,
    byId: new Map(people.map((p) => [p.id, p])),
    byEmail: new Map(people.map((p) => [p.email.toLowerCase(), p])),
  };
}

export const hasRole = (p: Pick<Person, 'roles'>, role: Role) => p.roles.includes(role);
