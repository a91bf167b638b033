import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { startPayerEmulator, type PayerEmulator } from '../../sim/payer';
import { createPayerActivities, createPayerClient, payerConfigFromEnv, type SubmitPriorAuthInput } from '../../src/activities/payer';
import { buildEligibilityRequest, buildPriorAuthBundle } from '../../src/activities/payer/fhir';

/**
 * Independent FHIR validation: every FHIR payload the product sends (eligibility request, PAS request Bundle) and the
 * payer emulator returns (eligibility response, PAS response Bundles, ClaimResponse, Claim, OperationOutcome) is
 * parsed by PyPI fhir.resources 8.3.0 R4B models (pydantic: required elements, types, no unknown elements), in a
 * venv provisioned by scripts/provision-fhir-validator.sh. A negative control proves the validator can fail. If the
 * validator cannot be provisioned the test fails with the provisioning output: it never skips.
 */

const ROOT = path.resolve(__dirname, '../..');
const PYTHON = path.join(ROOT, '.tools/fhir-validator/venv/bin/python');
const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// Reads [{name, resource}] on stdin; prints [{name, errors: [...]}] (empty errors = valid).
const VALIDATOR = `
import json, sys
import fhir.resources
from fhir.resources.R4B import get_fhir_model_class
assert fhir.resources.__version__ == "8.3.0", fhir.resources.__version__
out = []
for item in json.load(sys.stdin):
    res = item["resource"]
    try:
        get_fhir_model_class(res["resourceType"]).model_validate(res)
        out.append({"name": item["name"], "errors": []})
    except Exception as e:
        errs = e.errors() if hasattr(e, "errors") else [{"loc": [], "msg": str(e)}]
        out.append({"name": item["name"], "errors": [".".join(str(p) for p in x.get("loc", [])) + ": " + x.get("msg", "") for x in errs]})
print(json.dumps(out))
`;

interface Verdict {
  name: string;
  errors: string[];
}

function validate(items: { name: string; resource: unknown }[]): Verdict[] {
  const run = spawnSync(PYTHON, ['-c', VALIDATOR], { input: JSON.stringify(items), encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`fhir.resources validator failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Verdict[];
}

const fhirJson = { 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' };

describe('FHIR payloads validate against fhir.resources 8.3.0 (R4B)', () => {
  let emu: PayerEmulator;
  const payloads: { name: string; resource: unknown }[] = [];

  beforeAll(async () => {
    // Provisioning is idempotent (a few ms when present); a failure here fails the suite with pip's output.
    execFileSync('bash', [path.join(ROOT, 'scripts/provision-fhir-validator.sh')], { cwd: ROOT, stdio: 'pipe', timeout: 300_000 });
    emu = await startPayerEmulator({ seed: 7, decisionDelayMs: 60_000 });
  }, 310_000);

  afterAll(async () => {
    await emu?.close();
  });

  const pa = (authRequestId: string, code: string, attachments?: string[]): SubmitPriorAuthInput => ({
    journeyId: `journey-${authRequestId}`,
    authRequestId,
    payerId: 'SIMPAYER',
    memberRef: 'MBR-FHIR-1',
    urgency: 'standard',
    services: [{ code, units: 2 }, { code: '99214', units: 1 }],
    diagnoses: ['M5450', 'E119'],
    ...(attachments ? { attachments } : {}),
  });

  async function post(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${emu.url}${url}`, { method: 'POST', headers: fhirJson, body: JSON.stringify(body) });
    return { status: res.status, json: await res.json() };
  }
  async function get(url: string): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${emu.url}${url}`, { headers: { Accept: 'application/fhir+json' } });
    return { status: res.status, json: await res.json() };
  }

  test('every request we send and every response the emulator returns parses with zero errors; PAS references resolve', async () => {
    const created = new Date().toISOString();
    // Eligibility: what the client sends, for an active, an inactive and an unknown member.
    for (const member of ['MBR-FHIR-1', 'INACTIVE-1', 'UNKNOWN-1']) {
      const request = buildEligibilityRequest({ journeyId: `j-${member}`, payerId: 'SIMPAYER', memberRef: member, serviceDate: created.slice(0, 10), serviceCodes: ['72148', '99214'] }, created, '1234567893');
      expect(request.purpose).toEqual(['auth-requirements', 'benefits']);
      const response = await post('/fhir/CoverageEligibilityRequest/$submit', request);
      expect(response.status).toBe(200);
      payloads.push({ name: `eligibility request ${member}`, resource: request }, { name: `eligibility response ${member}`, resource: response.json });
    }

    // PAS: approved (A1), pended with documents requested (A4), denied (A3).
    emu.control.setPriorAuthRule({ match: { authRequestIdPrefix: 'AR-FHIR-PEND' }, decision: { action: 'A4', requestedDocuments: ['11506-3', '18748-4'] } });
    emu.control.setPriorAuthRule({ match: { authRequestIdPrefix: 'AR-FHIR-DENY' }, decision: { action: 'A3', reasons: [{ code: 'NMN', text: 'Not medically necessary' }] } });
    const trackingIds: string[] = [];
    for (const [id, code, docs] of [['AR-FHIR-OK', '72148', undefined], ['AR-FHIR-PEND', '27447', ['DOC-1']], ['AR-FHIR-DENY', '70553', undefined]] as const) {
      const bundle = buildPriorAuthBundle(pa(id, code, docs ? [...docs] : undefined), created, '1234567893', { providerName: 'Démo Clinic', payerName: 'Simulated Health Plan' });
      payloads.push({ name: `PAS request ${id}`, resource: bundle });

      // PAS rules a payer relies on: real urn:uuid fullUrls, Claim references resolve inside the Bundle, item elements.
      const entries = bundle.entry ?? [];
      for (const e of entries) expect(e.fullUrl).toMatch(UUID_URN);
      const byUrl = new Map(entries.map((e) => [e.fullUrl, e.resource]));
      const claim = entries[0].resource as { resourceType: string; patient: { reference: string }; insurer: { reference: string }; provider: { reference: string }; insurance: { coverage: { reference: string } }[]; item: { category?: unknown; extension?: { url: string }[] }[] };
      expect(claim.resourceType).toBe('Claim');
      expect(byUrl.get(claim.patient.reference)?.resourceType).toBe('Patient');
      expect(byUrl.get(claim.insurer.reference)?.resourceType).toBe('Organization');
      expect(byUrl.get(claim.provider.reference)?.resourceType).toBe('Organization');
      expect(byUrl.get(claim.insurance[0].coverage.reference)?.resourceType).toBe('Coverage');
      for (const item of claim.item) {
        expect(item.category).toBeDefined();
        expect(item.extension?.map((x) => x.url.split('/').pop()).sort()).toEqual(['extension-certificationType', 'extension-serviceItemRequestType']);
      }
      // The Patient is present but carries no demographics: only the member surrogate, the rest masked.
      const patient = byUrl.get(claim.patient.reference) as unknown as Record<string, unknown>;
      expect(JSON.stringify(patient)).not.toMatch(/"family"|"given"|"birthDate"|"address"|"telecom"/);

      const response = await post('/fhir/Claim/$submit', bundle);
      expect(response.status).toBe(201);
      payloads.push({ name: `PAS response ${id}`, resource: response.json });
      const cr = ((response.json as { entry: { resource: { resourceType: string; preAuthRef: string; request: { reference: string } } }[] }).entry[0]).resource;
      trackingIds.push(cr.preAuthRef);
      // The ClaimResponse's request reference resolves at the payer.
      const stored = await get(`/fhir/${cr.request.reference}`);
      expect(stored.status).toBe(200);
      expect(stored.json).toMatchObject({ resourceType: 'Claim', id: cr.preAuthRef, use: 'preauthorization' });
      payloads.push({ name: `Claim read ${id}`, resource: stored.json });
    }
    for (const t of trackingIds) {
      payloads.push({ name: `ClaimResponse search ${t}`, resource: (await get(`/fhir/ClaimResponse?request=${t}`)).json });
      payloads.push({ name: `ClaimResponse read ${t}`, resource: (await get(`/fhir/ClaimResponse/${t}`)).json });
    }
    payloads.push({ name: 'empty search', resource: (await get('/fhir/ClaimResponse?request=PA9999999')).json });
    const rejected = await post('/fhir/Claim/$submit', { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:not-a-uuid', resource: { resourceType: 'Claim' } }] });
    expect(rejected.status).toBe(400);
    payloads.push({ name: 'OperationOutcome', resource: rejected.json });

    // The product's own client and activities accept what the emulator answers to the new requests.
    const client = createPayerClient(payerConfigFromEnv({ PAYER_BASE_URL: emu.url }));
    try {
      const acts = createPayerActivities(client);
      expect(await acts.checkEligibility({ journeyId: 'j-act', payerId: 'SIMPAYER', memberRef: 'MBR-FHIR-1', serviceDate: created.slice(0, 10), serviceCodes: ['72148'] })).toMatchObject({ status: 'active', authRequired: true });
      expect((await acts.submitPriorAuth(pa('AR-FHIR-ACT', '72148'))).decision).toMatchObject({ action: 'A1' });
    } finally {
      client.close();
    }

    const verdicts = validate(payloads);
    expect(verdicts.map((v) => v.name)).toEqual(payloads.map((p) => p.name));
    expect(verdicts.filter((v) => v.errors.length > 0)).toEqual([]);
    expect(payloads.length).toBeGreaterThanOrEqual(20);
  }, 60_000);

  test('negative control: the validator rejects broken resources', () => {
    const bundle = buildPriorAuthBundle(pa('AR-NEG', '72148'), new Date().toISOString(), '1234567893');
    const claim = bundle.entry![0].resource as unknown as Record<string, unknown>;
    const broken = [
      { name: 'Claim without status and patient', resource: { ...claim, status: undefined, patient: undefined } },
      { name: 'Patient with a malformed birthDate', resource: { resourceType: 'Patient', birthDate: '03/02/1960' } },
      { name: 'Bundle entry with an unknown element', resource: { ...bundle, entry: [{ ...bundle.entry![0], notAnElement: true }] } },
      { name: 'PAS Bundle whose Claim lacks insurance (checked inside the entry)', resource: { ...bundle, entry: [{ ...bundle.entry![0], resource: { ...claim, insurance: undefined } }, ...bundle.entry!.slice(1)] } },
      { name: 'Coverage without beneficiary', resource: { resourceType: 'Coverage', status: 'active', payor: [{ reference: 'Organization/1' }] } },
    ];
    const verdicts = validate(JSON.parse(JSON.stringify(broken)));
    for (const v of verdicts) expect({ name: v.name, failed: v.errors.length > 0 }).toEqual({ name: v.name, failed: true });
    expect(verdicts).toHaveLength(broken.length);
  }, 60_000);
});
