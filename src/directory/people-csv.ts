import { z } from 'zod';
import type { CatalogueIndex } from '../catalogue/catalogue.js';
import { LineErrors, readCsv, splitList, writeCsv } from '../routing/csv-support.js';
import { ROLES, type Role } from '../shared/enums.js';
import { parseCalendarDate } from '../shared/iso-dates.js';
import { asServiceId, asWardId } from '../shared/ids.js';
import type { AwayPeriod, Person } from './person.js';

export const PEOPLE_HEADER = ['email', 'name', 'roles', 'wards', 'slack_user_id', 'teams_user_id'] as const;
export const PEOPLE_OPTIONAL = ['services', 'away'] as const;

const email = z.email();
type NewPerson = Omit<Person, 'id'>;

function parseAway(cell: string, errors: LineErrors, line: number): AwayPeriod[] {
  const out: AwayPeriod[] = [];
  for (const part of splitList(cell)) {
    const [from, to] = part.split('..').map((d) => parseCalendarDate(d));
    if (!from?.ok || !to?.ok || part.split('..').length !== 2) {
      const problem = (from && !from.ok && from.problem) || (to && !to.ok && to.problem);
      errors.add(line, `away "${part}" must look like 2026-12-21..2027-01-02${problem ? ` (${problem})` : ''}`);
    } else if (from.value > to.value) errors.add(line, `away "${part}" ends before it starts`);
    else out.push({ from: from.value, to: to.value });
  }
  return out;
}

/**
 * The directory file. Roles among councillor, rm, wac, senior_officer, manager, admin; wards and
 * services are catalogue ids; every bad line is reported.
 */
export function parsePeopleCsv(text: string, index: CatalogueIndex): { ok: true; people: NewPerson[] } | { ok: false; errors: string[] } {
  const read = readCsv(text, PEOPLE_HEADER, PEOPLE_OPTIONAL);
  if (!read.ok) return read;
  const errors = new LineErrors();
  const people: NewPerson[] = [];
  const seen = new Map<string, number>();
  const seenChat = new Map<string, number>();
  for (const { line, cells } of read.rows) {
    const addr = (cells.email ?? '').toLowerCase();
    if (!email.safeParse(addr).success) errors.add(line, `"${cells.email}" is not an email address`);
    if (seen.has(addr)) errors.add(line, `duplicate of line ${seen.get(addr)} (same email)`);
    else seen.set(addr, line);
    if (!cells.name) errors.add(line, 'the name is empty');
    const roles = splitList(cells.roles ?? '');
    if (!roles.length) errors.add(line, `give at least one role (${ROLES.join(', ')})`);
    for (const r of roles) if (!(ROLES as readonly string[]).includes(r)) errors.add(line, `unknown role "${r}" (one of ${ROLES.join(', ')})`);
    const wards = splitList(cells.wards ?? '');
    for (const w of wards) if (!index.ward(w)) errors.add(line, `unknown ward "${w}"`);
    const services = splitList(cells.services ?? '');
    for (const s of services) if (!index.service(s)) errors.add(line, `unknown service "${s}"`);
    for (const [platform, id] of [['slack', cells.slack_user_id], ['teams', cells.teams_user_id]] as const) {
      if (!id) continue;
      const key = `${platform}:${id}`;
      if (seenChat.has(key)) errors.add(line, `${platform} id ${id} is also on line ${seenChat.get(key)}`);
      else seenChat.set(key, line);
    }
    const away = parseAway(cells.away ?? '', errors, line);
    if (errors.has(line)) continue;
    people.push({
      email: addr, name: cells.name!, roles: [...new Set(roles)] as Role[], wardIds: wards.map(asWardId), serviceIds: services.map(asServiceId),
      slackUserId: cells.slack_user_id || null, teamsUserId: cells.teams_user_id || null, away, active: true,
    });
  }
  return errors.size ? { ok: false, errors: errors.list() } : { ok: true, people };
}

/**
 * The directory with the full header (services and away included), in email order, as a people
 * file that imports back unchanged: active people with a role. Guests
 * without roles (accepted strangers, Open311 clients' entries) are wardline's own and left out.
 */
export function exportPeopleCsv(people: Omit<Person, 'id'>[]): string {
  const rows = [...people].filter((p) => p.active && p.roles.length > 0).sort((a, b) => a.email.localeCompare(b.email)).map((p) => [
    p.email, p.name, p.roles.join(';'), p.wardIds.join(';'), p.slackUserId ?? '', p.teamsUserId ?? '',
    p.serviceIds.join(';'), p.away.map((a) => `${a.from}..${a.to}`).join(';'),
  ]);
  return writeCsv([...PEOPLE_HEADER, ...PEOPLE_OPTIONAL], rows);
}
