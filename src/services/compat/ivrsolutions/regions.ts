/**
 * Number search in the vendor's words: their regions carry an STD `code` ("011"), their countries are
 * ISO letters ("IN"), their patterns say where the digits go. Our regions keep our ids ("91-11").
 */
import { ValidationError } from '../../../domain/errors.ts';
import type { NumberRegion } from '../../numbers/number-provider.ts';

/** Calling codes of the ISO countries the vendor's documents use; digits ("91", "+91") are taken as they are. */
const CALLING_CODES: Record<string, string> = { IN: '91', US: '1', CA: '1', GB: '44', AE: '971', SG: '65', AU: '61' };

/** "IN" / "+91" / "91" → "91"; anything else is a 400 naming the field. */
export function callingCode(value: string, field: string): string {
  const v = value.trim().toUpperCase();
  const code = /^\+?\d{1,3}$/.test(v) ? v.replace(/^\+/, '') : CALLING_CODES[v];
  if (!code) throw new ValidationError(`Unknown country ${value}`, [{ field, message: `an ISO country (${Object.keys(CALLING_CODES).join(', ')}) or a calling code such as "+91"` }]);
  return code;
}

/** A region as the vendor lists it: our id, its name, and the code dialled for it (trunk 0 + area at home). */
export function vendorRegion(r: NumberRegion, defaultCountryCode: string): { id: string; name: string; code: string } {
  return { id: r.id, name: r.name, code: r.country_code === defaultCountryCode ? `0${r.prefix}` : `+${r.country_code}${r.prefix}` };
}

/** The region `value` names (our id, the vendor's code, or the name), within `countryCode` when given; else a 400. */
export function resolveRegion(regions: readonly NumberRegion[], value: string, field: string, defaultCountryCode: string, countryCode?: string): NumberRegion {
  const v = value.trim().toLowerCase();
  const found = regions.find((r) => r.id === v || vendorRegion(r, defaultCountryCode).code === v || r.name.toLowerCase() === v);
  if (!found) {
    throw new ValidationError(`Unknown region ${value}`, [{ field, message: 'not a region with numbers to buy: give its id, code or name as get_did_regions lists them' }]);
  }
  if (countryCode !== undefined && found.country_code !== countryCode) {
    throw new ValidationError('The region is in another country', [{ field, message: `region ${found.id} is not in country +${countryCode}` }]);
  }
  return found;
}

/** Where the digits of a search go: anywhere (default), at the start or at the end; our pattern for it. */
export function searchPattern(digits: string | undefined, kind: string | undefined, field: string): string | undefined {
  if (digits === undefined) return undefined;
  const d = digits.replace(/[^\d]/g, '');
  if (d === '') throw new ValidationError('Invalid pattern', [{ field: 'pattern', message: 'digits' }]);
  switch ((kind ?? 'contains').toLowerCase()) {
    case 'contains': case 'any': case 'anywhere': return d;
    case 'start': case 'starts_with': case 'begins_with': return `${d}*`;
    case 'end': case 'ends_with': return `*${d}`;
    default: throw new ValidationError(`Unknown ${field}`, [{ field, message: 'contains, starts_with or ends_with' }]);
  }
}
