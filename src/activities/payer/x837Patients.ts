import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { OdooClient } from '../odoo/client';
import { PersonSchema, type Person } from './x837Schema';

/**
 * The people on a claim, read at submit time from the system of record: the Odoo patient partner (res.partner whose
 * `ref` is the journey's opaque patientRef). Odoo's standard contact fields give the name and address (`state_id` is a
 * res.country.state whose `code` is the USPS state); date of birth and gender are custom fields a clinic adds
 * (`x_birthdate`, `x_gender`). Nothing read here is logged, returned to the workflow or put in a failure message: only
 * the opaque ref and field *names*.
 */
export interface PatientDirectory {
  /** The partner's demographics; throws a non-retryable PatientNotFoundError / PatientDemographicsError. */
  person(patientRef: string): Promise<Person>;
}

export const PatientFailure = {
  NotFound: 'PatientNotFoundError',
  Incomplete: 'PatientDemographicsError',
} as const;

export const PARTNER_FIELDS = ['name', 'street', 'street2', 'city', 'state_id', 'zip', 'x_birthdate', 'x_gender'] as const;

/** Odoo returns `false` for empty fields; many2one as [id, display name]. */
const Opt = <T extends z.ZodTypeAny>(s: T) => z.preprocess((v) => (v === false || v === null ? undefined : v), s.optional());
const PartnerRowSchema = z.object({
  id: z.number().int().positive(),
  name: Opt(z.string()),
  street: Opt(z.string()),
  street2: Opt(z.string()),
  city: Opt(z.string()),
  state_id: Opt(z.tuple([z.number().int().positive(), z.string()])),
  zip: Opt(z.string()),
  x_birthdate: Opt(z.string()),
  x_gender: Opt(z.string()),
});
const StateRowSchema = z.object({ id: z.number().int(), code: z.string() });

/** Odoo keeps one `name`: "Last, First Middle" when a comma is there, else "First [Middle] Last". */
export function splitPersonName(name: string): { last: string; first?: string; middle?: string } {
  const clean = name.replace(/\s+/g, ' ').trim();
  if (clean.includes(',')) {
    const [last, rest = ''] = clean.split(',', 2).map((s) => s.trim());
    const [first, ...middle] = rest.split(' ').filter(Boolean);
    return { last, ...(first ? { first } : {}), ...(middle.length ? { middle: middle.join(' ') } : {}) };
  }
  const parts = clean.split(' ');
  const last = parts.pop() ?? '';
  const [first, ...middle] = parts;
  return { last, ...(first ? { first } : {}), ...(middle.length ? { middle: middle.join(' ') } : {}) };
}

/** DMG03 from a clinic's gender field: accepts Odoo-style words or the X12 letters. */
export function dmgGender(value: string | undefined): 'F' | 'M' | 'U' | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'f' || v === 'female') return 'F';
  if (v === 'm' || v === 'male') return 'M';
  if (['u', 'unknown', 'other', 'undisclosed'].includes(v)) return 'U';
  return undefined;
}

function failure(type: string, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: details === undefined ? [] : [details] });
}

export function createOdooPatientDirectory(odoo: OdooClient): PatientDirectory {
  return {
    async person(patientRef) {
      const rows = await odoo.searchRead<unknown>('res.partner', [['ref', '=', patientRef]], { fields: [...PARTNER_FIELDS], limit: 2 });
      if (rows.length === 0) throw failure(PatientFailure.NotFound, `no patient partner with ref ${patientRef} in Odoo: the claim cannot name its patient`);
      if (rows.length > 1) throw failure(PatientFailure.Incomplete, `patient ref ${patientRef} matches more than one Odoo partner`);
      const row = PartnerRowSchema.safeParse(rows[0]);
      if (!row.success) throw failure(PatientFailure.Incomplete, `patient ${patientRef}: unexpected partner record`, { fields: row.error.issues.map((i) => i.path.join('.')) });
      const p = row.data;
      let state: string | undefined;
      if (p.state_id) {
        const [s] = await odoo.read<unknown>('res.country.state', [p.state_id[0]], ['code']);
        const parsed = StateRowSchema.safeParse(s);
        if (parsed.success) state = parsed.data.code;
      }
      const candidate = {
        ...(p.name ? splitPersonName(p.name) : {}),
        address: { line1: p.street, ...(p.street2 ? { line2: p.street2 } : {}), city: p.city, state, zip: p.zip },
        birthDate: p.x_birthdate,
        gender: dmgGender(p.x_gender),
      };
      const person = PersonSchema.safeParse(candidate);
      // Field paths only: the values are PHI.
      if (!person.success) throw failure(PatientFailure.Incomplete, `patient ${patientRef}: the Odoo partner lacks claim demographics`, { fields: person.error.issues.map((i) => i.path.join('.')) });
      return person.data;
    },
  };
}
