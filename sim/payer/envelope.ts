import { x12Safe } from './x12Charset';

/**
 * Interchange envelope the emulator writes around its own transactions (835, 999, 277CA): ISA/IEA with the fixed
 * widths of X12.5 (ISA is always 106 characters), GS/GE with the functional identifier and version of the guide.
 * Separators: element `*`, component `:`, repetition `^`, segment `~` followed by a newline for readability.
 */
export const SIM_SEPARATORS = { element: '*', component: ':', repetition: '^', segment: '~' } as const;

export interface EnvelopeIds {
  senderId: string;
  receiverId: string;
  interchangeControlNumber: number;
  groupControlNumber: number;
  createdAt: Date;
  usage?: 'T' | 'P';
}

function fixed(value: string, width: number): string {
  return x12Safe(value, width).padEnd(width, ' ');
}

function controlNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999_999_999) throw new RangeError('control numbers are 1..999999999');
  return String(n).padStart(9, '0');
}

/** Drop trailing empty elements (X12 forbids trailing separators). */
export function trimElements(elements: string[]): string[] {
  let end = elements.length;
  while (end > 1 && elements[end - 1] === '') end--;
  return elements.slice(0, end);
}

/**
 * Wrap one transaction body (ST..SE, without SE) in ISA/GS/SE/GE/IEA. `functionalId` is GS01 (HP 835, FA 999,
 * HN 277), `version` GS08 and ST03 (e.g. 005010X231A1; the 835 guide does not use ST03: `st03: false`).
 */
export function envelope(ids: EnvelopeIds, functionalId: string, version: string, transactionSet: string, stControl: string, body: string[][], opts: { st03?: boolean } = {}): string {
  const { element: e, component, repetition, segment } = SIM_SEPARATORS;
  const iso = ids.createdAt.toISOString();
  const ymd = iso.slice(0, 10).replace(/-/g, '');
  const hm = iso.slice(11, 16).replace(':', '');
  const isa = [
    'ISA', '00', ' '.repeat(10), '00', ' '.repeat(10), 'ZZ', fixed(ids.senderId, 15), 'ZZ', fixed(ids.receiverId, 15),
    ymd.slice(2), hm, repetition, '00501', controlNumber(ids.interchangeControlNumber), '0', ids.usage ?? 'P', component,
  ].join(e);
  const st = opts.st03 === false ? ['ST', transactionSet, stControl] : ['ST', transactionSet, stControl, version];
  const segments = [st, ...body];
  const lines = [
    isa,
    ['GS', functionalId, x12Safe(ids.senderId, 15), x12Safe(ids.receiverId, 15), ymd, hm, String(ids.groupControlNumber), 'X', version].join(e),
    ...segments.map((s) => trimElements(s).join(e)),
    ['SE', String(segments.length + 1), stControl].join(e),
    ['GE', '1', String(ids.groupControlNumber)].join(e),
    ['IEA', '1', controlNumber(ids.interchangeControlNumber)].join(e),
  ];
  return lines.map((l) => `${l}${segment}`).join('\n') + '\n';
}
