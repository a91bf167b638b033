import fc from 'fast-check';
import type { Referral } from '../../src/domain';
import { foreign835 } from './remits';

/**
 * Generators of hostile ingress bodies (shared by the ingress fuzz test and `npm run chaos`). Every body generated
 * here is invalid for its route by construction (wrong types, out-of-range values, unknown keys, malformed JSON), so
 * the ingress must refuse each one with a 4xx and a reason.
 */
// (no empty array: `documents: []` and `requiredDocuments: []` are valid — the fuzz found that out)
const wrongTypeValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.constant([1]),
  fc.constant({}),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => ({ s })),
);

/** A raw JSON number literal that is not an integer cent amount (1e309 parses to Infinity). */
const badAmountLiteral = fc.constantFrom('1e309', '-1e309', '0.5', '-1', '"12"', '1e400', '9007199254740993.5', '[]');

const deep = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);

export type BodyMaker = (valid: Referral) => string;

/** Damaged referrals: each mutation alone makes the referral invalid. */
export const hostileReferralBody: fc.Arbitrary<BodyMaker> = fc.oneof(
  // a required field with a value of the wrong type
  fc.tuple(fc.constantFrom('siteId', 'referralId', 'patientRef', 'payerId', 'planType', 'urgency', 'receivedAt', 'orderedServices', 'documents', 'requiredDocuments'), wrongTypeValue).map(
    ([key, value]) => (r: Referral) => JSON.stringify({ ...r, [key]: value }),
  ),
  // a required field missing
  fc.constantFrom('siteId', 'referralId', 'patientRef', 'payerId', 'orderedServices').map((key) => (r: Referral) => {
    const copy: Record<string, unknown> = { ...r };
    delete copy[key];
    return JSON.stringify(copy);
  }),
  // an unknown key (the schema is strict), with a unicode name
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((k) => !['siteId', 'referralId', 'patientRef', 'payerId', 'planType', 'urgency', 'receivedAt', 'orderedServices', 'documents', 'requiredDocuments', 'authRequired', 'preparerId', '__proto__'].includes(k)).map(
    (key) => (r: Referral) => JSON.stringify({ ...r, [key]: 1 }),
  ),
  // amounts that are no integer cents, spliced in as raw JSON text
  badAmountLiteral.map((lit) => (r: Referral) => JSON.stringify(r).replace(/"chargeCents":\d+/, `"chargeCents":${lit}`)),
  // ids with unicode, control characters or oversized
  fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map((s) => `é${s}`), fc.constantFrom('a b', 'x\u0000y', '\ud800', '../etc', 'A'.repeat(300), ''), fc.nat({ max: 300_000 }).map((n) => 'Z'.repeat(200 + n))).map(
    (id) => (r: Referral) => JSON.stringify({ ...r, referralId: id }),
  ),
  // huge arrays (over the schema's bounds)
  fc.integer({ min: 51, max: 5000 }).map((n) => (r: Referral) => JSON.stringify({ ...r, orderedServices: Array.from({ length: n }, () => r.orderedServices[0]) })),
  // deep nesting where a string belongs, and as the whole body
  fc.integer({ min: 10, max: 100_000 }).map((d) => (r: Referral) => JSON.stringify({ ...r, patientRef: '__DEEP__' }).replace('"__DEEP__"', deep(d, '[', ']'))),
  fc.integer({ min: 10, max: 100_000 }).map((d) => () => deep(d, '{"a":', '}').replace(/\{"a":\}/, '{"a":1}')),
  // malformed JSON: a valid body cut anywhere, or text that is not JSON
  fc.nat().map((n) => (r: Referral) => {
    const text = JSON.stringify(r);
    return text.slice(0, n % (text.length - 1));
  }),
  fc.string({ unit: 'binary', maxLength: 200 }).filter((s) => !isJson(s)).map((s) => () => s),
  // valid JSON of the wrong shape
  fc.jsonValue({ maxDepth: 4 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v) || !('siteId' in v)).map((v) => () => JSON.stringify(v)),
);

/** Payer envelopes (eligibility/prior-auth/claim-status routes) broken the same ways. */
type Ids = { siteId: string; referralId: string };
export const hostilePayerBody: fc.Arbitrary<(ids: Ids) => string> = fc.oneof<fc.Arbitrary<(ids: Ids) => string>[]>(
  fc.jsonValue({ maxDepth: 3 }).map((payload) => (ids: Ids) => JSON.stringify({ ...ids, payload: Array.isArray(payload) || payload === null || typeof payload !== 'object' ? payload : { ...payload, messageId: 1 } })),
  fc.tuple(fc.constantFrom('siteId', 'referralId'), wrongTypeValue).map(([k, v]) => (ids: Ids) => JSON.stringify({ ...ids, [k]: v, payload: {} })),
  fc.integer({ min: 10, max: 50_000 }).map((d) => (ids: Ids) => JSON.stringify({ ...ids, payload: { kind: '__DEEP__' } }).replace('"__DEEP__"', deep(d, '[', ']'))),
  badAmountLiteral.map((lit) => (ids: Ids) => `{"siteId":"${ids.siteId}","referralId":"${ids.referralId}","payload":{"messageId":"m-1","copayCents":${lit}}}`),
  fc.string({ unit: 'binary', maxLength: 200 }).filter((s) => !isJson(s)).map((s) => () => s),
);

/** Broken 835 files (the remittance route). */
export const hostile835: fc.Arbitrary<string> = fc.oneof(
  fc.nat().map((n) => {
    const base = foreign835('FUZZCLAIM1');
    return base.slice(0, 1 + (n % (base.trimEnd().length - 3)));
  }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 500 }),
  fc.constantFrom('1e309', '-1e309', 'NaN').map((amount) => foreign835('FUZZCLAIM2').replace(/CLP\*([^*]*)\*([^*]*)\*([^*]*)\*/, `CLP*$1*$2*${amount}*`)),
);

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}
