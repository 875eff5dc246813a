import { FakeBotConnector } from '../fakes/fake-bot-connector.js';
import { startTestApp } from '../support/wardline-app.js';
import { defineChatContract } from './chat-contract.js';
import { teamsHarness } from './teams-harness.js';

defineChatContract('Teams', async () => {
  const connector = new FakeBotConnector();
  const serviceUrl = await connector.start();
  const app = await startTestApp({ env: { TEAMS_ALLOW_UNAUTHENTICATED: '1', TEAMS_SERVICE_URL: serviceUrl } });
  return { harness: await teamsHarness(app, connector), core: app.running.core, stop: async () => { await app.stop(); await connector.stop(); } };
});
