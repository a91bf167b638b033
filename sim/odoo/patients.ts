import { createHash } from 'node:crypto';
import type { Env } from './orm';
import type { Row } from './store';

/**
 * Patient demographics in the emulated Odoo. A clinic's Odoo holds its patients as res.partner records (ref = the
 * opaque patient ref) with name, address and two custom fields (`x_birthdate`, `x_gender`) fed from its EHR. Here a
 * deterministic synthetic "EHR" stands in: when someone reads demographics (a search_read on res.partner by `ref =`
 * asking for `x_birthdate`), the partner is created from the generator on first lookup, or completed if intake made a
 * bare one (`Patient <ref>`). Same ref → same synthetic person, across runs. All data is invented.
 * Refs starting with `NOPATIENT-` are unknown to the EHR, so a test can exercise the "no such patient" path.
 */

export const UNKNOWN_PATIENT_PREFIX = 'NOPATIENT-';

/** res.country.state rows seeded with the emulator (Odoo's `code` is the USPS abbreviation). */
export const US_STATES: readonly { id: number; code: string; name: string }[] = [
  { id: 1, code: 'IL', name: 'Illinois' },
  { id: 2, code: 'CA', name: 'California' },
  { id: 3, code: 'NY', name: 'New York' },
  { id: 4, code: 'TX', name: 'Texas' },
  { id: 5, code: 'FL', name: 'Florida' },
  { id: 6, code: 'MA', name: 'Massachusetts' },
  { id: 7, code: 'WA', name: 'Washington' },
  { id: 8, code: 'PA', name: 'Pennsylvania' },
];

const FIRST = ['Ana', 'Bruno', 'Chloé', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Inês', 'Jonas', 'Kofi', 'Léa', 'Marta', 'Noah', 'Olga', 'Pavel'];
const LAST = ['Almeida', 'Brennan', 'Castillo', 'Dubois', 'Eriksen', 'Fontaine', 'García', 'Haddad', 'Ivanova', 'Jansen', 'Kowalski', 'Lindqvist', 'Müller', 'Núñez', 'Okafor', 'Petrov'];
const STREETS = ['Maple Ave', 'Oak St', 'Cedar Ln', 'Pine Rd', 'Elm St', 'Birch Way', 'Lakeview Dr', 'Hillcrest Blvd'];
const CITIES: readonly { city: string; stateId: number; zip: string }[] = [
  { city: 'Springfield', stateId: 1, zip: '62704' },
  { city: 'Sacramento', stateId: 2, zip: '95814' },
  { city: 'Albany', stateId: 3, zip: '12207' },
  { city: 'Austin', stateId: 4, zip: '73301' },
  { city: 'Tallahassee', stateId: 5, zip: '32301' },
  { city: 'Worcester', stateId: 6, zip: '01608' },
  { city: 'Olympia', stateId: 7, zip: '98501' },
  { city: 'Harrisburg', stateId: 8, zip: '17101' },
];
const GENDERS = ['female', 'male', 'other'] as const;

export interface SyntheticPatient {
  name: string;
  street: string;
  city: string;
  state_id: number;
  zip: string;
  x_birthdate: string;
  x_gender: (typeof GENDERS)[number];
}

/** The synthetic person behind a ref (pure, deterministic). */
export function syntheticPatient(ref: string): SyntheticPatient {
  const h = createHash('sha256').update(`patient:${ref}`).digest();
  const pick = <T>(list: readonly T[], byte: number): T => list[h[byte] % list.length];
  const place = pick(CITIES, 4);
  const year = 1940 + (h.readUInt16BE(6) % 75);
  const month = 1 + (h[8] % 12);
  const day = 1 + (h[9] % 28);
  return {
    name: `${pick(FIRST, 0)} ${pick(LAST, 1)}`,
    street: `${10 + (h.readUInt16BE(2) % 9000)} ${pick(STREETS, 5)}`,
    city: place.city,
    state_id: place.stateId,
    zip: place.zip,
    x_birthdate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    x_gender: pick(GENDERS, 10),
  };
}

/** `[['ref', '=', X]]` (the lookup the product makes): X, else undefined. */
function refLookup(domain: unknown): string | undefined {
  if (!Array.isArray(domain) || domain.length !== 1) return undefined;
  const leaf = domain[0];
  return Array.isArray(leaf) && leaf.length === 3 && leaf[0] === 'ref' && leaf[1] === '=' && typeof leaf[2] === 'string' ? leaf[2] : undefined;
}

/**
 * search_read hook on res.partner: a demographics lookup by ref materialises (or completes) the patient from the
 * synthetic EHR, inside the request's transaction.
 */
export function ensurePatientDemographics(env: Env, domain: unknown, fields: unknown): void {
  const ref = refLookup(domain);
  if (!ref || ref.startsWith(UNKNOWN_PATIENT_PREFIX)) return;
  if (!Array.isArray(fields) || !fields.includes('x_birthdate')) return;
  const store = env.store;
  const existing = store.rows('res.partner').filter((r: Row) => r.ref === ref);
  const patient = syntheticPatient(ref);
  if (existing.length === 0) {
    store.insert('res.partner', { ...patient, ref, customer_rank: 1, active: true, is_company: false });
    return;
  }
  for (const row of existing) {
    if (row.x_birthdate) continue;
    const placeholder = !row.name || row.name === `Patient ${ref}`;
    store.update('res.partner', row.id, { ...patient, ...(placeholder ? {} : { name: row.name }) });
  }
}
