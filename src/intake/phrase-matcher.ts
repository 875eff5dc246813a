/**
 * A large alternation of names (the catalogue's phrases, its places), matched exactly as one global
 * RegExp would match it, but quickly. The RegExp tries every alternative at every word start; here a
 * trie over each alternative's leading letters picks, at each word start, the few alternatives
 * whose letters are there, and only those are tried, by a sticky RegExp built from them in their
 * original order with the same lookarounds. An alternative that is left out cannot match at that
 * position (its first letters differ), so the first alternative to match, and so the match, are
 * the same as the whole RegExp's. Letters are compared as a case-insensitive RegExp compares them:
 * ASCII by upper case, and no other character ever equals an ASCII letter.
 */

/** Before every alternative: not inside a word. */
export const WORD_START = "(?<![\\w'’])";

export interface Match {
  index: number;
  text: string;
}

export interface AlternationMatcher {
  /** The alternatives, in order (RegExp source each). */
  readonly alternatives: readonly string[];
  /** The whole alternation as one global RegExp: what the matcher agrees with. */
  readonly regex: RegExp;
  /** The first match at or after `from`, as `regex.exec` with `lastIndex = from` finds it. */
  exec(text: string, from: number): Match | null;
}

interface TrieNode {
  children: Map<number, TrieNode>;
  /** Alternatives (by position) whose leading letters end here, and at the nodes above. */
  candidates: number[];
}

const SPECIAL = new Set('\\^$.|?*+()[]{}/'.split(''));
const QUANTIFIER = new Set(['*', '+', '?', '{']);

/**
 * The characters every match of an alternative begins with, as codes compared case-insensitively
 * when asked: literal characters up to the first class, group, escape class or optional character.
 * Only ASCII is kept (where a RegExp's case folding is plain); the rest is left to the RegExp.
 */
export function leadingLiteral(source: string, ignoreCase: boolean): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < source.length) {
    let ch = source[i]!;
    let width = 1;
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) break;
      ch = next;
      width = 2;
    } else if (SPECIAL.has(ch)) break;
    if (QUANTIFIER.has(source[i + width] ?? '')) break;
    const code = ch.charCodeAt(0);
    if (code >= 128) break;
    out.push(canonical(code, ignoreCase));
    i += width;
  }
  return out;
}

function canonical(code: number, ignoreCase: boolean): number {
  return ignoreCase && code >= 97 && code <= 122 ? code - 32 : code;
}

/**
 * Where a match may begin: a word start whose character begins some alternative (any word start
 * when one alternative begins with no fixed character). The RegExp engine skips the rest quickly.
 */
function startsOf(firstCodes: number[], anywhere: boolean, flags: string): RegExp {
  if (anywhere) return new RegExp(WORD_START, `g${flags}`);
  const first = firstCodes.map((c) => `\\x${c.toString(16).padStart(2, '0')}`).join('');
  return new RegExp(`${WORD_START}[${first}]`, `g${flags}`);
}

/** Below this many alternatives the RegExp engine's own scan is as fast (measured on the catalogue's places and acronyms). */
const DISPATCH_FROM = 300;

export function compileAlternation(alternatives: string[], after: string, ignoreCase: boolean, dispatchFrom = DISPATCH_FROM): AlternationMatcher {
  const flags = ignoreCase ? 'i' : '';
  const regex = new RegExp(`${WORD_START}(?:${alternatives.join('|')})${after}`, `g${flags}`);
  if (alternatives.length < dispatchFrom) return { alternatives, regex, exec: (text, from) => execWhole(regex, text, from) };
  return { alternatives, regex, exec: dispatcher(alternatives, after, ignoreCase) };
}

function execWhole(regex: RegExp, text: string, from: number): Match | null {
  regex.lastIndex = from;
  const m = regex.exec(text);
  return m ? { index: m.index, text: m[0] } : null;
}

/** The trie flattened: `next[node * width + column]` is the child (or -1); column -1 is a character no alternative begins with. */
interface FlatTrie {
  column: Int16Array;
  width: number;
  next: Int32Array;
  candidates: number[][];
  /** The characters some alternative begins with. */
  first: number[];
}

function buildTrie(alternatives: string[], ignoreCase: boolean): FlatTrie {
  const root: TrieNode = { children: new Map(), candidates: [] };
  const ends = new Map<TrieNode, number[]>();
  alternatives.forEach((alt, k) => {
    let node = root;
    for (const code of leadingLiteral(alt, ignoreCase)) {
      let child = node.children.get(code);
      if (!child) node.children.set(code, (child = { children: new Map(), candidates: [] }));
      node = child;
    }
    ends.set(node, [...(ends.get(node) ?? []), k]);
  });
  const nodes: TrieNode[] = [];
  const codes = new Set<number>();
  const visit = (node: TrieNode, above: number[]) => {
    nodes.push(node);
    const own = ends.get(node);
    node.candidates = own?.length ? [...above, ...own].sort((a, b) => a - b) : above;
    for (const [code, child] of node.children) { codes.add(code); visit(child, node.candidates); }
  };
  visit(root, []);
  const column = new Int16Array(128).fill(-1);
  [...codes].forEach((code, col) => {
    column[code] = col;
    if (ignoreCase && code >= 65 && code <= 90) column[code + 32] = col;
  });
  const width = codes.size;
  const id = new Map(nodes.map((n, i) => [n, i]));
  const next = new Int32Array(nodes.length * width).fill(-1);
  nodes.forEach((n, i) => { for (const [code, child] of n.children) next[i * width + column[code]!] = id.get(child)!; });
  return { column, width, next, candidates: nodes.map((n) => n.candidates), first: [...root.children.keys()] };
}

function dispatcher(alternatives: string[], after: string, ignoreCase: boolean): (text: string, from: number) => Match | null {
  const flags = ignoreCase ? 'i' : '';
  const { column, width: w, next, candidates, first } = buildTrie(alternatives, ignoreCase);
  /** One sticky RegExp per set of candidates, made when first needed. */
  const stickies = new Map<number[], RegExp>();
  const stickyAt: (RegExp | null | undefined)[] = [];
  const stickyOf = (node: number): RegExp | null => {
    let re = stickyAt[node];
    if (re !== undefined) return re;
    const set = candidates[node]!;
    re = set.length ? stickies.get(set) ?? null : null;
    if (set.length && !re) stickies.set(set, (re = new RegExp(`${WORD_START}(?:${set.map((k) => alternatives[k]).join('|')})${after}`, `y${flags}`)));
    return (stickyAt[node] = re);
  };
  const starts = startsOf(first, candidates[0]!.length > 0, flags);
  /** With an alternative that begins with no fixed character, every word start is a candidate (the match found is empty). */
  const step = candidates[0]!.length ? 0 : 1;

  return (text: string, from: number): Match | null => {
    starts.lastIndex = Math.max(0, from);
    while (starts.test(text)) {
      const p = starts.lastIndex - step;
      let node = 0;
      for (let i = p; i < text.length; i++) {
        const c = text.charCodeAt(i);
        const col = c < 128 ? column[c]! : -1;
        const child = col < 0 ? -1 : next[node * w + col]!;
        if (child < 0) break;
        node = child;
      }
      const re = stickyOf(node);
      if (re) {
        re.lastIndex = p;
        const m = re.exec(text);
        if (m) return { index: p, text: m[0] };
      }
      starts.lastIndex = p + 1;
    }
    return null;
  };
}

/** Every match from the start, as a global RegExp's exec loop finds them (an empty match moves on one). */
export function allMatches(matcher: AlternationMatcher, text: string): Match[] {
  const out: Match[] = [];
  for (let m = matcher.exec(text, 0); m; m = matcher.exec(text, m.index + Math.max(1, m.text.length))) out.push(m);
  return out;
}
