import type { CouncilExample } from '../../src/intake/learning/council-examples.js';

const STREETS = ['Slade Road', 'Wood End Road', 'Orphanage Road', 'Gravelly Lane', 'Marsh Lane', 'Holly Lane', 'Sutton Road', 'Kingsbury Road',
  'Short Heath Road', 'Edwards Road', 'Station Road', 'Chester Road', 'Tyburn Road', 'Reservoir Road', 'Summer Road', 'Goosemoor Lane'];
const SAYINGS = [
  (s: string) => `the green crew never came down ${s}, Erdington this week`,
  (s: string) => `green crew missed ${s} again, residents asking why`,
  (s: string) => `can the green crew get to ${s} in Erdington please, third week running`,
  (s: string) => `${s}: no sign of the green crew since the 4th`,
];

/**
 * A council's own word for a service that the shipped model has never seen: "the green crew" is
 * this council's garden-waste round (refuse collection). Consistently labelled, as corrections
 * by the council's officers would be.
 */
export function greenCrewExamples(n: number, firstId = 1): CouncilExample[] {
  return Array.from({ length: n }, (_, i) => ({
    id: firstId + i, text: SAYINGS[i % SAYINGS.length]!(STREETS[i % STREETS.length]!), platform: 'slack', channelName: 'escalations',
    senderRole: 'councillor', senderWards: ['erdington'], kind: 'escalation' as const,
    cases: [{ ward: 'erdington', service: 'refuse-collection' }], missing: [],
  }));
}

const PROBLEMS = ['fly-tipping', 'a pothole', 'the bins were not collected', 'graffiti', 'street light out', 'dog fouling', 'drug dealing',
  'overgrown grass in the park', 'rats in the alley', 'cars parked on the double yellows'];
const SERVICES = ['street-cleaning', 'refuse-collection', 'waste-enforcement', 'highways-engineering', 'highways-maintenance', 'parking-enforcement',
  'housing-management', 'community-safety', 'parks', 'dog-wardens', 'environmental-health', 'libraries', 'planning'];

/**
 * Deliberately wrong labels: plain problems, each labelled with a service that does not take it,
 * and the same problem with a different wrong service each time — a candidate trained on them can
 * only get worse.
 */
export function wrongLabelExamples(n: number, firstId = 1): CouncilExample[] {
  return Array.from({ length: n }, (_, i) => {
    const problem = PROBLEMS[i % PROBLEMS.length]!;
    const service = SERVICES[(i * 7 + Math.floor(i / PROBLEMS.length)) % SERVICES.length]!;
    return {
      id: firstId + i, text: `${problem} on ${STREETS[i % STREETS.length]}, Erdington, please sort`, platform: 'slack', channelName: 'escalations',
      senderRole: 'councillor', senderWards: ['erdington'], kind: 'escalation' as const, cases: [{ ward: 'erdington', service }], missing: [],
    };
  });
}
