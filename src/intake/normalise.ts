/** Platform markup to plain text: Slack mrkdwn and Teams HTML, entities decoded. Never throws. */

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…', pound: '£',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', bull: '•', middot: '·', eacute: 'é',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (m, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : ' ';
    }
    return NAMED[code.toLowerCase()] ?? m;
  });
}

/** Emoji shortcodes that carry meaning keep a word; the rest become a space. */
const MEANINGFUL_EMOJI: Record<string, string> = { warning: ' warning ', rotating_light: ' warning ', sos: ' urgent ', fire: ' fire ' };

function stripHtml(s: string): string {
  return s
    .replace(/<at>[^<]{0,200}<\/at>/gi, ' ')
    .replace(/<(br|\/p|\/div|\/li|li|p|div|ul|ol|\/ul|\/ol|tr|\/tr)\b[^>]{0,500}>/gi, '\n')
    .replace(/<\/?[a-z][a-z0-9]{0,15}\b[^<>]{0,2000}>/gi, ' ');
}

function stripSlack(s: string): string {
  return (s.includes('<') ? stripSlackMarkup(s) : s).replace(/:([a-z0-9_+-]{1,40}):/g, emojiWord);
}

const emojiWord = (_m: string, name: string) => MEANINGFUL_EMOJI[name] ?? ' ';

function stripSlackMarkup(s: string): string {
  return s
    .replace(/<@[A-Z0-9]{2,30}(\|[^>]{0,100})?>/g, ' ')
    .replace(/<#[A-Z0-9]{2,30}\|([^>]{0,100})>/g, '#$1')
    .replace(/<!(here|channel|everyone)[^>]{0,50}>/g, ' ')
    .replace(/<!subteam\^[A-Z0-9]{1,30}(\|([^>]{0,100}))?>/g, ' $2 ')
    .replace(/<((?:https?|mailto):[^|>\s]{1,2000})\|([^>]{0,500})>/g, '$2')
    .replace(/<((?:https?|mailto):[^>\s]{1,2000})>/g, '$1');
}

/** The first `max` characters are read: a case is described at the start, not in a pasted appendix. */
export function normaliseText(raw: unknown, max = 8000): string {
  if (typeof raw !== 'string') return '';
  let s = raw.length > max ? raw.slice(0, max) : raw;
  // Control characters (but newlines and tabs) and bidi marks are noise.
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  s = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, ' ');
  // Markup needs a '<' (or a ':' for emoji), an entity an '&': most messages have neither.
  if (/<\/?(p|div|br|at|span|li|ul|b|i|strong|em)\b/i.test(s)) s = stripHtml(s);
  if (s.includes('<') || s.includes(':')) s = stripSlack(s);
  if (s.includes('&')) s = decodeEntities(s);
  // Runs of blanks become one space; a lone space is already one, so only the other runs are replaced.
  return s.replace(/[ \t\u00A0]{2,}|[\t\u00A0]/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
}
