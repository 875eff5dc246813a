import type { ButtonSpec, NeutralMessage } from '../messages.js';
import type { PickList } from '../pick-list.js';
import { splitText } from '../split-text.js';
import type { TeamsActivity } from './teams-connector.js';

/** Teams' limit on a message with a card is about 28 KB; this leaves room for the envelope. */
export const TEAMS_CARD_MAX_BYTES = 26_000;
const TEXT_MAX = 20_000;
const MAX_BUTTONS_FOR_CHOICE = 5;
export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';


/** What an Action.Execute carries back: our action id and value (inputs are merged in by Teams). */
export interface TeamsActionData {
  wl: string;
  v: string;
  [input: string]: unknown;
}

export interface RenderedTeams {
  activity: TeamsActivity;
  /** What did not fit: posted as further messages after it. */
  continued?: TeamsActivity[];
}

type Element = Record<string, unknown>;
const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const ZWSP = '\u200B';
/**
 * Card text is read as markdown by Teams; people's words must show as typed, so the markup is
 * broken with an invisible space: links `[a](b)`, emphasis `**`/`__`, list and heading markers.
 */
export function neutraliseMarkdown(text: string): string {
  return text.replace(/\]\(/g, `]${ZWSP}(`).replace(/([*_~`])(?=\1)/g, `$1${ZWSP}`).replace(/^(\s*)([-*+#>]|\d+\.)(?=\s)/gm, `$1${ZWSP}$2`)
    .replace(/<(?=[a-z/!])/gi, `<${ZWSP}`);
}
const textBlock = (text: string, extra: Element = {}): Element => ({ type: 'TextBlock', text, wrap: true, ...extra });
const choices = (list: { id: string; name: string }[]) => list.slice(0, 100).map((x) => ({ title: clip(x.name, 100), value: x.id }));

function formInputs(form: NonNullable<ButtonSpec['form']>, lists: PickList): Element[] {
  if (form.kind === 'text') return [{ type: 'Input.Text', id: 'text', label: form.label, isMultiline: true, maxLength: 3000, isRequired: form.required, errorMessage: 'Write something first.' }];
  if (form.kind === 'person') return [{ type: 'Input.ChoiceSet', id: 'person', label: form.label, style: 'filtered', isRequired: true, choices: choices(lists.assignees), errorMessage: 'Pick a person.' }];
  return [
    { type: 'Input.ChoiceSet', id: 'service', label: 'Service', style: 'filtered', choices: choices(lists.services) },
    { type: 'Input.ChoiceSet', id: 'ward', label: 'Ward', style: 'filtered', choices: choices(lists.wards) },
  ];
}

/** Buttons as Action.Execute; a button with a form opens it inline (Action.ShowCard); many answers to one question become a menu. */
function actions(list: ButtonSpec[], lists: PickList): { body: Element[]; actions: Element[] } {
  const execute = (b: ButtonSpec, title = b.label): Element => ({
    type: 'Action.Execute', title: clip(title, 50), verb: b.actionId, data: { wl: b.actionId, v: b.value } satisfies TeamsActionData,
    ...(b.style === 'primary' ? { style: 'positive' } : b.style === 'danger' ? { style: 'destructive' } : {}),
  });
  const choice = list.length > MAX_BUTTONS_FOR_CHOICE && list.every((b) => b.actionId === list[0]!.actionId && !b.form);
  if (choice) {
    return {
      body: [{ type: 'Input.ChoiceSet', id: 'choice', label: 'Choose', style: 'filtered', choices: list.slice(0, 100).map((b) => ({ title: clip(b.label, 100), value: b.value })) }],
      actions: [{ type: 'Action.Execute', title: 'Choose', verb: list[0]!.actionId, data: { wl: list[0]!.actionId, v: '' } }],
    };
  }
  return {
    body: [],
    actions: list.map((b) => (b.form ? {
      type: 'Action.ShowCard', title: clip(b.label, 50),
      card: { type: 'AdaptiveCard', body: formInputs(b.form, lists), actions: [execute(b, 'Submit')] },
    } : execute(b))),
  };
}

/** Teams shows at most six actions on a card. */
const MAX_ACTIONS = 6;

function card(text: string, statuses: string[], buttons: ButtonSpec[], lists: PickList, refresh: Element | null): Element {
  const a = actions(buttons, lists);
  a.actions = a.actions.slice(0, MAX_ACTIONS);
  // Forms with long pickers are the heaviest part: drop them from the end until the card fits.
  while (bytes(a) > TEAMS_CARD_MAX_BYTES - 4000 && a.actions.some((x) => x.type === 'Action.ShowCard')) {
    const i = a.actions.map((x) => x.type).lastIndexOf('Action.ShowCard');
    a.actions.splice(i, 1);
  }
  const fixed = {
    type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5',
    body: [] as Element[], actions: a.actions, ...(refresh ? { refresh: { action: refresh } } : {}),
  };
  const status = statuses.map((s, i) => textBlock(s, { id: `wl_status_${i}`, weight: 'Bolder', spacing: 'Small', isSubtle: true }));
  let max = TEXT_MAX;
  for (;;) {
    const body = [textBlock(neutraliseMarkdown(clip(text, max)), { id: 'wl_text' }), ...status, ...a.body];
    const c = { ...fixed, body };
    if (bytes(c) <= TEAMS_CARD_MAX_BYTES || max < 200) return c;
    max = Math.floor(max * 0.8);
  }
}

const withCard = (summary: string, content: Element): TeamsActivity => ({
  type: 'message', summary: clip(summary, 200), attachments: [{ contentType: ADAPTIVE_CARD, content }],
});

/**
 * An activity for every neutral message: plain text (never read as HTML or markdown) for notices
 * and mirrored replies, Adaptive Cards 1.5 with Universal Actions for cards and questions.
 */
export function renderTeamsMessage(m: NeutralMessage, lists: PickList): RenderedTeams {
  switch (m.type) {
    case 'mirror': {
      const [first, ...rest] = splitText(`${m.author}: ${m.text}`, TEXT_MAX);
      return { activity: { type: 'message', textFormat: 'plain', text: first! }, ...(rest.length ? { continued: rest.map((t) => ({ type: 'message', textFormat: 'plain' as const, text: t })) } : {}) };
    }
    case 'notice': {
      if (m.image) {
        // A chart: a card with the image and the first part of the text; the rest follows as text.
        const [head, ...tail] = splitText(m.text, 12_000);
        const content = {
          type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5',
          body: [textBlock(neutraliseMarkdown(head!), { id: 'wl_text' }), { type: 'Image', url: `data:image/png;base64,${m.image.png}`, altText: clip(m.image.alt, 300), size: 'Stretch' }],
        };
        if (bytes(content) <= TEAMS_CARD_MAX_BYTES) {
          return { activity: withCard(m.text, content), ...(tail.length ? { continued: tail.map((t) => ({ type: 'message', textFormat: 'plain' as const, text: t })) } : {}) };
        }
      }
      const [first, ...rest] = splitText(m.text, TEXT_MAX);
      return { activity: { type: 'message', textFormat: 'plain', text: first! }, ...(rest.length ? { continued: rest.map((t) => ({ type: 'message', textFormat: 'plain' as const, text: t })) } : {}) };
    }
    case 'clarify':
      return { activity: withCard(m.text, card(m.text, [], m.buttons, lists, null)) };
    case 'case_card':
    case 'confirmation': {
      const views = m.type === 'case_card' ? [m.case] : m.cases;
      const refresh = { type: 'Action.Execute', verb: 'wl.refresh', data: { wl: 'wl.refresh', v: JSON.stringify({ kind: m.type, caseIds: views.map((v) => v.caseId) }) } };
      return { activity: withCard(m.text, card(m.text, views.map((v) => `${v.reference}: ${v.statusLabel}`), m.buttons, lists, refresh)) };
    }
  }
}

export const cardBytes = bytes;
