/**
 * Phone numbers to E.164. Accepts "+91 80 6597 8001", "00918065978001", "08065978001"
 * (trunk prefix 0 + national number, with the default country code) and bare national or
 * international digits. Returns null for anything that cannot be a phone number.
 */
export function normalizeE164(raw: string, defaultCountryCode: string): string | null {
  const trimmed = raw.trim();
  if (!/^[+\d][\d\s().-]*$/.test(trimmed)) return null;
  const plus = trimmed.startsWith('+');
  let digits = trimmed.replace(/\D/g, '');
  if (plus) return valid(digits);
  if (digits.startsWith('00')) return valid(digits.slice(2));
  if (digits.startsWith('0')) return valid(defaultCountryCode + digits.slice(1));
  if (digits.length <= 10) digits = defaultCountryCode + digits;
  return valid(digits);
}

function valid(digits: string): string | null {
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : null;
}

/** A form safe to keep after a masking session ends: +9198******25. */
export function maskNumber(e164: string): string {
  if (e164.length <= 6) return '*'.repeat(e164.length);
  return e164.slice(0, 5) + '*'.repeat(e164.length - 7) + e164.slice(-2);
}
