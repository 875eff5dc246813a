import { startTestApp } from '../support/wardline-app.js';
import { defineChatContract } from './chat-contract.js';
import { workspaceHarness } from './workspace-harness.js';

defineChatContract('built-in workspace', async () => {
  const app = await startTestApp();
  return { harness: await workspaceHarness(app), core: app.running.core, stop: app.stop };
});
