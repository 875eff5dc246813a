import { CatalogueIndex } from '../catalogue/catalogue.js';
import { recordAudit } from '../db/audit-repo.js';
import { loadCatalogue, replaceClusters } from '../db/catalogue-repo.js';
import { loadPeople, replacePeople } from '../db/directory-repo.js';
import { replaceRoutingTable, setTriageOwner } from '../db/routing-repo.js';
import { buildDirectory } from '../directory/person.js';
import { buildDemoData } from '../routing/demo-directory.js';
import { exportRoutesCsv, parseRoutesCsv } from '../routing/routes-csv.js';
import { AppError } from '../shared/errors.js';
import { cliActor } from './audit-cli.js';
import { withCore } from './context.js';

/** `wardline migrate`: opening the core applies the migrations and loads the catalogue. */
export const migrate = () => withCore(async (core) => {
  console.log(`Database is up to date (${core.dbh.kind}).`);
});

/** `wardline seed --demo`. */
export function seed(opts: { demo?: boolean; actor?: string }): Promise<void> {
  if (!opts.demo) throw new AppError('input.invalid', 'Say what to seed: "wardline seed --demo".');
  return withCore(async (core) => {
    const demo = buildDemoData(new CatalogueIndex(await loadCatalogue(core.dbh.db)));
    await core.dbh.db.transaction(async (tx) => {
      await replaceClusters(tx, demo.clusters);
      await replacePeople(tx, demo.people);
      const withClusters = new CatalogueIndex(await loadCatalogue(tx));
      const directory = buildDirectory(await loadPeople(tx));
      // The demo table goes through the same validation as an imported file.
      const parsed = parseRoutesCsv(exportRoutesCsv(demoRules(demo.rules, directory), directory), withClusters, directory);
      if (!parsed.ok) throw new AppError('csv.invalid', `The demo routing table is invalid:\n${parsed.errors.join('\n')}`);
      await replaceRoutingTable(tx, parsed.rules, { source: 'seed --demo', at: core.clock.now() });
      const triage = directory.byEmail.get(demo.triageOwnerEmail.toLowerCase());
      if (triage) await setTriageOwner(tx, triage.id);
      await recordAudit(tx, { actor: cliActor(opts.actor), action: 'seed.demo', detail: { people: demo.people.length, clusters: demo.clusters.length, rules: demo.rules.length } }, core.clock.now());
    });
    console.log(`Demo data loaded: ${demo.people.length} people, ${demo.clusters.length} clusters, ${demo.rules.length} routing rules.`);
  });
}

type DemoRule = ReturnType<typeof buildDemoData>['rules'][number];

function demoRules(rules: DemoRule[], directory: ReturnType<typeof buildDirectory>) {
  return rules.map((r, i) => {
    const rm = directory.byEmail.get(r.rmEmail.toLowerCase());
    const deputy = r.deputyEmail ? directory.byEmail.get(r.deputyEmail.toLowerCase()) : undefined;
    if (!rm) throw new AppError('csv.invalid', `Demo rule ${i + 1} names an unknown RM ${r.rmEmail}.`);
    return { id: String(i), serviceId: r.serviceId, scope: r.scope, area: r.area, rmId: rm.id, deputyId: deputy?.id ?? null };
  });
}
