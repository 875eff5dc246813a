import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatHarness, Place, SeenMessage } from '../contract/chat-harness.js';
import { slackHarness } from '../contract/slack-harness.js';
import { teamsHarness } from '../contract/teams-harness.js';
import { FakeBotConnector } from '../fakes/fake-bot-connector.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { SLACK_TEST_SECRET } from '../support/slack-requests.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

const CLLR = 'cllr.hussain@birmingham.example'; // on Slack and on Teams
const WASTE_RM = 'rm.waste.erdington@birmingham.example'; // Slack only
const SAFETY_RM = 'rm.safety@birmingham.example'; // Teams only
const DM: Place = { dm: true };

/**
 * One case, one councillor thread on one platform, one RM thread on the other: Slack and Teams
 * both live against their fakes, the directory deciding who is where.
 */
describe('the bridge between Teams and Slack', () => {
  let app: TestApp;
  let api: FakeSlackApi;
  let connector: FakeBotConnector;
  let slack: ChatHarness;
  let teams: ChatHarness;
  beforeAll(async () => {
    api = new FakeSlackApi();
    connector = new FakeBotConnector();
    const apiUrl = await api.start();
    const serviceUrl = await connector.start();
    app = await startTestApp({ env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SLACK_TEST_SECRET, SLACK_API_URL: apiUrl, TEAMS_ALLOW_UNAUTHENTICATED: '1', TEAMS_SERVICE_URL: serviceUrl,
    } });
    slack = await slackHarness(app, api, { linkAll: false });
    teams = await teamsHarness(app, connector, { linkAll: false });
  }, 120_000);
  afterAll(async () => { await app?.stop(); await api?.stop(); await connector?.stop(); });

  const cardFor = async (h: ChatHarness, who: string, reference: string): Promise<SeenMessage> => {
    const found = (await h.seen(who, DM)).filter((m) => m.author === null && m.text.includes(reference));
    expect(found, `${reference} in ${who}'s ${h.name} DMs`).toHaveLength(1);
    return found[0]!;
  };
  const raise = async (h: ChatHarness, text: string) => {
    const sent = await h.send(CLLR, DM, text);
    await h.settle();
    const confirmation = (await h.seen(CLLR, DM, { thread: sent.ref })).slice(1).find((m) => m.statuses.length)!;
    return { ref: sent.ref, reference: /WL-\d{6}/.exec(confirmation.text)![0] };
  };

  it('carries a Teams councillor\'s case to a Slack RM and everything back', async () => {
    const { ref, reference } = await raise(teams, 'Fly-tipping again on Slade Road, Erdington, a sofa and bags');
    const card = await cardFor(slack, WASTE_RM, reference);
    expect((await slack.click(WASTE_RM, card, 'Acknowledge')).ephemeral).toBe(`You acknowledged ${reference}.`);
    await slack.send(WASTE_RM, DM, 'Crew booked for Thursday morning.', { thread: card.ref });
    await app.settle();
    const councillor = (await teams.seen(CLLR, DM, { thread: ref })).slice(1);
    expect(councillor.find((m) => m.statuses.length)!.statuses).toEqual(['Acknowledged']);
    expect(councillor.map((m) => m.text)).toContain('Dev Patel, Waste enforcement RM: Crew booked for Thursday morning.');

    await teams.send(CLLR, DM, 'Thank you, residents will be glad.', { thread: ref });
    await app.settle();
    expect((await slack.seen(WASTE_RM, DM, { thread: card.ref })).map((m) => m.text)).toContain('Cllr Amina Hussain: Thank you, residents will be glad.');
    await slack.click(WASTE_RM, await cardFor(slack, WASTE_RM, reference), 'Resolve', 'Cleared this morning.');
    await app.settle();
    expect((await teams.seen(CLLR, DM, { thread: ref })).slice(1).find((m) => m.statuses.length)!.statuses).toEqual(['Resolved']);
  });

  it('carries a Slack councillor\'s case to a Teams RM and everything back', async () => {
    const { ref, reference } = await raise(slack, 'Drug dealing every night outside the shops on Marsh Lane, Erdington');
    const card = await cardFor(teams, SAFETY_RM, reference);
    expect((await teams.click(SAFETY_RM, card, 'Acknowledge')).ephemeral).toBe(`You acknowledged ${reference}.`);
    await teams.send(SAFETY_RM, DM, 'Police informed; patrols from tonight.', { thread: card.ref });
    await app.settle();
    const councillor = (await slack.seen(CLLR, DM, { thread: ref })).slice(1);
    expect(councillor.find((m) => m.statuses.length)!.statuses).toEqual(['Acknowledged']);
    expect(councillor.map((m) => m.text)).toContain('Imran Saeed, Community safety RM: Police informed; patrols from tonight.');
    await slack.send(CLLR, DM, 'Thanks, I will tell the residents association.', { thread: ref });
    await app.settle();
    expect((await teams.seen(SAFETY_RM, DM, { thread: card.ref })).map((m) => m.text)).toContain('Cllr Amina Hussain: Thanks, I will tell the residents association.');
  });
});
