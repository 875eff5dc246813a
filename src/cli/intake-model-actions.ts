import { loadConfig } from '../config.js';
import { formatLondonIso } from '../cases/sla.js';
import type { Figures } from '../intake/learning/cross-compare.js';
import { MEASURE_LABELS, type Check } from '../intake/learning/verdict.js';
import type { Measures } from '../intake/model/evaluate.js';
import type { RetrainReport } from '../retraining/retrain-intake.js';
import { AppError } from '../shared/errors.js';
import { cliActor } from './audit-cli.js';
import { withCore } from './context.js';
import { positiveIntOption } from './option-values.js';
import { printJson } from './output.js';

const f3 = (x: number) => x.toFixed(3);

/** `wardline intake retrain`: a candidate from the shipped and the council's examples, adopted only when it is not worse. */
export function retrain(opts: { json?: boolean; folds: string; actor?: string }): Promise<void> {
  const folds = positiveIntOption('--folds', opts.folds);
  if (folds < 2 || folds > 20) throw new AppError('input.invalid', `--folds ${folds}: give between 2 and 20 folds.`);
  return withCore(async (core) => {
    const { runIntakeRetrain } = await import('../retraining/retrain-intake.js');
    const { countCouncilExamples } = await import('../db/intake-examples-repo.js');
    const counts = await countCouncilExamples(core.dbh.db);
    const report = await runIntakeRetrain({ db: core.dbh.db, clock: core.clock }, { actor: cliActor(opts.actor), folds });
    if (opts.json) return printJson(report);
    printRetrain(report, counts);
  });
}

function printRetrain(r: RetrainReport, counts: { corrections: number; answers: number }): void {
  if (r.outcome === 'nothing_new') {
    return console.log(`Nothing new to learn from: the model in use (${r.inUse}) was trained on all ${r.councilExamples} of this council's examples. Corrections and answers to questions add more.`);
  }
  const c = r.comparison;
  console.log(`Candidate trained on the shipped examples and ${r.councilExamples} of this council's (${counts.corrections} from corrections, ${counts.answers} from answers to questions) in ${r.seconds.toFixed(1)} s.`);
  console.log(`${c.folds}-fold cross-validation (seed ${c.seed}), the same folds for both models: ${c.heldOut.shipped} shipped messages and ${c.heldOut.council} of this council's held out in turn.`);
  console.log(table(r.verdict.checks, c.inUse, c.candidate));
  const sc = r.verdict.score;
  console.log(`Score: model in use ${f3(sc.inUse)}, candidate ${f3(sc.candidate)} — ${sc.ok ? 'not worse' : 'WORSE'}.`);
  if (c.candidate.council && c.inUse.council) {
    console.log(`This council's messages only: ${short(c.inUse.council)}  →  candidate ${short(c.candidate.council)}`);
  }
  const own = r.verdict.council;
  if (own) console.log(`Reads this council's own messages no worse (exact ward+service)? ${own.ok ? 'yes' : 'NO'} (worse − better = ${own.worse - own.better}, at most ${own.allowed}).`);
  if (r.outcome === 'adopted') {
    console.log(`Adopted: ${r.version} is now in use (running wardline processes switch to it within a second; \`wardline intake rollback VERSION\` switches back).`);
  } else {
    const failed = [...(r.verdict.score.ok ? [] : ['the score']), ...r.verdict.checks.filter((k) => !k.ok).map((k) => MEASURE_LABELS[k.measure]),
      ...(r.verdict.council?.ok === false ? ["this council's own messages"] : [])].join(', ');
    console.log(`Refused: the candidate is worse on ${failed}; ${r.inUse} stays in use. (${r.version} keeps the figures.)`);
  }
}

function table(checks: Check[], inUse: Figures, cand: Figures): string {
  const rows = [['measure', 'model in use', 'candidate', 'better', 'worse', 'not worse?']];
  for (const k of checks) {
    const extra = k.measure === 'misroute' ? (m: Measures) => ` of ${m.casesOpened}` : () => '';
    rows.push([MEASURE_LABELS[k.measure], f3(k.inUse) + extra(inUse.all), f3(k.candidate) + extra(cand.all), String(k.better), String(k.worse),
      `${k.ok ? 'yes' : 'NO'} (worse − better = ${k.worse - k.better}, at most ${k.allowed})`]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  return [...lines,
    'Not worse means both: (1) score = exact + chatter ignored + clarify asked − 5 × misroute at least the model in use\'s;',
    '(2) on each measure, the held-out messages it gets wrong that the model in use got right (misroute: more wrong cases) outnumber the reverse by at most 2·√(both);',
    '(3) the same test on exact ward+service over this council\'s own held-out messages.'].join('\n');
}

const short = (m: Measures) => `exact ${f3(m.exact)}, misroute ${f3(m.misroute)} of ${m.casesOpened}, chatter ignored ${f3(m.chatterIgnored)}, clarify asked ${f3(m.clarifyAsked)} (${m.n} messages)`;

/** `wardline intake models`: the stored versions, which is in use and since when, and their figures. */
export function listModels(opts: { json?: boolean }): Promise<void> {
  const zone = loadConfig().TZ_COUNCIL;
  return withCore(async (core) => {
    const { listIntakeModels } = await import('../db/intake-models-repo.js');
    const { loadShippedModel } = await import('../intake/model/intake-model.js');
    const { countCouncilExamples } = await import('../db/intake-examples-repo.js');
    const rows = await listIntakeModels(core.dbh.db);
    const shipped = loadShippedModel().version;
    const inUse = rows.find((r) => r.inUse && r.baseVersion === shipped);
    const counts = await countCouncilExamples(core.dbh.db);
    if (opts.json) return printJson({ inUse: inUse?.version ?? shipped, shipped, councilExamples: counts, models: rows });
    console.log(`In use: ${inUse ? `${inUse.version} (since ${formatLondonIso(inUse.inUseSince ?? inUse.createdAt, zone)})` : `the shipped model ${shipped}`}. This council's examples: ${counts.examples} (${counts.corrections} from corrections, ${counts.answers} from answers).`);
    if (!rows.length) return console.log('No retrained models yet: `wardline intake retrain` makes one (the worker also tries weekly).');
    console.log(['', 'version', 'outcome', 'trained', 'by', 'council examples', 'cross-validated: exact / misroute / chatter ignored / clarify asked (candidate vs the model then in use)'].join('\t'));
    for (const r of rows) {
      const fig = r.figures as { comparedWith?: string; candidate?: Figures; inUse?: Figures };
      const cv = fig.candidate && fig.inUse ? `${four(fig.candidate.all)} vs ${four(fig.inUse.all)} (${fig.comparedWith})` : '';
      const mark = r.inUse ? (r.baseVersion === shipped ? '*' : '(*)') : '';
      console.log([mark, r.version, r.outcome, formatLondonIso(r.createdAt, zone), r.createdBy, String(r.councilExamples), cv].join('\t'));
    }
    console.log(`\n* in use. shipped ${shipped}: used when no stored model is in use (\`wardline intake rollback shipped\`).`);
    if (rows.some((r) => r.inUse && r.baseVersion !== shipped)) console.log('(*) chosen, but trained on another shipped model: the shipped one is used until `wardline intake retrain`.');
  });
}

const four = (m: Measures) => `${f3(m.exact)} / ${f3(m.misroute)} / ${f3(m.chatterIgnored)} / ${f3(m.clarifyAsked)}`;

/** `wardline intake rollback VERSION`: another stored version, or `shipped`, in use. */
export function rollback(version: string, opts: { actor?: string }): Promise<void> {
  return withCore(async (core) => {
    const { rollbackIntakeModel } = await import('../retraining/retrain-intake.js');
    const r = await rollbackIntakeModel({ db: core.dbh.db, clock: core.clock }, version.trim(), cliActor(opts.actor));
    console.log(`In use now: ${r.inUse}. Running wardline processes switch within a second.`);
  });
}
