/**
 * Urgency: a risk to safety or health, a vulnerable person, or an earnest "urgent / asap /
 * today" — not sarcasm, not "urgent" in a quoted complaint about delays, not "not urgent".
 */
const EARNEST = /\b(urgent(?:ly)?|asap|a\.s\.a\.p|immediately|emergency|as a priority|top priority|today|tonight|right away|straight away|make (?:it )?safe|warning)\b/i;
const NOT_URGENT = /\b(not (?:urgent|an emergency|the end of the world)|no rush|non-urgent|when (?:you|someone) (?:get|gets|has) (?:a )?(?:chance|minute)|whenever)\b/i;
const HARM = /\b(hurt|injur\w*|broke (?:his|her|their) \w+|fell|fallen over|knocked (?:over|down)|bitten|bit (?:a|her|him)|attack\w*|cut by|collaps\w*|nearly hit|almost hit|someone (?:will|could|is going to) (?:get|be) (?:hurt|killed|injured)|before someone (?:else )?gets hurt|dangerous|danger|unsafe|hazard|at risk|not safe|frightened|terrified|scared to|exposed cables|cables hanging|live wires?|gas leak|fire|asbestos|no water|no heating|ceiling came down|mould on|bowing out|bricks have (?:already )?(?:dropped|fallen)|racist|hate crime|fell into|fireworks at|drove (?:her|him|them) to the bank|scammed|defrauded)\b/i;
const VULNERABLE = /\b(elderly|pensioner|\(\d{2}\)|aged \d{2}|she'?s \d{2}|he'?s \d{2}|\b(?:7|8|9)\d[- ]year[- ]old|disabled|disability|wheelchair|registered blind|blind|housebound|copd|asthma|ms\b|dementia|vulnerable|carer|cares for|kids?'? (?:bedroom|mattresses)|toddlers?|babies|baby|pregnant|in a panic|mobility)\b/i;
const HEALTH = /\b(smoke|damp|mould|rats|needles|sharps|sewage|no water|cold|freezing)\b/i;

export function isUrgent(text: string): boolean {
  // Quoted complaints ("it's 'urgent' apparently") and rhetorical uses do not count.
  const plain = text.replace(/["“][^"”]{0,200}["”]|(?:^|\n)\s*>[^\n]*/g, ' ');
  if (NOT_URGENT.test(plain)) return false;
  const harm = HARM.test(plain);
  const vulnerable = VULNERABLE.test(plain);
  if (EARNEST.test(plain) && (harm || vulnerable || /\b(urgent|asap|immediately|emergency|priority|make safe|today)\b/i.test(plain))) return true;
  if (harm) return true;
  return vulnerable && HEALTH.test(plain);
}
