import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactCaseText } from '../../src/db/privacy-repo.js';
import { intakeExamples, intakeModels } from '../../src/db/tables.js';
import { loadShippedModel, serialiseModel } from '../../src/intake/model/intake-model.js';
import { normaliseText } from '../../src/intake/normalise.js';
import { workspaceHarness } from '../contract/workspace-harness.js';
import type { ChatHarness, Place, SeenMessage } from '../contract/chat-harness.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

const CLLR = 'cllr.hussain@birmingham.example';
const RM = 'rm.waste.erdington@birmingham.example';
const DM: Place = { dm: true };
const WARD: Place = { channel: 'ward-erdington' };

let app: TestApp;
let h: ChatHarness;
beforeAll(async () => {
  app = await startTestApp();
  h = await workspaceHarness(app);
}, 120_000);
afterAll(async () => { await app?.stop(); });

const db = () => app.running.core.dbh.db;
const thread = async (who: string, where: Place, ref: string) => (await h.seen(who, where, { thread: ref })).slice(1);
const card = async (who: string, reference: string): Promise<SeenMessage> => (await h.seen(who, DM)).find((m) => m.author === null && m.text.includes(reference))!;
const examples = () => db().select().from(intakeExamples);

describe('corrections and answers become the council\'s labelled examples', () => {
  it('stores a Wrong route correction as an example: the text as received, cleaned, with the corrected service', async () => {
    const text = 'Fly-tipping on *Short Heath Road*, Erdington &amp; mattresses';
    const sent = await h.send(CLLR, WARD, text);
    await h.settle();
    const reference = /WL-\d{6}/.exec((await thread(CLLR, WARD, sent.ref)).map((m) => m.text).join('\n'))![0];
    await h.click(RM, await card(RM, reference), 'Wrong route', JSON.stringify({ serviceId: 'street-cleaning' }));
    await h.settle();
    const [row] = await examples();
    expect(row).toMatchObject({
      source: 'correction', text: normaliseText(text), platform: 'local', channelName: 'erdington-ward', senderRole: 'councillor', senderWards: ['erdington'],
      kind: 'escalation', cases: [{ ward: 'erdington', service: 'street-cleaning' }], missing: [],
    });
    expect(row!.text).not.toContain('&amp;');
    // Retention removes a case's text: its example goes with it.
    await db().transaction((tx) => redactCaseText(tx, row!.caseId!, '[removed]', 'test', new Date()));
    expect((await examples()).filter((r) => r.id === row!.id)).toEqual([]);
  });

  it('stores the answer to a clarifying question as an example', async () => {
    const sent = await h.send(CLLR, DM, 'can someone look at the problem near the shops');
    await h.settle();
    const [prompt] = await thread(CLLR, DM, sent.ref);
    await h.click(CLLR, prompt!, 'Something else', JSON.stringify({ serviceId: 'parks' }));
    await h.settle();
    const rows = (await examples()).filter((r) => r.source === 'clarify');
    expect(rows).toEqual([expect.objectContaining({
      text: 'can someone look at the problem near the shops', channelName: null, kind: 'escalation', cases: [{ ward: 'erdington', service: 'parks' }], missing: [],
    })]);
  });
});

describe('the running app reads with the model in use', () => {
  it('switches to a newly adopted model without a restart, and back on rollback', async () => {
    // A model that takes everything for chatter, and whose likeliest service is never the rules'
    // (its services shifted by one), so the rules' second opinion cannot open a case: unmistakable when it is the one reading.
    const shipped = loadShippedModel();
    const shifted = [...shipped.softmax.classes.slice(1), shipped.softmax.classes[0]!];
    const deaf = serialiseModel({ ...shipped, version: '2026-12-01.c1', softmax: { ...shipped.softmax, classes: shifted }, thresholds: { ...shipped.thresholds, chatter: 0 } });
    const at = new Date('2026-12-01T10:00:00Z');
    await db().insert(intakeModels).values({
      version: '2026-12-01.c1', baseVersion: loadShippedModel().version, outcome: 'adopted', model: deaf, figures: {}, inUse: true, inUseSince: at,
      createdAt: at, createdBy: 'test', councilExamples: 0,
    });
    await new Promise((r) => setTimeout(r, 1100)); // the context is read again after a second
    const sent = await h.send(CLLR, DM, 'fly-tipping again on Slade Road, Erdington');
    await h.settle();
    expect((await h.seen(CLLR, DM)).at(-1)!.text).toMatch(/did not find a problem to log/);
    await db().update(intakeModels).set({ inUse: false });
    await new Promise((r) => setTimeout(r, 1100));
    const again = await h.send(CLLR, DM, 'fly-tipping again on Slade Road, Erdington', { thread: sent.ref });
    await h.settle();
    expect((await thread(CLLR, DM, sent.ref)).map((m) => m.text).join('\n')).toMatch(/Waste enforcement in Erdington/);
    expect(again.ref).toBeTruthy();
  });
});
