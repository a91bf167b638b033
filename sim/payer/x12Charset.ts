/**
 * X12 character set for the emulator's outbound text (X12.6 §3.3: the basic set is A-Z 0-9 space and
 * ! " & ' ( ) * + , - . / : ; ? =; the extended set adds a-z % @ [ ] _ { } \ | < > # $ and a few more). A receiver
 * that reads only those (pyx12, many clearinghouses) rejects "Clínica São José", so names are transliterated:
 * decompose (NFD) and drop the combining accents, spell out ligatures and letters without a decomposition (ß → SS,
 * Æ → AE, Ø → O, Ł → L…), then drop anything still outside the set. The separators this emulator uses (* : ~ ^) are
 * data-forbidden and become spaces. Upper case, as payers print names.
 */
const SPELLED: Record<string, string> = {
  ß: 'SS', ẞ: 'SS', Æ: 'AE', æ: 'AE', Œ: 'OE', œ: 'OE', Ø: 'O', ø: 'O', Ł: 'L', ł: 'L', Đ: 'D', đ: 'D', Ð: 'D', ð: 'D',
  Þ: 'TH', þ: 'TH', ı: 'I', Ŋ: 'NG', ŋ: 'NG', '‘': "'", '’': "'", '“': '"', '”': '"', '–': '-', '—': '-', '…': '...',
};

/** Characters allowed in element data: basic + extended set minus this emulator's delimiters. */
const ALLOWED = /[A-Za-z0-9 !"&'()+,\-./;?=%@[\]_{}\\|<>#$]/;

export function x12Safe(value: string, max = 60): string {
  let out = '';
  for (const ch of value.normalize('NFD')) {
    if (/\p{M}/u.test(ch)) continue;
    const spelled = SPELLED[ch] ?? ch;
    for (const c of spelled) out += ALLOWED.test(c) ? c : ' ';
  }
  return out.replace(/\s+/g, ' ').trim().toUpperCase().slice(0, max).trim();
}

/** True when every character is in the set the emulator writes (used by tests and the writers' own checks). */
export function isX12Safe(value: string): boolean {
  for (const c of value) if (!ALLOWED.test(c)) return false;
  return true;
}
