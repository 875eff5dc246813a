import type { ButtonSpec, NeutralMessage } from '../messages.js';

/** Slack's limits (Block Kit reference): what a message may hold. */
export const SLACK_LIMITS = { blocks: 50, sectionChars: 3000, totalChars: 12_000, buttonValue: 2000, buttonText: 75, actionsPerBlock: 25, fallbackChars: 3000 } as const;

export type SlackBlock = Record<string, unknown>;
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** What a button carries: our action, its value, and the form it opens (if any). */
export interface SlackButtonValue {
  v: string;
  f?: ButtonSpec['form'];
  l: string;
}

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
  const els = list.map((b, i) => {
    const value: SlackButtonValue = { v: b.value, l: b.label, ...(b.form ? { f: b.form } : {}) };
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
  const budget = SLACK_LIMITS.totalChars - 2000;
  switch (m.type) {
    case 'mirror': {
      const text = `*${escapeSlack(m.author)}*: ${escapeSlack(m.text)}`;
      return { text: clip(`${m.author}: ${m.text}`, SLACK_LIMITS.fallbackChars), blocks: [...sections(text, budget), context(m.caseRef)] };
    }
    case 'notice':
      return { text: clip(m.text, SLACK_LIMITS.fallbackChars), blocks: sections(escapeSlack(m.text), budget) };
    case 'clarify':
      return { text: clip(m.text, SLACK_LIMITS.fallbackChars), blocks: [...sections(escapeSlack(m.text), budget), ...buttons(m.buttons)] };
    case 'case_card':
    case 'confirmation': {
      const views = m.type === 'case_card' ? [m.case] : m.cases;
      const status = views.map((v) => `${v.reference}: *${escapeSlack(v.statusLabel)}*`).join(' · ');
      const blocks = [...sections(escapeSlack(m.text), budget), { ...context(status), block_id: 'wl_status' }, ...buttons(m.buttons)].slice(0, SLACK_LIMITS.blocks);
      return { text: clip(m.text, SLACK_LIMITS.fallbackChars), blocks };
    }
  }
}

const context = (mrkdwn: string): SlackBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(mrkdwn, SLACK_LIMITS.sectionChars) }] });

/** The size Slack counts against `msg_blocks_too_long`. */
export const slackPayloadChars = (m: SlackMessage) => JSON.stringify(m.blocks).length;
