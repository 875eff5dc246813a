import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CatalogueIndex } from '../../../src/catalogue/catalogue.js';
import { loadDefaultCatalogue } from '../../../src/catalogue/default-catalogue.js';
import { buildDirectory, type Person } from '../../../src/directory/person.js';
import { exportPeopleCsv, parsePeopleCsv } from '../../../src/directory/people-csv.js';
import { exportClustersCsv, parseClustersCsv } from '../../../src/routing/clusters-csv.js';
import { buildDemoData } from '../../../src/routing/demo-directory.js';
import { resolveContacts, routeCase } from '../../../src/routing/route-case.js';
import { exportRoutesCsv, parseRoutesCsv } from '../../../src/routing/routes-csv.js';
import type { RoutingTable } from '../../../src/routing/routing-table.js';
import { asClusterId, asPersonId, asServiceId, asWardId } from '../../../src/shared/ids.js';

const base = loadDefaultCatalogue();
const index = new CatalogueIndex({ ...base, clusters: [{ id: asClusterId('north-east'), name: 'NE', wardIds: [asWardId('erdington'), asWardId('gravelly-hill')] }] });
const person = (id: string, roles: Person['roles'], extra: Partial<Person> = {}): Person => ({
  id: asPersonId(id), email: `${id}@birmingham.example`, name: id, roles, wardIds: [], serviceIds: [], slackUserId: null, teamsUserId: null, away: [], active: true, ...extra,
});
const people = [person('ward', ['rm']), person('cluster', ['rm']), person('district', ['rm']), person('city', ['rm']), person('deputy', ['rm']), person('triage', ['admin'])];
const directory = buildDirectory(people);
const rule = (id: string, scope: 'ward' | 'cluster' | 'district' | 'city', area: string | null, rm: string, deputy: string | null = null) =>
  ({ id, serviceId: asServiceId('waste-enforcement'), scope, area, rmId: asPersonId(rm), deputyId: deputy ? asPersonId(deputy) : null });
const table: RoutingTable = {
  version: 3, triageOwnerId: asPersonId('triage'),
  rules: [rule('r1', 'ward', 'erdington', 'ward', 'deputy'), rule('r2', 'cluster', 'north-east', 'cluster'), rule('r3', 'district', 'erdington', 'district'), rule('r4', 'city', null, 'city')],
};
const q = (ward: string, onDate = '2026-11-23') => ({ serviceId: asServiceId('waste-enforcement'), wardId: asWardId(ward), onDate });

describe('routeCase', () => {
  it('lets a ward rule beat a cluster rule beat a district rule beat a city rule', () => {
    expect(routeCase(table, index, directory, q('erdington'))).toMatchObject({ kind: 'routed', ruleId: 'r1', assigneeId: 'ward' });
    expect(routeCase(table, index, directory, q('gravelly-hill'))).toMatchObject({ ruleId: 'r2', scope: 'cluster' });
    expect(routeCase(table, index, directory, q('kingstanding'))).toMatchObject({ ruleId: 'r3', scope: 'district' });
    expect(routeCase(table, index, directory, q('ladywood'))).toMatchObject({ ruleId: 'r4', scope: 'city', version: 3 });
  });

  it('hands the case to the deputy while the RM is away', () => {
    const away = buildDirectory(people.map((p) => (p.id === 'ward' ? { ...p, away: [{ from: '2026-11-20', to: '2026-11-27' }] } : p)));
    expect(routeCase(table, index, away, q('erdington'))).toMatchObject({ rmId: 'ward', assigneeId: 'deputy' });
    expect(routeCase(table, index, away, q('erdington', '2026-11-28'))).toMatchObject({ assigneeId: 'ward' });
  });

  it('sends what no rule covers to the triage owner with a reason', () => {
    const r = routeCase(table, index, directory, { ...q('erdington'), serviceId: asServiceId('libraries') });
    expect(r).toMatchObject({ kind: 'unrouted', assigneeId: 'triage' });
    expect(r.reason).toMatch(/No rule for libraries/);
  });

  it('never throws and only returns rules whose area holds the ward (property)', () => {
    const wards = base.wards.map((w) => w.id as string);
    fc.assert(fc.property(fc.oneof(fc.constantFrom(...wards), fc.string()), fc.oneof(fc.constant('waste-enforcement'), fc.string()), (w, s) => {
      const r = routeCase(table, index, directory, { serviceId: asServiceId(s), wardId: asWardId(w), onDate: '2026-11-23' });
      if (r.kind === 'unrouted') return true;
      const areas = index.areasOfWard(asWardId(w));
      return r.scope === 'city' || r.area === w || areas.clusters.includes(asClusterId(r.area!)) || areas.district === r.area;
    }));
  });
});

describe('routes CSV', () => {
  const header = 'service,scope,area,rm,deputy\n';
  it('reports every bad line with its number and returns nothing', () => {
    const text = `${header}waste-enforcement,ward,erdington,ward@birmingham.example,\nnope,ward,erdington,ward@birmingham.example,\nparks,county,,city@birmingham.example,\nparks,city,erdington,city@birmingham.example,\nparks,ward,,city@birmingham.example,\nwaste-enforcement,ward,erdington,city@birmingham.example,\n`;
    const r = parseRoutesCsv(text, index, directory);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.split(':')[0])).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
    expect(r.errors[4]).toMatch(/conflicts with line 2/);
  });

  it('counts lines inside quoted cells and tolerates a BOM, CRLF and blank lines', () => {
    const text = `\uFEFF${header.replace('\n', '\r\n')}"waste-enforcement",ward,erdington,ward@birmingham.example,\r\n\r\n"par\nks",city,,city@birmingham.example,\r\nparks,city,,nobody@birmingham.example,\r\n`;
    const r = parseRoutesCsv(text, index, directory);
    expect(r.ok ? [] : r.errors.map((e) => e.split(':')[0])).toEqual(['line 4', 'line 6']);
  });

  it('refuses a wrong header, an empty file and broken quoting clearly', () => {
    const bad = (t: string) => { const r = parseRoutesCsv(t, index, directory); return r.ok ? '' : r.errors.join('\n'); };
    expect(bad('service,area,scope,rm,deputy\n')).toMatch(/line 1: the header must be service,scope,area,rm,deputy/);
    expect(bad('')).toMatch(/empty/);
    expect(bad(`${header}parks,city,,"city@birmingham.example\n`)).toMatch(/^line \d+: .*[Qq]uote/);
  });

  it('parses 100,000 lines and exports them again byte for byte', () => {
    const wards = base.wards.map((w) => w.id);
    const lines = Array.from({ length: 100_000 }, (_, i) => {
      const svc = base.services[i % base.services.length]!.id;
      return `${svc},ward,${wards[Math.floor(i / base.services.length) % wards.length]},ward@birmingham.example,`;
    });
    const unique = [...new Set(lines)];
    const r = parseRoutesCsv(header + lines.join('\n'), index, directory);
    expect(r.ok).toBe(false); // the generated file repeats rules: every repeat is named
    if (!r.ok) expect(r.errors).toHaveLength(lines.length - unique.length);
    const good = parseRoutesCsv(header + unique.join('\n'), index, directory);
    expect(good.ok && good.rules.length).toBe(unique.length);
    if (!good.ok) return;
    const out = exportRoutesCsv(good.rules, directory);
    const again = parseRoutesCsv(out, index, directory);
    expect(again.ok && exportRoutesCsv(again.rules, directory)).toBe(out);
  });
});

describe('people and clusters CSV', () => {
  it('reads the directory, reports bad lines, and exports what it reads', () => {
    const text = 'email,name,roles,wards,slack_user_id,teams_user_id,services,away\n'
      + 'a@birmingham.example,"Hussain, Amina",councillor,erdington,U1,,,\n'
      + 'b@birmingham.example,Bob,rm;manager,,,,waste-enforcement,2026-12-21..2027-01-02\n';
    const r = parsePeopleCsv(text, index);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.people[1]).toMatchObject({ roles: ['rm', 'manager'], serviceIds: ['waste-enforcement'], away: [{ from: '2026-12-21', to: '2027-01-02' }] });
    expect(exportPeopleCsv(r.people)).toBe(text);
    // Guests without roles (an accepted stranger, an Open311 client's entry) are not the council's to import back.
    const guest = { ...r.people[0]!, email: 'open311-fixmystreet@clients.wardline.invalid', name: 'FixMyStreet (Open311)', roles: [], wardIds: [], slackUserId: null };
    expect(exportPeopleCsv([...r.people, guest])).toBe(text);
    const bad = parsePeopleCsv('email,name,roles,wards,slack_user_id,teams_user_id\nnot-an-email,X,mayor,atlantis,,\na@b.example,Y,rm,,,\nA@b.example,Z,rm,,,\n', index);
    expect(bad.ok ? [] : bad.errors).toEqual([
      'line 2: "not-an-email" is not an email address; unknown role "mayor" (one of councillor, rm, wac, senior_officer, manager, admin); unknown ward "atlantis"',
      'line 4: duplicate of line 3 (same email)',
    ]);
  });

  it('refuses absences on days that do not exist instead of moving them to March', () => {
    const head = 'email,name,roles,wards,slack_user_id,teams_user_id,services,away\n';
    const r = parsePeopleCsv(`${head}b@birmingham.example,Bob,rm,,,,,2026-02-27..2026-02-30;2026-13-01..2026-13-02;2026-03-01\n`, index);
    expect(r.ok ? [] : r.errors).toEqual([
      'line 2: away "2026-02-27..2026-02-30" must look like 2026-12-21..2027-01-02 (February 2026 has 28 days); '
        + 'away "2026-13-01..2026-13-02" must look like 2026-12-21..2027-01-02 (there is no month 13); '
        + 'away "2026-03-01" must look like 2026-12-21..2027-01-02',
    ]);
    const leap = parsePeopleCsv(`${head}b@birmingham.example,Bob,rm,,,,,2028-02-27..2028-02-29\n`, index);
    expect(leap.ok && leap.people[0]!.away).toEqual([{ from: '2028-02-27', to: '2028-02-29' }]);
  });

  it('reads clusters and refuses unknown wards', () => {
    const ok = parseClustersCsv('cluster,name,wards\nnorth,North,erdington;kingstanding\n', index);
    expect(ok.ok && exportClustersCsv(ok.clusters.map((c) => ({ ...c, id: asClusterId(c.id), wardIds: c.wardIds.map(asWardId) })))).toBe('cluster,name,wards\nnorth,North,erdington;kingstanding\n');
    const bad = parseClustersCsv('cluster,name,wards\nNorth East,NE,erdington;atlantis\n', index);
    expect(bad.ok ? [] : bad.errors[0]).toMatch(/^line 2: .*lower-case.*unknown ward "atlantis"/);
  });
});

describe('the demo directory', () => {
  it('is valid and routes Erdington fly-tipping to the Erdington waste-enforcement RM', () => {
    const demo = buildDemoData(new CatalogueIndex(base));
    const clusters = demo.clusters.map((c) => ({ id: asClusterId(c.id), name: c.name, wardIds: c.wardIds.map(asWardId) }));
    const idx = new CatalogueIndex({ ...base, clusters });
    const dir = buildDirectory(demo.people.map((p, i) => ({ ...p, id: asPersonId(`p${i}`) })));
    const csv = exportRoutesCsv(demo.rules.map((r) => ({ ...r, rmId: dir.byEmail.get(r.rmEmail)!.id, deputyId: r.deputyEmail ? dir.byEmail.get(r.deputyEmail)!.id : null })), dir);
    const parsed = parseRoutesCsv(csv, idx, dir);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const t: RoutingTable = { version: 1, triageOwnerId: null, rules: parsed.rules.map((r, i) => ({ ...r, id: `r${i}` })) };
    const d = routeCase(t, idx, dir, q('erdington'));
    expect(d.kind === 'routed' && dir.byId.get(d.assigneeId)?.email).toBe('rm.waste.erdington@birmingham.example');
    expect(resolveContacts(idx, dir, q('erdington')).escalationManagerId).not.toBeNull();
  });
});
