import { memoized, regionNames } from './intl-cache';

/** ISO 3166-1 alpha-2 codes; names come from Intl.DisplayNames in the viewer's language. */
export const COUNTRY_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR ' +
  'BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ ' +
  'EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW ' +
  'GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY ' +
  'KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV ' +
  'MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY ' +
  'QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG ' +
  'TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

/**
 * Names whose wording differs between Node's ICU and Chromium's (seen: Node 24 says "Hong Kong
 * SAR China", Chromium 156 "Hong Kong"). A page renders on the server and hydrates in the
 * browser: one differing <option> made React throw the server HTML away and render again,
 * wiping what a visitor had already typed. Pinned here, both sides print the same names.
 */
const PINNED_NAMES: Record<string, Record<string, string>> = {
  en: { FK: 'Falkland Islands', HK: 'Hong Kong', MO: 'Macao', PS: 'Palestine' },
  'zh-Hans': { FK: '福克兰群岛', HK: '香港', MO: '澳门', PS: '巴勒斯坦' },
  ja: { FK: 'フォークランド諸島', HK: '香港', MO: 'マカオ', PS: 'パレスチナ' },
  'pt-BR': { FK: 'Ilhas Malvinas', HK: 'Hong Kong', MO: 'Macau', PS: 'Palestina' },
};

function regionName(names: Intl.DisplayNames, code: string, locale: string): string {
  return PINNED_NAMES[locale]?.[code] ?? names.of(code) ?? code;
}

export function countryName(code: string, locale: string): string {
  try {
    return regionName(regionNames(locale), code, locale);
  } catch {
    return code;
  }
}

/** Codes with their names, sorted by name in the viewer's language. */
export function countryOptions(
  locale: string,
  codes: readonly string[] = COUNTRY_CODES,
): readonly { code: string; name: string }[] {
  const sorted = () => {
    const names = regionNames(locale);
    const collator = new Intl.Collator(locale);
    return codes
      .map((code) => ({ code, name: regionName(names, code, locale) }))
      .sort((a, b) => collator.compare(a.name, b.name));
  };
  // The full list is kept per locale; a listing's own shipsTo list is short and built each time.
  return codes === COUNTRY_CODES ? memoized(`countries|${locale}`, sorted) : sorted();
}
