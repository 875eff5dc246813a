import { CardFactory, type Activity, type TaskModuleTaskInfo } from 'botbuilder';
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { canView } from '../../cases/authorisation.js';
import type { CaseContext } from '../../cases/case-service.js';
import { caseRepoOn } from '../../db/case-store.js';
import type { Db } from '../../db/client.js';
import { findPersonByChatId } from '../../db/directory-repo.js';
import { normaliseText } from '../../intake/normalise.js';
import { parseMessage } from '../../intake/parse-message.js';
import { asCaseId } from '../../shared/ids.js';
import { caseView, confirmationCard, rmCard } from '../messages.js';
import type { PickList } from '../pick-list.js';
import { renderTeamsMessage } from './teams-cards.js';

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** "Escalate this message": a task module pre-filled from what wardline understood, for the councillor to confirm. */
export async function escalateTask(a: Partial<Activity>, deps: { loadContext: () => Promise<CaseContext>; db: Db; lists: () => Promise<PickList> }): Promise<TaskModuleTaskInfo> {
  const payload = (a.value as Loose)?.messagePayload;
  const text = normaliseText(String(payload?.body?.content ?? ''), 3000);
  const ctx = await deps.loadContext();
  const personId = await findPersonByChatId(deps.db, 'teams', String((a.from as Loose)?.aadObjectId ?? a.from?.id ?? ''));
  const person = personId ? ctx.directory.byId.get(personId) : undefined;
  const r = parseMessage({ text, platform: 'teams' }, { sender: { role: person?.roles[0] ?? null, wards: person?.wardIds ?? [] }, catalogue: ctx.index.catalogue, streets: ctx.streets, model: ctx.intakeModel });
  const ward = r.cases[0]?.ward ?? r.draft?.ward ?? '';
  const service = r.cases[0]?.service ?? r.draft?.service ?? '';
  const lists = await deps.lists();
  const choice = (id: string, label: string, list: { id: string; name: string }[], value: string) => ({
    type: 'Input.ChoiceSet', id, label, style: 'filtered', value, choices: list.slice(0, 100).map((x) => ({ title: x.name, value: x.id })),
  });
  return {
    title: 'Escalate to an RM', height: 'medium', width: 'medium',
    card: CardFactory.adaptiveCard({
      type: 'AdaptiveCard', version: '1.5', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      body: [
        { type: 'Input.Text', id: 'text', label: 'What is wrong, and where?', isMultiline: true, maxLength: 3000, value: text, isRequired: true, errorMessage: 'Say what is wrong and where.' },
        choice('ward', 'Ward', lists.wards, ward),
        choice('service', 'Service', lists.services, service),
      ],
      actions: [{ type: 'Action.Submit', title: 'Escalate' }],
    }),
  };
}

/** What someone who may not see the case gets on refresh: the same whether it exists or not. */
export const NOT_AVAILABLE_CARD: AdaptiveCard = {
  type: 'AdaptiveCard', version: '1.5', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  body: [{ type: 'TextBlock', text: 'This case is not available to you.', wrap: true }],
};

/**
 * Universal Actions refresh: the card as its cases stand now, for the person viewing it. The case
 * ids come from the client, so only cases that person may see are shown (canView); with none, a
 * neutral card.
 */
export async function refreshCard(
  deps: { db: Db; zone: string; loadContext: () => Promise<CaseContext>; lists: () => Promise<PickList> },
  value: string, viewerExternalId: string,
): Promise<AdaptiveCard | string> {
  let spec: { kind?: string; caseIds?: string[] };
  try {
    spec = JSON.parse(value) as typeof spec;
  } catch {
    return 'This card cannot be refreshed.';
  }
  const ctx = await deps.loadContext();
  const viewerId = viewerExternalId ? await findPersonByChatId(deps.db, 'teams', viewerExternalId) : null;
  const viewer = viewerId ? ctx.directory.byId.get(viewerId) : undefined;
  if (!viewer) return NOT_AVAILABLE_CARD;
  const repo = caseRepoOn(deps.db);
  const ids = Array.isArray(spec.caseIds) ? spec.caseIds.slice(0, 20).map(String) : [];
  const found = await Promise.all(ids.map((id) => repo.getCase(asCaseId(id)).catch(() => null)));
  const visible = found.filter((c) => c !== null && canView(viewer, c));
  const views = visible.map((c) => caseView(c!, ctx.index, ctx.directory, deps.zone));
  if (!views.length) return NOT_AVAILABLE_CARD;
  const message = spec.kind === 'case_card' ? rmCard(views[0]!) : confirmationCard(views);
  return renderTeamsMessage(message, await deps.lists()).activity.attachments![0]!.content as AdaptiveCard;
}
