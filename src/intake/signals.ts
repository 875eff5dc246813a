/** Language cues that are not council-specific: requests, chatter, uncertainty. */

/** Someone is asked to act. */
export const REQUEST = /\b(please|pls|plz|can (?:someone|somebody|we|you|they|it|an? \w+)|could (?:someone|somebody|we|you|they|an? \w+)|would (?:someone|you)|need(?:s)? (?:to|someone|sorting|filling|clearing)|get (?:it|them|this) (?:sorted|done|fixed|removed|lifted|cleared|emptied)|chase|escalate|any chance|look (?:at|into)|pick (?:it|this) up|sort (?:it|this)|find out|give me a call|ring (?:her|him|them)|send (?:a|the|some)|arrange|act\b|action|for the list|on the list|to inspect|visit|check (?:it|this|on))/i;

/** Closing the loop, thanks, logistics, announcements, questions to colleagues. */
export const CHATTER = /\b(thanks|thank you|cheers all|well done|congratulations|congrats|fixed now|now been fixed|is fixed|has been fixed|sorted now|been sorted|closing the loop|all done|works are booked|reminder|meeting(?! (?:last night |yesterday |tonight )?(?:raised|said|reported|told|heard))|agenda|slides|minutes|expenses|on leave|annual leave|anyone going|has anyone|who'?s doing|anyone (?:seen|got|know|fancy)|tea run|lunch|dinner|share a lift|conference|training|offline|maintenance|inbox|email address|bouncing|liaison|contact (?:from|is)|best person|put (?:her|him|them) in touch|does the bot|quick question|swap you|won the|award|fyi|grant applications?|newsletter|survey)\b/i;

/** Doubt about which team: "is this planning or EH?", "not sure who owns this". */
export const UNSURE = /\b(not sure (?:who|which|whose|if)|unsure|which (?:team|service|department)|who (?:owns|covers|deals with|handles)|whoever|is (?:this|it|that) \w+(?: \w+)? or \w+|\w+ or \w+\?)/i;

/** A problem described without saying what it is: asks for a service to be chosen. */
export const VAGUE = /\b(the situation|the thing|the nuisance|the issue|same as before|happening again|ongoing nuisance|the problem)\b/i;

/** Social and office life: never a case. */
export const SOCIAL = /\b(dinner|lunch|tea run|coffee|cake|birthday|charger|members'? (?:kitchen|room|lounge)|microwav\w*|share a lift|car share|christmas party|quiz|raffle|parking at the council house)\b/i;

/** Something is wrong, even if the service is not named: ask rather than ignore. */
export const PROBLEM = /\b(blocked|broken|damaged|fallen|collapsed|overflowing|flooded|flooding|smashed|missing|not working|out of order|leaking|dumped|dangerous|unsafe|overgrown|infested|still there)\b/i;
