import type { CatalogueIndex } from '../catalogue/catalogue.js';
import type { Person } from '../directory/person.js';
import type { Role, Scope } from '../shared/enums.js';
import { asServiceId, asWardId, type ServiceId } from '../shared/ids.js';
import type { NewCluster } from './clusters-csv.js';

/** A small believable directory and routing table for `wardline seed --demo` (fictional people). */
export interface DemoData {
  clusters: NewCluster[];
  people: Omit<Person, 'id'>[];
  rules: { serviceId: ServiceId; scope: Scope; area: string | null; rmEmail: string; deputyEmail: string | null }[];
  triageOwnerEmail: string;
}

const DOMAIN = 'birmingham.example';
const CLUSTERS: NewCluster[] = [
  { id: 'erdington-cluster', name: 'Erdington, Gravelly Hill and Stockland Green', wardIds: ['erdington', 'gravelly-hill', 'stockland-green'] },
  { id: 'kingstanding-cluster', name: 'Kingstanding, Oscott and Perry Common', wardIds: ['kingstanding', 'oscott', 'perry-common'] },
  { id: 'sutton-south', name: 'Sutton Trinity, Vesey and Wylde Green', wardIds: ['sutton-trinity', 'sutton-vesey', 'sutton-wylde-green'] },
  { id: 'small-heath-cluster', name: 'Small Heath, Bordesley Green and Heartlands', wardIds: ['small-heath', 'bordesley-green', 'heartlands'] },
  { id: 'moseley-cluster', name: 'Moseley, Balsall Heath West and Sparkhill', wardIds: ['moseley', 'balsall-heath-west', 'sparkhill'] },
  { id: 'ladywood-cluster', name: 'Ladywood, Soho & Jewellery Quarter and Newtown', wardIds: ['ladywood', 'soho-jewellery-quarter', 'newtown'] },
];

type P = [local: string, name: string, roles: Role[], wards: string[], services?: string[], slack?: string, teams?: string];
const PEOPLE: P[] = [
  ['cllr.hussain', 'Cllr Amina Hussain', ['councillor'], ['erdington'], [], 'U0DEMO0001', '6f1c2d3e-0001-4a5b-8c9d-000000000001'],
  ['cllr.whitfield', 'Cllr Robert Whitfield', ['councillor'], ['erdington']],
  ['cllr.ellis', 'Cllr Trevor Ellis', ['councillor'], ['kingstanding'], [], 'U0DEMO0002'],
  ['cllr.dorsett', 'Cllr Paula Dorsett', ['councillor'], ['sutton-trinity']],
  ['cllr.latif', 'Cllr Abdul Latif', ['councillor'], ['small-heath'], [], undefined, '6f1c2d3e-0001-4a5b-8c9d-000000000004'],
  ['cllr.mcdonald', 'Cllr Siobhan McDonald', ['councillor'], ['moseley']],
  ['cllr.adeyemi', 'Cllr Kemi Adeyemi', ['councillor'], ['ladywood']],
  ['cllr.brennan', 'Cllr Liam Brennan', ['councillor'], ['bournbrook-selly-park', 'weoley-selly-oak']],
  ['rm.waste.erdington', 'Dev Patel', ['rm'], [], [], 'U0DEMO0010'],
  ['rm.waste.city', 'Helen Price', ['rm'], []],
  ['rm.streets.north', 'Marcus Grant', ['rm'], []],
  ['rm.streets.city', 'Yasmin Akhtar', ['rm'], []],
  ['rm.refuse', 'Gareth Lloyd', ['rm'], []],
  ['rm.highways', 'Joanna Kowalski', ['rm'], [], [], 'U0DEMO0013'],
  ['rm.amey', 'Chris Barker', ['rm'], []],
  ['rm.parking', 'Nadia Rahman', ['rm'], []],
  ['rm.housing.north', 'Olu Bankole', ['rm'], []],
  ['rm.housing.city', 'Sarah Finch', ['rm'], []],
  ['rm.safety', 'Imran Saeed', ['rm'], [], [], undefined, '6f1c2d3e-0001-4a5b-8c9d-000000000020'],
  ['rm.parks', 'Rachel Moore', ['rm'], []],
  ['rm.dogs', 'Tom Hughes', ['rm'], []],
  ['rm.envhealth', 'Priya Nair', ['rm'], []],
  ['rm.libraries', 'Ben Carter', ['rm'], []],
  ['rm.leisure', 'Grace Obi', ['rm'], []],
  ['wac.north', 'Nadia Okafor', ['wac'], ['erdington', 'gravelly-hill', 'stockland-green', 'kingstanding', 'oscott', 'perry-common']],
  ['wac.east', 'Tariq Mahmood', ['wac'], ['small-heath', 'bordesley-green', 'heartlands']],
  ['wac.south', 'Eleanor Shaw', ['wac'], ['moseley', 'balsall-heath-west', 'sparkhill']],
  ['so.north', 'Dr Karen Willis', ['senior_officer'], ['erdington', 'gravelly-hill', 'stockland-green', 'kingstanding', 'oscott', 'perry-common', 'sutton-trinity']],
  ['so.central', 'Michael Osei', ['senior_officer'], ['small-heath', 'bordesley-green', 'heartlands', 'ladywood', 'soho-jewellery-quarter', 'newtown', 'moseley', 'balsall-heath-west', 'sparkhill']],
  ['mgr.streets', 'Angela Reid', ['manager'], [], ['street-cleaning', 'refuse-collection', 'waste-enforcement']],
  ['mgr.transport', 'Paul Jennings', ['manager'], [], ['highways-engineering', 'highways-maintenance', 'parking-enforcement']],
  ['mgr.housing', 'Fatima Begum', ['manager'], [], ['housing-management']],
  ['mgr.protection', 'Steven Cole', ['manager'], [], ['community-safety', 'dog-wardens', 'environmental-health']],
  ['mgr.parks', 'Laura Dixon', ['manager'], [], ['parks', 'libraries', 'health-wellbeing']],
  ['al.north', 'Cllr Margaret Hale (Assistant Leader, north)', ['councillor', 'manager'], ['erdington', 'kingstanding', 'sutton-trinity']],
  ['admin', 'Wardline Admin', ['admin'], [], [], 'U0DEMOADMN'],
];

type R = [service: string, scope: Scope, area: string | null, rm: string, deputy: string | null];
const RULES: R[] = [
  ['waste-enforcement', 'ward', 'erdington', 'rm.waste.erdington', 'rm.waste.city'],
  ['waste-enforcement', 'city', null, 'rm.waste.city', 'rm.waste.erdington'],
  ['street-cleaning', 'district', 'erdington', 'rm.streets.north', 'rm.streets.city'],
  ['street-cleaning', 'district', 'sutton-coldfield', 'rm.streets.north', 'rm.streets.city'],
  ['street-cleaning', 'city', null, 'rm.streets.city', 'rm.streets.north'],
  ['refuse-collection', 'city', null, 'rm.refuse', 'rm.streets.city'],
  ['highways-engineering', 'city', null, 'rm.highways', null],
  ['highways-maintenance', 'city', null, 'rm.amey', 'rm.highways'],
  ['parking-enforcement', 'city', null, 'rm.parking', null],
  ['housing-management', 'cluster', 'erdington-cluster', 'rm.housing.north', 'rm.housing.city'],
  ['housing-management', 'cluster', 'kingstanding-cluster', 'rm.housing.north', 'rm.housing.city'],
  ['housing-management', 'city', null, 'rm.housing.city', 'rm.housing.north'],
  ['community-safety', 'city', null, 'rm.safety', null],
  ['parks', 'city', null, 'rm.parks', null],
  ['dog-wardens', 'city', null, 'rm.dogs', 'rm.envhealth'],
  ['environmental-health', 'city', null, 'rm.envhealth', 'rm.dogs'],
  ['libraries', 'city', null, 'rm.libraries', null],
  ['health-wellbeing', 'cluster', 'erdington-cluster', 'rm.leisure', null],
  ['health-wellbeing', 'city', null, 'rm.leisure', null],
];

export function buildDemoData(index: CatalogueIndex): DemoData {
  const email = (local: string) => `${local}@${DOMAIN}`;
  const known = (w: string) => !!index.ward(w);
  return {
    clusters: CLUSTERS.map((c) => ({ ...c, wardIds: c.wardIds.filter(known) })).filter((c) => c.wardIds.length),
    people: PEOPLE.map(([local, name, roles, wards, services = [], slack, teams]) => ({
      email: email(local), name, roles, wardIds: wards.filter(known).map(asWardId), serviceIds: services.map(asServiceId),
      slackUserId: slack ?? null, teamsUserId: teams ?? null, away: [], active: true,
    })),
    rules: RULES.filter(([, scope, area]) => scope !== 'district' || !!index.districtById.get(area!))
      .map(([service, scope, area, rm, deputy]) => ({ serviceId: asServiceId(service), scope, area, rmEmail: email(rm), deputyEmail: deputy ? email(deputy) : null })),
    triageOwnerEmail: email('admin'),
  };
}
