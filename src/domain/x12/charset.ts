/**
 * X12 character set for outbound text elements (names, addresses, free text).
 *
 * X12.5 defines a basic set (upper-case A-Z, digits, space and ! " & ' ( ) * + , - . / : ; ? =) and an extended set
 * (lower case and a few symbols). Anything else, e.g. `í` or `ã`, is outside both: validators such as pyx12 refuse the
 * file and clearinghouses reject it. We fold accents to their base letter (NFD + drop combining marks), spell out the
 * letters NFD cannot split, upper-case, and keep only the basic set minus our own delimiters (* : ^ ~), so no element
 * can ever contain a separator.
 */

/** Letters that have no canonical decomposition into base letter + mark. */
const SPELLED: Record<string, string> = {
  ß: 'SS', ẞ: 'SS', æ: 'AE', Æ: 'AE', œ: 'OE', Œ: 'OE', ø: 'O', Ø: 'O', ł: 'L', Ł: 'L', đ: 'D', Đ: 'D', ð: 'D', Ð: 'D',
  þ: 'TH', Þ: 'TH', ı: 'I', ħ: 'H', Ħ: 'H',
};

/** Basic-set characters we allow in an element: the separators we write with (* : ^ ~) are left out on purpose. */
const NOT_ALLOWED = /[^A-Z0-9 !"&'()+,\-./;?=]/g;

/** Transliterate to the X12 basic character set, collapse whitespace, trim and cut to `max` characters. */
export function toX12Text(value: string, max = 60): string {
  const folded = value
    .replace(/[ßẞæÆœŒøØłŁđĐðÐþÞıħĦ]/g, (ch) => SPELLED[ch] ?? ' ')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(NOT_ALLOWED, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return folded.slice(0, max).trimEnd();
}

/** True when every character is in the allowed subset (what `toX12Text` produces). */
export function isX12Text(value: string): boolean {
  return !/[^A-Z0-9 !"&'()+,\-./;?=]/.test(value);
}
