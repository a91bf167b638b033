/**
 * NPI check digit (CMS NPI standard, 45 CFR 162.406; ISO/IEC 7812 Luhn over the card-issuer prefix 80840 followed by
 * the first nine digits). The emulator's front-end edit rejects an 837 whose billing NPI fails it.
 */
export function npiCheckDigitOk(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const payload = `80840${npi.slice(0, 9)}`;
  let sum = 0;
  // Luhn: from the rightmost payload digit, double every other one starting with the first.
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === npi.charCodeAt(9) - 48;
}
