/**
 * A number's region, derived from the number alone: the country code, then the first two national
 * digits as the area prefix. Country code: the configured default when the number starts with it, else
 * ITU's one-digit zones 1 and 7, else two digits (three-digit codes are grouped by their first two: good
 * enough to group a pool). Two national digits name India's metro areas (11 Delhi, 80 Bangalore, …) and
 * group the longer area codes by their start; the names below are only labels.
 */
const AREA_NAMES: Record<string, Record<string, string>> = {
  '91': {
    '11': 'Delhi', '20': 'Pune', '22': 'Mumbai', '33': 'Kolkata', '40': 'Hyderabad', '44': 'Chennai',
    '79': 'Ahmedabad', '80': 'Bangalore', '18': 'Toll-free',
  },
};

export interface RegionOf {
  id: string;
  countryCode: string;
  prefix: string;
  name: string;
}

export function regionOf(e164: string, defaultCountryCode: string): RegionOf {
  const digits = e164.replace(/^\+/, '');
  const cc = digits.startsWith(defaultCountryCode) ? defaultCountryCode : /^[17]/.test(digits) ? digits.slice(0, 1) : digits.slice(0, 2);
  const prefix = digits.slice(cc.length, cc.length + 2);
  return { id: `${cc}-${prefix}`, countryCode: cc, prefix, name: AREA_NAMES[cc]?.[prefix] ?? `+${cc} ${prefix}` };
}

/**
 * `pattern` as a test over a number: digits with `*` (any run of digits) match the whole number, with or
 * without its country code; plain digits match anywhere in it.
 */
export function numberMatcher(pattern: string, countryCode: string): (e164: string) => boolean {
  const clean = pattern.replace(/[^0-9*]/g, '');
  if (!clean.includes('*')) return (n) => n.includes(clean);
  const re = new RegExp(`^${clean.split('*').join('\\d*')}$`);
  return (n) => {
    const digits = n.replace(/^\+/, '');
    return re.test(digits) || re.test(digits.slice(countryCode.length));
  };
}
