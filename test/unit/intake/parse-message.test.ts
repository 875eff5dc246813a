import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalogue } from '../../../src/catalogue/default-catalogue.js';
import { normaliseText } from '../../../src/intake/normalise.js';
import { parseMessage } from '../../../src/intake/parse-message.js';
import { parseLine } from '../../../src/intake/parse-jsonl.js';
import { parseByRules } from '../../../src/intake/rule-reading.js';

const catalogue = loadDefaultCatalogue();
const parse = (text: string, wards: string[] = ['erdington'], channelName = 'wardline') => parseMessage({ text }, { sender: { role: 'councillor', wards }, channelName, catalogue });
const services = new Set(catalogue.services.map((s) => s.id as string));
const wards = new Set(catalogue.wards.map((w) => w.id as string));

describe('normalising platform markup', () => {
  it('reads Slack and Teams markup as plain text', () => {
    expect(normaliseText('<@U07BKR2NB> see <#C123|erdington> &amp; <https://x.example/a|the map> :wave:')).toBe('see #erdington & the map');
    expect(normaliseText('<p><at>Wardline</at>&nbsp;Bins&#39; out<br>again &lt;3</p>')).toBe("Bins' out\nagain <3");
  });
});

describe('parseMessage', () => {
  it('opens a case with ward, service, topic and location', () => {
    const r = parse('fly-tipping again on Slade Road, Erdington, third time this month');
    expect(r.kind).toBe('escalation');
    expect(r.cases).toMatchObject([{ ward: 'erdington', service: 'waste-enforcement', topic: 'fly-tipping', location: 'Slade Road', urgent: false }]);
  });

  it('takes the model\'s word for chatter, even where the words name a service and a street', () => {
    expect(parse('thanks all, the fly-tipping on Slade Road has been cleared').kind).toBe('chatter');
  });

  it('reads a message put to wardline in a general channel as a direct message, the channel still naming its ward', () => {
    const inGeneral = (text: string, channelName: string, addressed: boolean) => parseMessage({ text }, { sender: { role: 'councillor', wards: ['erdington', 'kingstanding'] }, channelName, addressed, catalogue });
    const text = 'Fly-tipping on Slade Road, mattresses';
    expect(inGeneral(text, 'Ward - Erdington', true)).toMatchObject({ kind: 'escalation', cases: [{ ward: 'erdington', service: 'waste-enforcement' }] });
    expect(inGeneral(`${text}, Erdington`, 'general', true)).toMatchObject({ kind: 'escalation', cases: [{ ward: 'erdington', service: 'waste-enforcement' }] });
  });

  it('never takes an /escalate for chatter: it asks, with buttons, what it cannot settle', () => {
    const asked = parseMessage({ text: 'thanks all' }, { sender: { role: 'councillor', wards: ['erdington'] }, channelName: null, problem: true, catalogue });
    expect(asked).toMatchObject({ kind: 'clarify', missing: ['service'] });
    expect(asked.candidates.services.length).toBeGreaterThanOrEqual(2);
    expect(parse('thanks all').kind).toBe('chatter');
  });

  it('treats empty, whitespace and thanks as chatter', () => {
    for (const t of ['', '   \n ', 'Thanks all, the lights on Station Road are fixed now :tada:']) expect(parse(t).kind).toBe('chatter');
  });

  it('asks which ward when a name spans several wards or the sender has several', () => {
    const r = parse('Potholes all along Stratford Road in Hall Green, please can Amey look', ['hall-green-north', 'hall-green-south']);
    expect(r).toMatchObject({ kind: 'clarify', missing: ['ward'] });
    expect(r.candidates.wards.map((w) => w.id)).toEqual(['hall-green-north', 'hall-green-south']);
  });

  it('does not take a street named after a place as that place', () => {
    const r = parse('Moseley Road: overflowing litter bins outside the shops, can street cleaning come', ['sparkbrook-balsall-heath-east']);
    expect(r.cases[0]).toMatchObject({ ward: 'sparkbrook-balsall-heath-east', service: 'street-cleaning' });
  });

  it('follows negation: "not a highways issue, it is fly-tipping"', () => {
    const r = parse('Not a highways issue, it is fly-tipping: mattresses dumped across the pavement on Short Heath Road');
    expect(r.cases.map((c) => c.service)).toEqual(['waste-enforcement']);
  });

  it('tells a park bin from a wheelie bin and barking from dog wardens', () => {
    expect(parse('The park bins in Rookery Park have not been emptied for two weeks').cases[0]?.service).toBe('parks');
    expect(parse('Wheelie bin missed again on Orphanage Road, second week running').cases[0]?.service).toBe('refuse-collection');
    expect(parse('Constant barking from next door on Marsh Hill all night, residents cannot sleep').cases[0]?.service).toBe('environmental-health');
  });

  it('gives estate grass to housing', () => {
    expect(parse('The communal grass in front of the council flats on Kingsbury Road is knee high').cases[0]?.service).toBe('housing-management');
  });

  it('opens one case per problem', () => {
    const r = parse('Gravelly Lane: two street lights out by the bus stop. Also a sofa and a fridge dumped on the corner since Monday');
    expect(r.cases.map((c) => c.service).sort()).toEqual(['highways-maintenance', 'waste-enforcement']);
  });

  it('asks rather than guesses when the service is unclear', () => {
    const r = parse('Resident on Holly Lane says the situation is happening again, can someone call her');
    expect(r).toMatchObject({ kind: 'clarify', missing: ['service'] });
  });

  it('marks danger and vulnerable people urgent, not sarcasm or "not urgent"', () => {
    expect(parse('Exposed cables hanging out of the lamp post on Reservoir Road at child height, Amey please make safe').cases[0]?.urgent).toBe(true);
    expect(parse('Street light out on Reservoir Road, not urgent but please fix').cases[0]?.urgent).toBe(false);
    expect(parse('Pothole on Reservoir Road, the "urgent" repair promised in March still has not happened').cases[0]?.urgent).toBe(false);
  });

  it('never throws and only returns catalogue wards and services (property)', () => {
    const markup = fc.constantFrom('<p>', '</at>', '<@U1', '<#C1|', '&amp;', '&#9999999;', ':warning:', '\u202e', '\u0000', '🙃', 'Erdington', 'fly-tipping', 'Road');
    const text = fc.oneof(fc.string({ maxLength: 2000 }), fc.array(fc.oneof(markup, fc.string({ maxLength: 20 })), { maxLength: 400 }).map((a) => a.join(' ')), fc.string({ unit: 'binary', maxLength: 100_000 }));
    fc.assert(fc.property(text, fc.array(fc.string(), { maxLength: 3 }), (t, ws) => {
      const r = parse(t, ws, 'x');
      return r.cases.every((c) => wards.has(c.ward) && services.has(c.service));
    }), { numRuns: 300 });
  });
});

describe('wardline parse lines', () => {
  it('answers a line that is not JSON with an error and goes on', () => {
    expect(parseLine('{not json', 3, catalogue)).toMatchObject({ id: null, error: expect.stringMatching(/^line 3: not valid JSON/) });
    expect(parseLine('{"id":"a","text":"Thanks!"}', 4, catalogue)).toEqual({ id: 'a', kind: 'chatter', cases: [], missing: [] });
  });
});

describe('the hand-written rules (the parser\'s second opinion)', () => {
  it('answers when a part names a service the whole message takes back, instead of throwing', () => {
    const r = parseByRules({ text: 'Not a pothole problem; pothole reported on Mill Lane is fine. Bins missed on Church Lane' }, { sender: { wards: ['erdington'] }, catalogue });
    expect(r.kind).toBe('escalation');
    expect(r.cases.map((c) => c.service)).toEqual(['refuse-collection']);
  });
});
