import { z } from 'zod';
import type { CaseRecord } from '../../cases/case-record.js';
import { isMemberOnCase, isStaffOnCase } from '../../cases/authorisation.js';
import { CASE_STATUSES, type CaseStatus } from '../../shared/enums.js';
import { AppError } from '../../shared/errors.js';
import { asCaseId, asPersonId, asServiceId, asWardId, type CaseId } from '../../shared/ids.js';
import { matchService, matchWard } from '../../intake/match-names.js';
import type { ActionEvent, FlowDeps, Turn } from './flow-kit.js';

/** A route form's answer: ids, or names typed by hand. */
const routeInput = z.object({ serviceId: z.string().optional(), wardId: z.string().optional(), service: z.string().optional(), ward: z.string().optional() });

function parseValue(value: string): { caseId: CaseId; status: CaseStatus | null } {
  const [id, status] = value.split(':');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('input.invalid', 'That button is not one wardline recognises any more; use the newest card.');
  return { caseId: asCaseId(id), status: (CASE_STATUSES as readonly string[]).includes(status ?? '') ? status as CaseStatus : null };
}

function requireInput(input: string | null, what: string): string {
  const text = input?.trim();
  if (!text) throw new AppError('input.invalid', `Add ${what} first; nothing was changed.`);
  return text;
}

/** The button actions on case cards and confirmations. Every refusal is an explanation; nothing changes. */
export function createCaseActions(deps: FlowDeps) {
  const { cases } = deps;

  function routeTarget(turn: Turn, input: string | null) {
    const raw = requireInput(input, 'the right service or ward');
    let parsed: z.infer<typeof routeInput>;
    try {
      parsed = routeInput.parse(JSON.parse(raw));
    } catch {
      parsed = { service: raw, ward: raw };
    }
    const cat = turn.ctx.index.catalogue;
    const serviceId = parsed.serviceId || (parsed.service ? matchService(parsed.service, cat) : null);
    const wardId = parsed.wardId || (parsed.ward ? matchWard(parsed.ward, cat) : null);
    if (!serviceId && !wardId) throw new AppError('input.invalid', 'I could not tell which service or ward you meant; pick them from the lists.');
    return { ...(serviceId ? { serviceId: asServiceId(serviceId) } : {}), ...(wardId ? { wardId: asWardId(wardId) } : {}) };
  }

  function findAssignee(turn: Turn, input: string | null) {
    const raw = requireInput(input, 'the person to reassign to');
    const dir = turn.ctx.directory;
    const p = dir.byId.get(raw) ?? dir.byEmail.get(raw.toLowerCase()) ?? dir.people.find((x) => x.name.toLowerCase() === raw.toLowerCase());
    if (!p) throw new AppError('directory.unknown_person', `There is nobody called "${raw}" in the directory.`);
    return p;
  }

  async function run(turn: Turn, ev: ActionEvent): Promise<CaseRecord> {
    const { caseId, status } = parseValue(ev.value);
    const me = asPersonId(turn.person.id);
    const expect = status ? { expectedStatus: status } : {};
    switch (ev.actionId) {
      case 'case.acknowledge': return cases.acknowledge(caseId, me, expect);
      case 'case.update': return cases.addUpdate(caseId, me, requireInput(ev.input, 'the update'));
      case 'case.need_info': return cases.requestInfo(caseId, me, requireInput(ev.input, 'your question'));
      case 'case.resolve': return cases.resolve(caseId, me, ev.input?.trim() ?? '', expect);
      case 'case.reassign': return cases.reassign(caseId, me, asPersonId(findAssignee(turn, ev.input).id));
      case 'case.wrong_route': case 'case.edit':
        return cases.reroute(caseId, me, routeTarget(turn, ev.input), ev.actionId === 'case.edit' ? 'Corrected by the councillor' : 'Wrong route', { recordCorrection: true, ...expect });
      case 'case.cancel': return cases.close(caseId, me, 'Withdrawn by the councillor who raised it', expect);
      case 'case.reopen': return cases.reopen(caseId, me, requireInput(ev.input, 'why it is not fixed'));
      default: throw new AppError('input.invalid', 'That button is not one wardline recognises.');
    }
  }

  const DONE: Partial<Record<ActionEvent['actionId'], (ref: string) => string>> = {
    'case.acknowledge': (r) => `You acknowledged ${r}.`,
    'case.update': (r) => `Your update is on ${r} and the councillor has it.`,
    'case.need_info': (r) => `${r} is waiting for the councillor's answer; the clock is paused.`,
    'case.resolve': (r) => `${r} is resolved; the councillor has been told.`,
    'case.reassign': (r) => `${r} has been reassigned.`,
    'case.wrong_route': (r) => `${r} has been rerouted and the councillor told.`,
    'case.edit': (r) => `${r} has been corrected and rerouted.`,
    'case.cancel': (r) => `${r} has been withdrawn.`,
    'case.reopen': (r) => `${r} is reopened and back with the RM.`,
  };

  return {
    async handle(turn: Turn, ev: ActionEvent): Promise<void> {
      const c = await run(turn, ev);
      turn.ephemeral = DONE[ev.actionId]?.(c.reference) ?? null;
    },
    /** Who may press a case button at all (the service checks the action itself). */
    involved: (turn: Turn, c: CaseRecord) => isStaffOnCase(turn.person, c) || isMemberOnCase(turn.person, c),
  };
}
