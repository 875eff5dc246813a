import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { SLACK_TEST_SECRET } from '../support/slack-requests.js';
import { startTestApp } from '../support/wardline-app.js';
import { defineChatContract } from './chat-contract.js';
import { slackHarness } from './slack-harness.js';

defineChatContract('Slack', async () => {
  const api = new FakeSlackApi();
  const apiUrl = await api.start();
  const app = await startTestApp({ env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SLACK_TEST_SECRET, SLACK_API_URL: apiUrl } });
  return { harness: await slackHarness(app, api), core: app.running.core, stop: async () => { await app.stop(); await api.stop(); } };
});
