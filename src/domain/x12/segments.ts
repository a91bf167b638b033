/**
 * Element access with positions: every read names its element (`CLP04`) so a failure can say exactly where.
 */
import * as money from '../money';
import type { Cents } from '../money';
import { X12ParseError, type X12Position } from './errors';

// Bound once: a namespace property read per call costs measurable time under CommonJS transpilers (getter per export).
const { MoneyError, parseCents } = money;

/** The segment being mapped. Reused by the mapper (one object per parser, not per segment). */
export interface SegmentContext {
  elements: string[];
  index: number;
  byteOffset: number;
}

export function elementName(id: string, position: number): string {
  return `${id}${position < 10 ? '0' : ''}${position}`;
}

export function positionOf(seg: SegmentContext, position?: number): X12Position {
  const id = seg.elements[0];
  return {
    segmentIndex: seg.index,
    segmentId: id,
    element: position === undefined ? undefined : elementName(id, position),
    byteOffset: seg.byteOffset,
  };
}

/** Element value or '' when absent. */
export function el(seg: SegmentContext, position: number): string {
  const v = seg.elements[position];
  return v === undefined ? '' : v;
}

/** Element value or undefined when absent/empty. */
export function opt(seg: SegmentContext, position: number): string | undefined {
  const v = seg.elements[position];
  return v === undefined || v === '' ? undefined : v;
}

export function req(seg: SegmentContext, position: number, what?: string): string {
  const v = seg.elements[position];
  if (v === undefined || v === '') {
    const name = elementName(seg.elements[0], position);
    throw new X12ParseError('MISSING_ELEMENT', `required element ${name}${what ? ` (${what})` : ''} is missing`, positionOf(seg, position));
  }
  return v;
}

/**
 * Exact integer-cents value of the common spellings `-?\d{1,13}(\.\d{0,2})?`, computed digit by digit (no floating
 * point); undefined for anything else, which then goes through `parseCents` (the authority, which also rejects junk).
 */
function plainCents(text: string): Cents | undefined {
  const len = text.length;
  if (len === 0 || len > 17) return undefined;
  let i = 0;
  const negative = text.charCodeAt(0) === 45;
  if (negative) i = 1;
  let whole = 0;
  const wholeStart = i;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) break;
    if (c < 48 || c > 57) return undefined;
    whole = whole * 10 + (c - 48);
  }
  const wholeDigits = i - wholeStart;
  if (wholeDigits === 0 || wholeDigits > 13) return undefined;
  let frac = 0;
  if (i < len) {
    const fracDigits = len - i - 1;
    if (fracDigits > 2) return undefined;
    for (let j = i + 1; j < len; j++) {
      const c = text.charCodeAt(j);
      if (c < 48 || c > 57) return undefined;
      frac = frac * 10 + (c - 48);
    }
    if (fracDigits === 1) frac *= 10;
  }
  const cents = whole * 100 + frac;
  return negative && cents !== 0 ? -cents : cents;
}

/** Amount text → integer cents, exactly as `parseCents` would (throws MoneyError on anything invalid). */
export function amountCents(text: string): Cents {
  const fast = plainCents(text);
  return fast === undefined ? parseCents(text) : fast;
}

function toCents(seg: SegmentContext, position: number, text: string): Cents {
  const fast = plainCents(text);
  if (fast !== undefined) return fast;
  try {
    return parseCents(text);
  } catch (e) {
    if (!(e instanceof MoneyError)) throw e;
    const name = elementName(seg.elements[0], position);
    const shown = text.length > 24 ? `${text.slice(0, 24)}…` : text;
    throw new X12ParseError('INVALID_AMOUNT', `${name} is not a valid amount: "${shown}" (${e.message})`, positionOf(seg, position));
  }
}

export function amount(seg: SegmentContext, position: number, what?: string): Cents {
  return toCents(seg, position, req(seg, position, what));
}

export function optAmount(seg: SegmentContext, position: number): Cents | undefined {
  const v = seg.elements[position];
  if (v === undefined || v === '') return undefined;
  return toCents(seg, position, v);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Decimal (R type) value such as a quantity; undefined when absent; NaN when not a number. */
export function decimal(seg: SegmentContext, position: number): number | undefined {
  const v = seg.elements[position];
  if (v === undefined || v === '') return undefined;
  const t = v.trim();
  return NUMBER.test(t) ? Number(t) : Number.NaN;
}

/** Integer (N0 type) element, required. */
export function integer(seg: SegmentContext, position: number): number {
  const v = req(seg, position).trim();
  if (!/^\d+$/.test(v)) {
    throw new X12ParseError('INVALID_VALUE', `${elementName(seg.elements[0], position)} must be a whole number, got "${v.slice(0, 24)}"`, positionOf(seg, position));
  }
  return Number(v);
}

export interface CompositeSplit {
  parts: string[];
  /** The declared component separator did not split the value and `>` or `:` did. */
  fallback?: string;
}

const FALLBACKS = ['>', ':'];

/**
 * Splits a composite element. Some payers write SVC01 as `HC>99213` while ISA16 declares `:` (and vice versa); when
 * the declared separator does not occur but one of `>`/`:` does, that one is used and reported as `fallback`.
 */
export function splitComposite(value: string, component: string, allowFallback: boolean): CompositeSplit {
  if (value.includes(component)) return { parts: value.split(component) };
  if (allowFallback) {
    for (const f of FALLBACKS) {
      if (f !== component && value.includes(f)) return { parts: value.split(f), fallback: f };
    }
  }
  return { parts: [value] };
}
