import { loadDefaultCatalogue } from '../../src/catalogue/default-catalogue.js';

export const STREET_STEMS = ['Ash', 'Birch', 'Cedar', 'Elm', 'Hazel', 'Holly', 'Larch', 'Maple', 'Oak', 'Rowan', 'Willow', 'Yew', 'Alder', 'Beech', 'Poplar', 'Lime', 'Aspen', 'Juniper', 'Laurel', 'Myrtle'];
const B = ['field', 'wood', 'brook', 'ley', 'ton', 'ford', 'hurst', 'well', 'more', 'dale', 'gate', 'hill', 'side', 'croft', 'mead', 'stead', 'worth', 'bury', 'combe', 'holme'];
const T = ['Road', 'Lane', 'Street', 'Avenue', 'Grove', 'Close', 'Drive', 'Crescent'];
const wards = loadDefaultCatalogue().wards;

/** Report i (a Slack mention): a distinct street in one of the 69 wards, so no two are the same problem. */
export const distinctReport = (i: number): string => {
  const s = Math.floor(i / wards.length);
  return `<@UBOT> fly-tipping again on ${STREET_STEMS[s % 20]}${B[Math.floor(s / 20) % 20]} ${T[Math.floor(s / 400) % 8]}, ${wards[i % wards.length]!.name}, please send someone`;
};
