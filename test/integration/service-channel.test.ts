import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureChannel } from '../../src/db/workspace-repo.js';
import type { ChatHarness } from '../contract/chat-harness.js';
import { workspaceHarness } from '../contract/workspace-harness.js';
import { runCli } from '../support/cli.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

const CLLR = 'cllr.hussain@birmingham.example';
const RM = 'rm.waste.erdington@birmingham.example';
const CHANNEL = { channel: 'waste-cases' };

describe('RM cards in the service\'s channel', () => {
  let app: TestApp & { databaseUrl: string };
  let h: ChatHarness;
  beforeAll(async () => {
    app = await startTestApp();
    h = await workspaceHarness(app);
    await ensureChannel(app.running.core.dbh.db, { id: 'waste-cases', name: 'waste-enforcement-cases', kind: 'channel', personId: null, listening: false }, new Date());
  }, 120_000);
  afterAll(async () => { await app?.stop(); });

  it('posts the card in the channel the catalogue names, and the thread works both ways from there', async () => {
    const set = await runCli(['services', 'channel', 'waste-enforcement', 'local', 'waste-cases'], { env: { DATABASE_URL: app.databaseUrl } });
    expect([set.code, set.stdout.trim()]).toEqual([0, 'RM cards for waste-enforcement on local go to channel waste-cases.']);
    app.running.core.invalidateContext();

    const sent = await h.send(CLLR, { dm: true }, 'Fly-tipping on Slade Road, Erdington, a van load of rubble');
    await h.settle();
    const reference = /WL-\d{6}/.exec((await h.seen(CLLR, { dm: true }, { thread: sent.ref })).map((m) => m.text).join('\n'))![0];
    expect((await h.seen(RM, { dm: true })).some((m) => m.text.includes(reference))).toBe(false);
    const card = (await h.seen(RM, CHANNEL)).find((m) => m.text.includes(reference))!;
    expect(card.buttons.map((b) => b.label)).toContain('Acknowledge');

    expect((await h.click(RM, card, 'Acknowledge')).ephemeral).toBe(`You acknowledged ${reference}.`);
    await h.send(RM, CHANNEL, 'On it this afternoon.', { thread: card.ref });
    await h.settle();
    expect((await h.seen(RM, CHANNEL)).find((m) => m.ref === card.ref)!.statuses).toEqual(['Acknowledged']);
    const councillor = (await h.seen(CLLR, { dm: true }, { thread: sent.ref })).map((m) => m.text);
    expect(councillor).toContain('Dev Patel, Waste enforcement RM: On it this afternoon.');

    await h.send(CLLR, { dm: true }, 'Thanks, it is getting worse.', { thread: sent.ref });
    await h.settle();
    expect((await h.seen(RM, CHANNEL, { thread: card.ref })).map((m) => m.text)).toContain('Cllr Amina Hussain: Thanks, it is getting worse.');
  });

  it('goes back to DMs with --clear, and refuses an unknown service or platform clearly', async () => {
    const env = { DATABASE_URL: app.databaseUrl };
    expect((await runCli(['services', 'channel', 'waste-enforcement', 'local', '--clear'], { env })).stdout).toMatch(/go to the RM's direct messages/);
    const unknown = await runCli(['services', 'channel', 'bin-polishing', 'slack', 'C1'], { env });
    expect([unknown.code !== 0, /Unknown service "bin-polishing"/.test(unknown.stderr)]).toEqual([true, true]);
    expect((await runCli(['services', 'channel', 'parks', 'irc', '#parks'], { env })).stderr).toMatch(/Unknown platform "irc": use slack, teams or local/);
  }, 90_000);
});
