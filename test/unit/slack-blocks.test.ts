import { describe, expect, it } from 'vitest';
import { confirmationCard, rmCard, type ButtonSpec, type CaseView, type NeutralMessage } from '../../src/bot/messages.js';
import { escapeSlack, renderSlackMessage, SLACK_LIMITS, type SlackMessage } from '../../src/bot/slack/slack-blocks.js';

type Block = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every Block Kit limit Slack enforces on a message (and on its continuations). */
function expectWithinLimits(m: SlackMessage): void {
  for (const part of [m, ...(m.continued ?? [])]) {
    expect(part.blocks.length).toBeLessThanOrEqual(50);
    expect(part.text.length).toBeGreaterThan(0);
    expect(part.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackChars);
    expect(JSON.stringify(part.blocks).length).toBeLessThanOrEqual(13_000);
    for (const b of part.blocks as Block[]) {
      if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(3000);
      if (b.type === 'context') for (const e of b.elements) expect(e.text.length).toBeLessThanOrEqual(3000);
      if (b.type === 'actions') {
        expect(b.elements.length).toBeLessThanOrEqual(25);
        for (const e of b.elements.filter((x: Block) => x.type === 'button')) {
          expect(e.value.length).toBeLessThanOrEqual(2000);
          expect(e.text.text.length).toBeLessThanOrEqual(75);
        }
      }
    }
  }
}

const nasty = (n: number) => 'Fly-tipping & "rubble" <bags>\non the "corner" \\ of Slade Road\t'.repeat(Math.ceil(n / 60)).slice(0, n);
const view = (i: number, summary: string): CaseView => ({
  caseId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, reference: `WL-${String(i).padStart(6, '0')}`, status: 'routed', statusLabel: 'Sent to the RM',
  service: 'Highways maintenance & "street lighting"', ward: 'Bournbrook & Selly Park', location: nasty(200), urgent: i % 2 === 0, summary,
  assignee: 'Joanna Kowalski', acknowledgeBy: '2026-12-03 17:00', respondBy: '2026-12-10 17:00',
});

describe('Slack Block Kit renderers', () => {
  it('keeps an RM card for a 40,000-character escalation inside every limit', () => {
    const m = renderSlackMessage(rmCard(view(1, nasty(40_000))));
    expectWithinLimits(m);
    expect((m.blocks as Block[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: Block) => e.text.text)))
      .toEqual(['Acknowledge', 'Update', 'Need info', 'Resolve', 'Reassign', 'Wrong route']);
    expect((m.blocks as Block[]).find((b) => b.block_id === 'wl_status')!.elements[0].text).toBe('WL-000001: *Sent to the RM*');
  });

  it('keeps a confirmation of twenty cases, each with long text, inside every limit and keeps all their buttons', () => {
    const m = renderSlackMessage(confirmationCard(Array.from({ length: 20 }, (_, i) => view(i + 1, nasty(5000)))));
    expectWithinLimits(m);
    expect((m.blocks as Block[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements)).toHaveLength(40);
  });

  it('offers every ward as a menu, not 69 buttons, and a few answers as buttons', () => {
    const wards: ButtonSpec[] = Array.from({ length: 69 }, (_, i) => ({ actionId: 'clarify.ward', label: `Ward number ${i} with a very long name indeed, longer than Slack allows on a button`, value: `draft|ward-${i}` }));
    const m = renderSlackMessage({ type: 'clarify', text: 'Which ward is this in?', buttons: wards });
    expectWithinLimits(m);
    const [menu] = (m.blocks as Block[]).filter((b) => b.type === 'actions');
    expect(menu!.elements).toHaveLength(1);
    expect(menu!.elements[0].type).toBe('static_select');
    expect(menu!.elements[0].options).toHaveLength(69);
    for (const o of menu!.elements[0].options) expect(o.text.text.length).toBeLessThanOrEqual(75);
    const few = renderSlackMessage({ type: 'clarify', text: 'Which service?', buttons: wards.slice(0, 3).map((b) => ({ ...b, actionId: 'clarify.service' })) });
    expect((few.blocks as Block[]).find((b) => b.type === 'actions')!.elements.map((e: Block) => e.type)).toEqual(['button', 'button', 'button']);
  });

  it('posts an over-long notice as continuations rather than cutting it', () => {
    const text = Array.from({ length: 600 }, (_, i) => `• line ${i}: ${nasty(40)}`).join('\n');
    const m = renderSlackMessage({ type: 'notice', text });
    expect(m.continued!.length).toBeGreaterThan(0);
    expectWithinLimits(m);
    const all = [m, ...m.continued!].flatMap((p) => (p.blocks as Block[]).map((b) => b.text.text)).join('\n');
    expect(all.replace(/\s+/g, '')).toBe(escapeSlack(text).replace(/\s+/g, ''));
  });

  it('neutralises broadcast and group mentions and escapes markup in mirrored text', () => {
    const m = renderSlackMessage({ type: 'mirror', author: 'Cllr <b>Hussain</b>', text: '<!channel> <!here> <!everyone> <!subteam^S01|@waste> <@U123> a & b', caseRef: 'WL-000001' } as NeutralMessage);
    const shown = JSON.stringify(m.blocks);
    expect(shown).not.toMatch(/<!|<@|<b>/);
    expect(shown).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;!subteam^S01|@waste&gt; &lt;@U123&gt; a &amp; b');
  });
});
