import type { ButtonSpec } from '../messages.js';
import type { PickList } from '../pick-list.js';


/** What a form button's modal remembers until it is submitted. */
export interface FormMetadata {
  a: string;
  v: string;
  c: string;
  m: string;
  t: string | null;
}

const plain = (text: string, max = 75) => ({ type: 'plain_text', text: text.length > max ? `${text.slice(0, max - 1)}…` : text });
const option = (o: { id: string; name: string }) => ({ text: plain(o.name), value: o.id });

function select(blockId: string, label: string, list: { id: string; name: string }[], optional: boolean, initial?: string | null) {
  const options = list.slice(0, 100).map(option);
  const chosen = initial ? options.find((o) => o.value === initial) : undefined;
  return {
    type: 'input', block_id: blockId, optional, label: plain(label),
    element: { type: 'static_select', action_id: 'value', placeholder: plain(`Choose a ${label.toLowerCase()}`), options, ...(chosen ? { initial_option: chosen } : {}) },
  };
}

function textInput(blockId: string, label: string, optional: boolean, initial?: string) {
  return {
    type: 'input', block_id: blockId, optional, label: plain(label),
    element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000, ...(initial ? { initial_value: initial.slice(0, 3000) } : {}) },
  };
}

/** The modal a form button opens (a note, a person, or a service and ward). */
export function formModal(title: string, form: NonNullable<ButtonSpec['form']>, meta: FormMetadata, lists: PickList) {
  const blocks = form.kind === 'text' ? [textInput('text', form.label, !form.required)]
    : form.kind === 'person' ? [select('person', form.label, lists.assignees, false)]
      : [select('service', 'Service', lists.services, true), select('ward', 'Ward', lists.wards, true)];
  return {
    type: 'modal', callback_id: 'wardline_form', private_metadata: JSON.stringify(meta),
    title: plain(title, 24), submit: plain('Submit'), close: plain('Cancel'), blocks,
  };
}

/** `/escalate` without text, and "Escalate this message": the councillor confirms what wardline understood. */
export function escalateModal(prefill: { text: string; wardId: string | null; serviceId: string | null }, lists: PickList) {
  return {
    type: 'modal', callback_id: 'wardline_escalate', title: plain('Escalate to an RM', 24), submit: plain('Escalate'), close: plain('Cancel'),
    blocks: [
      textInput('text', 'What is wrong, and where?', false, prefill.text),
      select('ward', 'Ward', lists.wards, true, prefill.wardId),
      select('service', 'Service', lists.services, true, prefill.serviceId),
    ],
  };
}

type StateValues = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

/** A submitted modal's answers by block id. */
export function readModal(values: StateValues | undefined): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [block, actions] of Object.entries(values ?? {})) {
    const a = actions.value;
    out[block] = a?.selected_option?.value ?? a?.value ?? null;
  }
  return out;
}
