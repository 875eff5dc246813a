import { describe, expect, it } from 'vitest';
import { confirmationCard, rmCard, type ButtonSpec, type CaseView } from '../../src/bot/messages.js';
import type { PickList } from '../../src/bot/pick-list.js';
import { ADAPTIVE_CARD, cardBytes, renderTeamsMessage } from '../../src/bot/teams/teams-cards.js';

type El = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const lists: PickList = {
  services: Array.from({ length: 30 }, (_, i) => ({ id: `service-${i}`, name: `Service number ${i} with a long descriptive name` })),
  wards: Array.from({ length: 69 }, (_, i) => ({ id: `ward-${i}`, name: `Ward ${i} & district "${i}"` })),
  assignees: Array.from({ length: 60 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Relationship Manager ${i}` })),
};
const nasty = (n: number) => '<b>Fly-tipping</b> & "rubble" **bold** [link](http://x) on Slade Road\n'.repeat(Math.ceil(n / 60)).slice(0, n);
const view = (i: number, summary: string): CaseView => ({
  caseId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, reference: `WL-${String(i).padStart(6, '0')}`, status: 'routed', statusLabel: 'Sent to the RM',
  service: 'Highways maintenance', ward: 'Bournbrook & Selly Park', location: nasty(200), urgent: false, summary, assignee: 'Joanna Kowalski', acknowledgeBy: '2026-12-03 17:00', respondBy: '2026-12-10 17:00',
});
const cardOf = (a: { attachments?: { contentType: string; content: unknown }[] }) => {
  expect(a.attachments![0]!.contentType).toBe(ADAPTIVE_CARD);
  return a.attachments![0]!.content as El;
};

describe('Teams Adaptive Cards', () => {
  it('keeps an RM card for a 40,000-character escalation, with every form, at version 1.5 and under 28 KB', () => {
    const r = renderTeamsMessage(rmCard(view(1, nasty(40_000))), lists);
    const card = cardOf(r.activity);
    expect(card.version).toBe('1.5');
    expect(cardBytes(r.activity)).toBeLessThanOrEqual(28_000);
    expect(card.actions.map((a: El) => [a.type, a.title])).toEqual([
      ['Action.Execute', 'Acknowledge'], ['Action.ShowCard', 'Update'], ['Action.ShowCard', 'Need info'], ['Action.ShowCard', 'Resolve'], ['Action.ShowCard', 'Reassign'], ['Action.ShowCard', 'Wrong route'],
    ]);
    expect(card.refresh.action).toMatchObject({ type: 'Action.Execute', verb: 'wl.refresh' });
    expect(card.body.find((b: El) => b.id === 'wl_status_0').text).toBe('WL-000001: Sent to the RM');
  });

  it('keeps a confirmation of twenty long cases under 28 KB', () => {
    const r = renderTeamsMessage(confirmationCard(Array.from({ length: 20 }, (_, i) => view(i + 1, nasty(5000)))), lists);
    expect(cardBytes(r.activity)).toBeLessThanOrEqual(28_000);
    expect(cardOf(r.activity).body.filter((b: El) => String(b.id).startsWith('wl_status_'))).toHaveLength(20);
    expect(cardOf(r.activity).actions.length).toBeLessThanOrEqual(6); // what Teams shows
  });

  it('offers many answers to one question as a menu', () => {
    const buttons: ButtonSpec[] = lists.wards.map((w) => ({ actionId: 'clarify.ward', label: w.name, value: `d|${w.id}` }));
    const card = cardOf(renderTeamsMessage({ type: 'clarify', text: 'Which ward?', buttons }, lists).activity);
    expect(card.body.find((b: El) => b.id === 'choice').choices).toHaveLength(69);
    expect(card.actions).toEqual([{ type: 'Action.Execute', title: 'Choose', verb: 'clarify.ward', data: { wl: 'clarify.ward', v: '' } }]);
  });

  it('shows people\'s words in cards as typed, not as markdown links, emphasis or lists', () => {
    const r = renderTeamsMessage({ type: 'clarify', text: '**Urgent** [click](http://evil.example) __now__\n- item\n1. first <b>x</b>', buttons: [] }, lists);
    const text = cardOf(r.activity).body[0].text as string;
    expect(text).not.toMatch(/\]\(|\*\*|__|^- |^1\. |<b>/m);
    expect(text.replace(/\u200B/g, '')).toBe('**Urgent** [click](http://evil.example) __now__\n- item\n1. first <b>x</b>');
  });

  it('sends notices and mirrored replies as plain text, never read as HTML, and splits a very long one', () => {
    const r = renderTeamsMessage({ type: 'mirror', author: 'Cllr <i>X</i>', text: '<script>alert(1)</script> & <at>everyone</at>', caseRef: 'WL-000001' }, lists);
    expect(r.activity).toEqual({ type: 'message', textFormat: 'plain', text: 'Cllr <i>X</i>: <script>alert(1)</script> & <at>everyone</at>' });
    const long = renderTeamsMessage({ type: 'notice', text: Array.from({ length: 2000 }, (_, i) => `line ${i} of the digest`).join('\n') }, lists);
    expect(long.continued!.length).toBeGreaterThan(0);
    for (const a of [long.activity, ...long.continued!]) expect(cardBytes(a)).toBeLessThanOrEqual(28_000);
  });
});
