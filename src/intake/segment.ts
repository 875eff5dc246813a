/**
 * Splits a message into the parts that may each describe one problem: lines, list items,
 * sentences, and clauses joined by "also", "plus", "+" or "and the …". Each part keeps its text;
 * the model classifies each one, so "potholes on Wood End Road and the bins weren't collected on
 * Orphanage Road" gives two parts. Never throws; at most `max` parts.
 */
const SPLIT = new RegExp([
  '\\n+\\s*(?:[•*·-]\\s*|\\(?\\d{1,2}[.)]\\s+)?',
  ';\\s*',
  '\\s[•*·]\\s*',
  '(?:^|\\s)\\(?\\d{1,2}[.)]\\s+(?=\\D)',
  '(?<=[.!?])\\s+',
  '\\s[-–—]\\s',
  '\\s\\+\\s',
  ',?\\s+(?:also|plus|separately|additionally|on top of that|as well as that|while (?:you|we)[\'’]?re at it|and also|and separately|and then|and another thing|another thing)\\b[,:]?\\s*',
  ',?\\s+and\\s+(?=(?:the|a|an|there|someone|somebody|some|can|could|would|also|another|our|their|his|her|my|we|they|its|it\'s)\\b)',
].join('|'), 'gi');

export interface Segment {
  text: string;
  /** Offset of the part in the message. */
  start: number;
  /** It begins a line, a bullet or a numbered item: the writer set it apart as a point of its own. */
  item?: boolean;
}

const ITEM_MARK = /\n|^\s*[•*·]|^\s*\(?\d{1,2}[.)]/;

export function segmentMessage(text: string, max = 40): Segment[] {
  const out: Segment[] = [];
  if (typeof text !== 'string' || !text) return out;
  let last = 0;
  let item = false;
  SPLIT.lastIndex = 0;
  for (let m = SPLIT.exec(text); m && out.length < max; m = SPLIT.exec(text)) {
    if (m[0].length === 0) { SPLIT.lastIndex++; continue; }
    push(out, text.slice(last, m.index), last, item);
    last = m.index + m[0].length;
    item = ITEM_MARK.test(m[0]);
  }
  if (out.length < max) push(out, text.slice(last), last, item);
  return out;
}

function push(out: Segment[], raw: string, start: number, item: boolean): void {
  const t = raw.trim();
  if (t.length >= 3 && /[a-z]{2}/i.test(t)) out.push({ text: t, start: start + raw.indexOf(t), ...(item ? { item } : {}) });
}
