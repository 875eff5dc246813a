import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main.js';
import type { ChatHarness, Place, SeenMessage } from './chat-harness.js';

const DOMAIN = 'birmingham.example';
const CLLR = `cllr.hussain@${DOMAIN}`;
const CLLR2 = `cllr.whitfield@${DOMAIN}`;
const RM = `rm.waste.erdington@${DOMAIN}`;
const WAC = `wac.north@${DOMAIN}`;
const ADMIN = `admin@${DOMAIN}`;
const DM: Place = { dm: true };

export interface ContractSetup {
  harness: ChatHarness;
  core: Core;
  stop(): Promise<void>;
}

/**
 * The conversation flow every chat adapter must carry, expressed against the chat port's
 * behaviour as people see it. Each adapter's test file calls this with its own harness.
 */
export function defineChatContract(name: string, setup: () => Promise<ContractSetup>): void {
  describe(`chat contract: ${name}`, () => {
    let h: ChatHarness;
    let core: Core;
    let stop: () => Promise<void>;
    beforeAll(async () => { ({ harness: h, core, stop } = await setup()); }, 120_000);
    afterAll(async () => { await stop?.(); });

    const thread = async (who: string, where: Place, ref: string) => (await h.seen(who, where, { thread: ref })).slice(1);
    const card = async (who: string, reference: string): Promise<SeenMessage> => {
      const found = (await h.seen(who, DM)).filter((m) => m.author === null && m.text.includes(reference));
      expect(found, `a card for ${reference} in ${who}'s DMs`).toHaveLength(1);
      return found[0]!;
    };
    /** Raises a case in the councillor's DM; returns the message, its confirmation and the reference. */
    const raise = async (text: string, who = CLLR) => {
      const sent = await h.send(who, DM, text);
      await h.settle();
      const replies = await thread(who, DM, sent.ref);
      const confirmation = replies.find((m) => m.statuses.length > 0);
      expect(confirmation, `a confirmation for "${text}" (got: ${replies.map((r) => r.text).join(' | ')})`).toBeDefined();
      const reference = /WL-\d{6}/.exec(confirmation!.text)![0];
      return { ref: sent.ref, confirmation: confirmation!, reference };
    };

    it('turns a councillor\'s message into a case: a confirmation in their thread and a card for the RM', async () => {
      const { confirmation, reference } = await raise('fly-tipping again on Slade Road, Erdington, third time this month');
      expect(confirmation.text).toMatch(/Waste enforcement in Erdington \(Slade Road\)/);
      expect(confirmation.text).toMatch(/Dev Patel has it; response due by \d{4}-\d\d-\d\d \d\d:\d\d/);
      expect(confirmation.statuses).toEqual(['Sent to the RM']);
      expect(confirmation.buttons.map((b) => b.label)).toEqual(['Edit', 'Cancel']);
      const rmCard = await card(RM, reference);
      expect(rmCard.buttons.map((b) => b.label)).toEqual(['Acknowledge', 'Update', 'Need info', 'Resolve', 'Reassign', 'Wrong route']);
      const wac = (await h.seen(WAC, DM)).map((m) => m.text).join('\n');
      expect(wac).toContain(`New case ${reference}: Waste enforcement in Erdington, with Dev Patel.`);
    });

    it('edits both cards in place when the RM acknowledges, and mirrors replies both ways without echo', async () => {
      const { ref, reference } = await raise('Dumped mattresses and bags behind the shops on Reservoir Road, Erdington');
      const before = (await h.seen(RM, DM)).length;
      const rmCard = await card(RM, reference);
      expect((await h.click(RM, rmCard, 'Acknowledge')).ephemeral).toBe(`You acknowledged ${reference}.`);
      await h.settle();
      expect((await h.seen(RM, DM)).length).toBe(before);
      expect((await card(RM, reference)).statuses).toEqual(['Acknowledged']);
      expect((await thread(CLLR, DM, ref)).find((m) => m.statuses.length)!.statuses).toEqual(['Acknowledged']);

      await h.send(RM, DM, 'Crew booked for Thursday morning.', { thread: rmCard.ref });
      await h.settle();
      const cllrThread = await thread(CLLR, DM, ref);
      expect(cllrThread.map((m) => m.text)).toContain('Dev Patel, Waste enforcement RM: Crew booked for Thursday morning.');
      expect(cllrThread.find((m) => m.statuses.length)!.statuses).toEqual(['Acknowledged']);

      await h.send(CLLR, DM, 'Thank you. Photo: https://example.org/photo.jpg', { thread: ref });
      await h.settle();
      const rmThread = await thread(RM, DM, rmCard.ref);
      expect(rmThread.map((m) => m.text)).toEqual([
        'Crew booked for Thursday morning.',
        'Cllr Amina Hussain: Thank you. Photo: https://example.org/photo.jpg',
      ]);
      await h.click(RM, await card(RM, reference), 'Update', 'Cleared; cameras going up next week.');
      await h.settle();
      const after = await thread(CLLR, DM, ref);
      expect(after.map((m) => m.text)).toContain('Dev Patel, Waste enforcement RM: Cleared; cameras going up next week.');
      expect(after.find((m) => m.statuses.length)!.statuses).toEqual(['In progress']);
      const events = await core.cases.timeline((await core.cases.get((await core.dbh.db.query.cases.findFirst({ where: (c, { eq }) => eq(c.seq, Number(reference.slice(3))) }))!.id as never))!.id);
      expect(events.filter((e) => e.type === 'update')).toHaveLength(3);
    });

    it('asks when unsure, keeps the draft, and opens the case from the answer', async () => {
      const sent = await h.send(CLLR, DM, 'Can someone look at the mess on Orphanage Road please');
      await h.settle();
      const [prompt] = await thread(CLLR, DM, sent.ref);
      expect(prompt!.text).toMatch(/which service should take it\?/);
      expect(prompt!.buttons.length).toBeGreaterThanOrEqual(1);
      const choice = prompt!.buttons.find((b) => b.label === 'Street cleaning') ?? prompt!.buttons[0]!;
      await h.click(CLLR, prompt!, choice.label);
      await h.settle();
      const replies = await thread(CLLR, DM, sent.ref);
      expect(replies[0]!.text).toMatch(/^Thanks: logged as WL-\d{6}/);
      expect(replies[0]!.buttons).toEqual([]);
      expect(replies.some((m) => m.statuses.length === 1)).toBe(true);
    });

    it('always offers "Something else" on a service question, whose form takes any service', async () => {
      const sent = await h.send(CLLR, DM, 'can someone look at the problem near the shops');
      await h.settle();
      const [prompt] = await thread(CLLR, DM, sent.ref);
      expect(prompt!.text).toMatch(/which service should take it\?/);
      expect(prompt!.buttons.length).toBeGreaterThanOrEqual(3);
      expect(prompt!.buttons.at(-1)).toMatchObject({ label: 'Something else', form: true });
      await h.click(CLLR, prompt!, 'Something else', JSON.stringify({ serviceId: 'parks' }));
      await h.settle();
      const replies = await thread(CLLR, DM, sent.ref);
      expect(replies[0]!.text).toMatch(/^Thanks: logged as WL-\d{6} \(Parks and grounds maintenance, Erdington\)/);
    });

    it('takes a free-text answer to a clarifying question', async () => {
      const sent = await h.send(CLLR, DM, 'Can someone look at the mess on Marsh Lane please');
      await h.settle();
      await h.send(CLLR, DM, 'street cleaning', { thread: sent.ref });
      await h.settle();
      const replies = await thread(CLLR, DM, sent.ref);
      expect(replies[0]!.text).toMatch(/^Thanks: logged as WL-\d{6} \(Street cleaning, Erdington\)/);
    });

    it('opens one case per problem with one confirmation', async () => {
      const { confirmation } = await raise('Erdington: pothole on Kingsbury Road outside number 40; and fly-tipping on Holly Lane');
      expect(confirmation.text).toMatch(/^Logged 2 cases:/);
      expect(confirmation.statuses).toHaveLength(2);
    });

    it('offers to link a duplicate instead of opening a second case', async () => {
      const first = await raise('Fly-tipping on Gravelly Lane, Erdington, sofa and fridge');
      const sent = await h.send(CLLR2, DM, 'fly tipping gravelly lane erdington again');
      await h.settle();
      const [prompt] = await thread(CLLR2, DM, sent.ref);
      expect(prompt!.text).toContain(`Same as ${first.reference}`);
      await h.click(CLLR2, prompt!, `Link to ${first.reference}`);
      await h.settle();
      const replies = await thread(CLLR2, DM, sent.ref);
      expect(replies[0]!.text).toBe(`Linked: you will hear about ${first.reference} here.`);
      expect(replies.find((m) => m.statuses.length)!.text).toContain(first.reference);
      const again = await h.click(CLLR2, prompt!, "It's new");
      expect(again.ephemeral).toBe('That question has already been answered.');
    });

    it('answers commands: help, my cases, case, who covers, subscribe', async () => {
      const { reference } = await raise('Fly-tipping on Sutton Road, Erdington, mattresses and bags');
      const ask = async (text: string) => {
        await h.send(CLLR, DM, text);
        await h.settle();
        return (await h.seen(CLLR, DM)).at(-1)!.text;
      };
      expect(await ask('help')).toMatch(/my cases/);
      expect(await ask('my cases')).toContain(reference);
      expect(await ask(`case ${reference}`)).toMatch(/Timeline:\n.*opened by Cllr Amina Hussain/);
      expect(await ask('who covers fly-tipping in Erdington')).toMatch(/^Waste enforcement in Erdington: Dev Patel/);
      expect(await ask('subscribe digest Erdington')).toMatch(/^Subscribed: the weekly digest for Erdington/);
      expect(await ask('subscribe digest Erdington')).toMatch(/already get/);
      expect(await ask('case WL-999999')).toMatch(/cannot find WL-999999/);
    });

    it('explains to strangers and tells the admins, opening nothing', async () => {
      const seen = await h.strangerWrites('fly-tipping on Slade Road, Erdington');
      expect(seen.map((m) => m.text).join('\n')).toMatch(/I do not know you yet/);
      const admin = (await h.seen(ADMIN, DM)).map((m) => m.text).join('\n');
      expect(admin).toMatch(/Someone not in the directory .* wrote to wardline/);
    });

    it('refuses stale clicks, a second acknowledgement and a reassign to someone without the role, changing nothing', async () => {
      const { reference } = await raise('Fly-tipping on Wood End Road, Erdington, blocking the pavement');
      const stale = await card(RM, reference);
      // Two presses at once (a double click, or the RM and their deputy): one wins, the other is told.
      const [a, b] = await Promise.all([h.click(RM, stale, 'Acknowledge'), h.click(RM, stale, 'Acknowledge')]);
      const answers = [a.ephemeral, b.ephemeral].sort();
      expect(answers[0]).toMatch(/changed meanwhile: it is now acknowledged/);
      expect(answers[1]).toBe(`You acknowledged ${reference}.`);
      await h.settle();
      expect((await h.click(RM, await card(RM, reference), 'Reassign', `cllr.ellis@${DOMAIN}`)).ephemeral).toMatch(/cannot take cases/);
      await h.click(RM, await card(RM, reference), 'Resolve', 'Cleared this morning.');
      await h.settle();
      expect((await h.click(RM, stale, 'Acknowledge')).ephemeral).toMatch(/changed meanwhile: it is now resolved/);
      expect((await card(RM, reference)).statuses).toEqual(['Resolved']);
    });

    it('reroutes on "wrong route", tells the councillor and records the correction', async () => {
      const { ref, reference } = await raise('Fly-tipping on Short Heath Road, Erdington, mattresses');
      await h.click(RM, await card(RM, reference), 'Wrong route', JSON.stringify({ serviceId: 'street-cleaning' }));
      await h.settle();
      const texts = (await thread(CLLR, DM, ref)).map((m) => m.text);
      expect(texts.some((t) => t.startsWith(`${reference} has been moved to Street cleaning in Erdington, with Marcus Grant.`))).toBe(true);
      expect((await card(RM, reference)).buttons).toEqual([]);
      const rows = await core.dbh.db.query.intakeCorrections.findMany();
      expect(rows.some((r) => r.originalServiceId === 'waste-enforcement' && r.correctedServiceId === 'street-cleaning')).toBe(true);
    });

    it('takes a 40,000-character message without losing it, and says it was cut', async () => {
      const text = `Fly-tipping on Turfpits Lane, Erdington. ${'More detail about the rubbish. '.repeat(1500)}`;
      const sent = await h.send(CLLR, DM, text);
      await h.settle();
      const replies = (await thread(CLLR, DM, sent.ref)).map((m) => m.text);
      expect(replies.join('\n')).toMatch(/over 40,000 characters; I kept the first 40,000/);
      expect(replies.join('\n')).toMatch(/Logged WL-\d{6}: Waste enforcement in Erdington/);
    });

    it('treats a reply in a thread with no case as a new message', async () => {
      const sent = await h.send(CLLR, DM, 'thanks all');
      await h.settle();
      expect((await h.seen(CLLR, DM)).at(-1)!.text).toMatch(/did not find a problem to log/);
      await h.send(CLLR, DM, 'Fly-tipping on Edwards Road, Erdington, a pile of tyres', { thread: sent.ref });
      await h.settle();
      const replies = (await thread(CLLR, DM, sent.ref)).map((m) => m.text);
      expect(replies.join('\n')).toMatch(/Logged WL-\d{6}: Waste enforcement in Erdington \(Edwards Road\)/);
    });
  });
}
