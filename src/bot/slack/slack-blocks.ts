import type { ButtonSpec, NeutralMessage } from '../messages.js';
import { splitText } from '../split-text.js';

/** Slack's limits (Block Kit reference): what a message may hold. */
export const SLACK_LIMITS = { blocks: 50, sectionChars: 3000, totalChars: 12_000, buttonValue: 2000, buttonText: 75, actionsPerBlock: 25, fallbackChars: 3000 } as const;

export type SlackBlock = Record<string, unknown>;
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
  /** What did not fit (long digests and notices): posted as replies in the message's thread. */
  continued?: SlackMessage[];
}

/** What a button carries: our action's value, and the form it opens (if any). */
export interface SlackButtonValue {
  v: string;
  f?: ButtonSpec['form'];
}

/** Blocks as Slack measures them against `msg_blocks_too_long`, with room to spare. */
const MAX_BLOCKS_JSON = 12_000;
/** More choices than this for one question read better as a menu than a wall of buttons. */
const MAX_BUTTONS_FOR_CHOICE = 5;

/**
 * User text is escaped (`&`, `<`, `>`), which also turns `<!channel>`, `<!here>`, `<!everyone>` and
 * user-group pings into plain text; mrkdwn emphasis characters are left as typed.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The text as sections followed by the fixed blocks (status, buttons), clipped so that the whole
 * stays under Slack's size limit as Slack measures it (escaped JSON, not characters typed).
 */
function withText(text: string, after: SlackBlock[]): SlackBlock[] {
  const fixed = JSON.stringify(after).length;
  let budget = Math.max(200, Math.min(SLACK_LIMITS.totalChars - 2000, MAX_BLOCKS_JSON - fixed));
  for (;;) {
    const s = sections(text, budget).slice(0, SLACK_LIMITS.blocks - after.length);
    if (JSON.stringify(s).length + fixed <= MAX_BLOCKS_JSON || budget <= 200) return [...s, ...after];
    budget = Math.floor(budget * 0.8);
  }
}

/** Long text as sections of at most 3,000 characters, within the total budget. */
function sections(text: string, budget: number): SlackBlock[] {
  const out: SlackBlock[] = [];
  let rest = clip(text, budget);
  while (rest.length && out.length < 40) {
    let cut = rest.length <= SLACK_LIMITS.sectionChars ? rest.length : rest.lastIndexOf('\n', SLACK_LIMITS.sectionChars);
    if (cut <= 0) cut = SLACK_LIMITS.sectionChars;
    out.push({ type: 'section', text: { type: 'mrkdwn', text: rest.slice(0, cut) } });
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  return out;
}

function buttons(list: ButtonSpec[]): SlackBlock[] {
  const choice = list.length > MAX_BUTTONS_FOR_CHOICE && list.every((b) => b.actionId === list[0]!.actionId && !b.form && b.value.length <= 140);
  if (choice) {
    // One question with many answers (which ward? which service?): a menu of up to 100 options.
    return [{
      type: 'actions', block_id: 'wl_choice', elements: [{
        type: 'static_select', action_id: list[0]!.actionId, placeholder: { type: 'plain_text', text: 'Choose…' },
        options: list.slice(0, 100).map((b) => ({ text: { type: 'plain_text', text: clip(b.label, SLACK_LIMITS.buttonText) }, value: b.value })),
      }],
    }];
  }
  const els = list.map((b, i) => {
    const value: SlackButtonValue = { v: b.value, ...(b.form ? { f: b.form } : {}) };
    return {
      type: 'button', action_id: `${b.actionId}|${i}`, text: { type: 'plain_text', text: clip(b.label, SLACK_LIMITS.buttonText) },
      value: clip(JSON.stringify(value), SLACK_LIMITS.buttonValue), ...(b.style ? { style: b.style } : {}),
    };
  });
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < els.length; i += SLACK_LIMITS.actionsPerBlock) blocks.push({ type: 'actions', elements: els.slice(i, i + SLACK_LIMITS.actionsPerBlock) });
  return blocks;
}

/** Block Kit for every neutral message, inside Slack's limits, with a plain-text fallback for notifications. */
export function renderSlackMessage(m: NeutralMessage): SlackMessage {
  switch (m.type) {
    case 'mirror': {
      const text = `*${escapeSlack(m.author)}*: ${escapeSlack(m.text)}`;
      return { text: clip(`${m.author}: ${m.text}`, SLACK_LIMITS.fallbackChars), blocks: withText(text, [context(m.caseRef)]) };
    }
    case 'notice': {
      const parts = splitText(m.text, (SLACK_LIMITS.totalChars - 2000) / 2);
      const one = (t: string): SlackMessage => ({ text: clip(t, SLACK_LIMITS.fallbackChars), blocks: withText(escapeSlack(t), []) });
      return parts.length > 1 ? { ...one(parts[0]!), continued: parts.slice(1).map(one) } : one(m.text);
    }
    case 'clarify':
      return { text: clip(m.text, SLACK_LIMITS.fallbackChars), blocks: withText(escapeSlack(m.text), buttons(m.buttons)) };
    case 'case_card':
    case 'confirmation': {
      const views = m.type === 'case_card' ? [m.case] : m.cases;
      const status = views.map((v) => `${v.reference}: *${escapeSlack(v.statusLabel)}*`).join(' · ');
      const blocks = withText(escapeSlack(m.text), [{ ...context(status), block_id: 'wl_status' }, ...buttons(m.buttons)]);
      return { text: clip(m.text, SLACK_LIMITS.fallbackChars), blocks };
    }
  }
}

const context = (mrkdwn: string): SlackBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(mrkdwn, SLACK_LIMITS.sectionChars) }] });

/** The size Slack counts against `msg_blocks_too_long`. */
export const slackPayloadChars = (m: SlackMessage) => JSON.stringify(m.blocks).length;
