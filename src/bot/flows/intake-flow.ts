import type { CaseRecord, ChatOrigin } from '../../cases/case-record.js';
import type { CaseDraft } from '../../cases/case-service.js';
import { caseRepoOn, lockCaseNumbers, lockWardService } from '../../db/case-store.js';
import { createDraft, getDraft, updateDraft, type Draft, type DraftState } from '../../db/conversation-repo.js';
import { recordClarifyExample } from '../../db/intake-examples-repo.js';
import { matchService, matchWard } from '../../intake/match-names.js';
import { parseMessage } from '../../intake/parse-message.js';
import { asCaseId, asPersonId, asServiceId, asWardId, type ServiceId, type WardId } from '../../shared/ids.js';
import type { ButtonSpec, NeutralMessage } from '../messages.js';
import { notice } from '../messages.js';
import type { FlowDeps, MessageEvent, Turn } from './flow-kit.js';

const MAX_DESCRIPTION = 40_000;
export const DUPLICATE_WINDOW_DAYS = 14;
export const OPEN_STATUSES = ['new', 'routed', 'acknowledged', 'in_progress', 'needs_info', 'reopened'] as const;

const describe = (text: string) => (text.length > MAX_DESCRIPTION
  ? `${text.slice(0, MAX_DESCRIPTION - 60)}\n[… the message was cut at ${MAX_DESCRIPTION.toLocaleString('en-GB')} characters]` : text);

/** "Slade Road, Erdington" and "slade rd" are the same place; house numbers and punctuation aside. */
export function sameLocation(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const norm = (s: string) => s.toLowerCase().replace(/\b(rd)\b/g, 'road').replace(/\b(st)\b/g, 'street').replace(/\b(ave)\b/g, 'avenue')
    .replace(/\b(lane|ln)\b/g, 'lane').replace(/[^a-z ]+/g, ' ').replace(/\b(the|outside|near|by|on|at|junction|with|of|behind)\b/g, ' ').replace(/\s+/g, ' ').trim();
  const x = norm(a);
  const y = norm(b);
  return !!x && !!y && (x === y || x.includes(y) || y.includes(x));
}

/** A problem read from a turn's message as a case to open. */
export function toDraft(turn: Turn, s: { ward: string | null; service: string | null; urgent: boolean; topic: string | null; location: string | null; summary: string; channelName?: string | null }, text: string): CaseDraft {
  return {
    serviceId: s.service ? asServiceId(s.service) : null, wardId: s.ward ? asWardId(s.ward) : null, urgent: s.urgent,
    topic: s.topic, location: s.location, summary: s.summary, description: describe(text), sourcePlatform: turn.address.platform,
    ...(s.channelName !== undefined ? { channelName: s.channelName } : {}),
  };
}

/** Asks "Same as WL-000123?" for a problem that repeats an open case, keeping it as a draft until answered. */
export type DuplicateAsker = (turn: Turn, text: string, s: Omit<DraftState, 'kind' | 'promptKey'>, dup: DuplicateBrief) => Promise<void>;

/** What asking about a duplicate shows of the open case. */
export type DuplicateBrief = Pick<CaseRecord, 'id' | 'reference' | 'serviceId' | 'location' | 'status'>;

export function createIntakeFlow(deps: FlowDeps) {
  const origin = (turn: Turn, cardKey: string): ChatOrigin => ({
    platform: turn.address.platform, channelId: turn.address.channelId, threadId: turn.threadRoot, cardKey,
  });

  async function findDuplicate(wardId: string, serviceId: string, location: string | null): Promise<CaseRecord | null> {
    if (!location) return null;
    const since = deps.clock.now().getTime() - DUPLICATE_WINDOW_DAYS * 86_400_000;
    const open = await caseRepoOn(deps.db).listCases({ wardIds: [wardId], serviceIds: [serviceId], statuses: [...OPEN_STATUSES], limit: 50 });
    return open.find((c) => c.createdAt.getTime() >= since && sameLocation(c.location, location)) ?? null;
  }

  function clarifyPrompt(draftId: string, s: DraftState, candidates: Candidates, unreadable = false): NeutralMessage {
    const buttons: ButtonSpec[] = [];
    let text: string;
    if (!s.service) {
      text = `${unreadable ? 'wardline could not read that message, but it is kept. ' : ''}I can log this${s.ward ? ` for ${wardName(s.ward, candidates)}` : ''}, but which service should take it? Pick one or reply in this thread.`;
      for (const c of candidates.services.slice(0, 3)) buttons.push({ actionId: 'clarify.service', label: c.name, value: `${draftId}|${c.id}` });
      // Always a way out of the likely ones: a form listing every service.
      buttons.push({ actionId: 'clarify.service', label: 'Something else', value: `${draftId}|`, form: { kind: 'route', label: 'Pick the service (and the ward, if you know it)', required: true } });
    } else {
      text = 'Which ward is this in? Pick one or reply in this thread with the ward or the area.';
      for (const c of candidates.wards.slice(0, 3)) buttons.push({ actionId: 'clarify.ward', label: c.name, value: `${draftId}|${c.id}` });
    }
    return { type: 'clarify', text, buttons };
  }

  /** Asks "Same as WL-000123?" and keeps the draft until answered. */
  async function askDuplicate(turn: Turn, text: string, s: Omit<DraftState, 'kind' | 'promptKey'>, dup: DuplicateBrief): Promise<void> {
    const promptKey = `prompt:${turn.address.platform}:${turn.ev.eventId}:${s.service}:${s.ward}`;
    const draft = await createDraft(deps.db, {
      platform: turn.address.platform, channelId: turn.address.channelId, threadId: turn.threadRoot, personId: turn.person.id, text,
      state: { ...s, kind: 'duplicate', duplicateOf: dup.id, promptKey },
    }, deps.clock.now());
    const where = dup.location ? ` at ${dup.location}` : '';
    turn.reply({
      type: 'clarify',
      text: `Same as ${dup.reference} (${turn.ctx.index.service(dup.serviceId ?? '')?.name ?? 'a case'}${where}, ${dup.status.replace('_', ' ')})? Linking adds you to that case instead of opening a second one.`,
      buttons: [
        { actionId: 'duplicate.link', label: `Link to ${dup.reference}`, value: draft.id, style: 'primary' },
        { actionId: 'duplicate.new', label: "It's new", value: draft.id },
      ],
    }, { key: promptKey });
  }

  return {
    askDuplicate: askDuplicate as DuplicateAsker,

    /** A message that may describe problems: open cases, or ask what is missing. */
    async escalate(turn: Turn, ev: MessageEvent, text: string, addressed: boolean): Promise<void> {
      const { person, ctx } = turn;
      const channelName = ev.isDirect ? null : ev.channelName;
      const result = parseMessage({ text, platform: ev.address.platform }, {
        sender: { role: person.roles[0] ?? null, wards: person.wardIds }, channelName, addressed, problem: ev.escalation === true, catalogue: ctx.index.catalogue, streets: ctx.streets, model: ctx.intakeModel,
      });
      if (ev.hints && (ev.hints.wardId || ev.hints.serviceId)) {
        // Picked in a form: what the person chose wins; the text still gives place and urgency.
        const first = result.cases[0];
        const d = result.draft;
        const ward = ev.hints.wardId ?? first?.ward ?? d?.ward ?? null;
        const service = ev.hints.serviceId ?? first?.service ?? d?.service ?? null;
        const urgent = first?.urgent ?? d?.urgent ?? false;
        const location = first?.location ?? d?.location ?? null;
        const summary = first?.summary ?? d?.summary ?? text.slice(0, 140);
        if (ward && service) {
          await deps.cases.openCases(person.id, [toDraft(turn, { ward, service, urgent, topic: first?.topic ?? null, location, summary, channelName }, text)],
            origin(turn, `confirm:${ev.address.platform}:${ev.address.channelId}:${ev.messageId}`));
          return;
        }
        result.kind = 'clarify';
        result.draft = { ward: ward ? asWardId(ward) : null, service: service ? asServiceId(service) : null, urgent, location, summary };
      }
      if (result.kind === 'chatter') {
        if (addressed) turn.reply(notice('I did not find a problem to log in that. Tell me what is wrong and where (for example "fly-tipping on Slade Road, Erdington"), or type `help`.'), { flat: true });
        return;
      }
      if (result.kind === 'clarify') {
        const d = result.draft ?? { ward: null, service: null, urgent: false, location: null, summary: text.slice(0, 140) };
        const promptKey = `prompt:${ev.address.platform}:${ev.eventId}`;
        const asked: ('ward' | 'service')[] = [...(d.ward ? [] : ['ward' as const]), ...(d.service ? [] : ['service' as const])];
        const state: DraftState = {
          kind: 'clarify', ward: d.ward, service: d.service, urgent: d.urgent, topic: null, location: d.location, summary: d.summary, promptKey,
          candidates: result.candidates, channelName, asked,
        };
        const draft = await createDraft(deps.db, {
          platform: ev.address.platform, channelId: ev.address.channelId, threadId: turn.threadRoot, personId: person.id, text, state,
        }, deps.clock.now());
        turn.reply(clarifyPrompt(draft.id, state, result.candidates, result.unreadable), { key: promptKey });
        return;
      }
      // Held to the end of the turn's transaction, which opens the case: checks for one ward and
      // service take turns, so ten identical messages at once open one case and ask nine times.
      // The numbering lock comes first, as a batch of stored events takes it (conversation-flows):
      // in the other order a turn and a batch could each hold what the other waits for.
      const pairs = new Map(result.cases.filter((c) => c.location).map((c) => [`${c.ward}/${c.service}`, c] as const));
      if (pairs.size) await lockCaseNumbers(deps.db);
      for (const k of [...pairs.keys()].sort()) await lockWardService(deps.db, pairs.get(k)!.ward, pairs.get(k)!.service);
      const fresh: CaseDraft[] = [];
      for (const pc of result.cases) {
        const dup = await findDuplicate(pc.ward, pc.service, pc.location);
        const s = { ward: pc.ward, service: pc.service, urgent: pc.urgent, topic: pc.topic, location: pc.location, summary: pc.summary, channelName };
        if (dup) await askDuplicate(turn, text, s, dup);
        else fresh.push(toDraft(turn, s, text));
      }
      if (fresh.length) await deps.cases.openCases(person.id, fresh, origin(turn, `confirm:${ev.address.platform}:${ev.address.channelId}:${ev.messageId}`));
    },

    /** A button or a reply that answers a clarify prompt; opens the case once nothing is missing. */
    async answer(turn: Turn, draftId: string, given: { serviceId?: ServiceId | null; wardId?: WardId | null; text?: string; form?: string | null }): Promise<void> {
      const cat = turn.ctx.index.catalogue;
      const opened = await deps.db.transaction(async (tx) => {
        const draft = await getDraft(tx, draftId, { forUpdate: true });
        if (!draft || draft.status !== 'open') {
          turn.ephemeral = 'That question has already been answered.';
          return null;
        }
        if (draft.personId !== turn.person.id) {
          turn.ephemeral = 'Only the person who raised this can answer.';
          return null;
        }
        const s = { ...draft.state };
        if (given.text !== undefined) {
          if (/^\s*(cancel|never ?mind|forget it|ignore)\b/i.test(given.text)) {
            await updateDraft(tx, draft.id, { status: 'cancelled' });
            turn.edit(s.promptKey, notice('Cancelled: nothing was logged.'));
            return null;
          }
          s.service ??= matchService(given.text, cat) ?? pick(s.candidates?.services, given.text);
          s.ward ??= matchWard(given.text, cat) ?? pick(s.candidates?.wards, given.text);
        }
        if (given.form) Object.assign(given, formChoice(given.form, cat));
        if (given.serviceId) s.service = given.serviceId;
        if (given.wardId) s.ward = given.wardId;
        if (!s.service || !s.ward) {
          await updateDraft(tx, draft.id, { state: s });
          if (given.text !== undefined && s.service === draft.state.service && s.ward === draft.state.ward) {
            turn.reply(notice(`I could not tell the ${!s.service ? 'service' : 'ward'} from that. Try its name, for example "${!s.service ? 'street cleaning' : 'Erdington'}", or "cancel".`));
          }
          turn.edit(s.promptKey, clarifyPrompt(draft.id, s, s.candidates ?? { services: [], wards: [] }));
          return null;
        }
        await updateDraft(tx, draft.id, { state: s, status: 'done' });
        return { draft, s };
      });
      if (!opened) return;
      const { draft, s } = opened;
      const [c] = await deps.cases.openCases(turn.person.id, [toDraft(turn, s, draft.text)], {
        platform: draft.platform, channelId: draft.channelId, threadId: draft.threadId, cardKey: `confirm:draft:${draft.id}`,
      });
      // The answer labels the message: an example for retraining the intake model.
      await recordClarifyExample(deps.db, {
        caseId: c!.id, text: draft.text, platform: draft.platform, channelName: s.channelName ?? null, asked: s.asked ?? [],
        sender: { role: turn.person.roles[0] ?? null, wards: turn.person.wardIds }, wardId: s.ward!, serviceId: s.service!, at: deps.clock.now(),
      });
      turn.edit(s.promptKey, notice(`Thanks: logged as ${c!.reference} (${turn.ctx.index.service(s.service!)?.name}, ${turn.ctx.index.ward(s.ward!)?.name}).`));
    },

    /** "Same as WL-…?": link the councillor to that case, or open a new one. */
    async decideDuplicate(turn: Turn, draftId: string, link: boolean): Promise<void> {
      const draft: Draft | null = await deps.db.transaction(async (tx) => {
        const d = await getDraft(tx, draftId, { forUpdate: true });
        if (!d || d.status !== 'open') return null;
        if (d.personId !== turn.person.id) return null;
        await updateDraft(tx, d.id, { status: 'done' });
        return d;
      });
      if (!draft) {
        turn.ephemeral = 'That question has already been answered.';
        return;
      }
      const s = draft.state;
      const o = { platform: draft.platform, channelId: draft.channelId, threadId: draft.threadId, cardKey: `confirm:draft:${draft.id}` };
      if (link && s.duplicateOf) {
        const existing = await deps.cases.get(asCaseId(s.duplicateOf));
        await deps.cases.addWatcher(asCaseId(s.duplicateOf), asPersonId(turn.person.id), o);
        turn.edit(s.promptKey, notice(`Linked: you will hear about ${existing?.reference ?? 'that case'} here.`));
        return;
      }
      const [c] = await deps.cases.openCases(turn.person.id, [toDraft(turn, s, draft.text)], o);
      turn.edit(s.promptKey, notice(`Logged as a new case, ${c!.reference}.`));
    },
  };
}

/** The "Something else" form's answer: ids picked from the lists, or names typed by hand. */
function formChoice(input: string, cat: Parameters<typeof matchService>[1]): { serviceId?: ServiceId; wardId?: WardId } {
  let v: { serviceId?: unknown; wardId?: unknown; service?: unknown; ward?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(input);
    if (parsed && typeof parsed === 'object') v = parsed as typeof v;
  } catch {
    v = { service: input };
  }
  const str = (x: unknown) => (typeof x === 'string' && x ? x : null);
  const serviceId = (str(v.serviceId) && cat.services.some((x) => x.id === v.serviceId) ? str(v.serviceId) : null) ?? (str(v.service) ? matchService(str(v.service)!, cat) : null);
  const wardId = (str(v.wardId) && cat.wards.some((x) => x.id === v.wardId) ? str(v.wardId) : null) ?? (str(v.ward) ? matchWard(str(v.ward)!, cat) : null);
  return { ...(serviceId ? { serviceId: asServiceId(serviceId) } : {}), ...(wardId ? { wardId: asWardId(wardId) } : {}) };
}

type Candidates = { services: { id: string; name: string }[]; wards: { id: string; name: string }[] };

function wardName(id: string, c: Candidates): string {
  return c.wards.find((w) => w.id === id)?.name ?? id;
}

/** "the first one", "2", or a candidate's name. */
function pick(list: { id: string; name: string }[] | undefined, text: string): string | null {
  if (!list?.length) return null;
  const t = text.toLowerCase();
  const n = /\b(1|first|one)\b/.test(t) ? 0 : /\b(2|second|two)\b/.test(t) ? 1 : /\b(3|third|three)\b/.test(t) ? 2 : -1;
  if (n >= 0 && list[n]) return list[n]!.id;
  return list.find((x) => t.includes(x.name.toLowerCase()))?.id ?? null;
}
