/**
 * Tiny X12 tokenizer for the payer emulator (reads the 837P our client sends). Separators come from the ISA
 * segment itself: element = 4th character, component = ISA16, segment terminator = the character after ISA16.
 * Whitespace (CR/LF) after terminators and a leading BOM are tolerated. It is intentionally not a validating parser:
 * the product's parser lives in src/domain/x12.
 */
export interface X12Document {
  element: string;
  component: string;
  terminator: string;
  segments: string[][];
}

export class X12SyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'X12SyntaxError';
  }
}

const ISA_LENGTH = 106;

export function tokenizeX12(raw: string): X12Document {
  const text = raw.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  if (!text.startsWith('ISA') || text.length < ISA_LENGTH) throw new X12SyntaxError('interchange does not start with a complete ISA segment');
  const element = text[3];
  const component = text[104];
  const terminator = text[105];
  if (/[A-Za-z0-9\s]/.test(element) || /[A-Za-z0-9]/.test(terminator)) throw new X12SyntaxError('ISA separators are not valid delimiters');
  const segments = text
    .split(terminator)
    .map((s) => s.replace(/^[\r\n]+|[\r\n]+$/g, ''))
    .filter((s) => s.trim() !== '')
    .map((s) => s.split(element));
  return { element, component, terminator, segments };
}
