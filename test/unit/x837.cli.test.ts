/**
 * `npm run -s x12 -- 837 <claim.json>` as a user runs it: the example renders (exit 0, an 837P on stdout), a bad input
 * is a JSON error on stderr with exit 2. Two spawns.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';

const REPO = path.resolve(__dirname, '../..');
const run = (...args: string[]) => spawnSync('npx', ['tsx', 'src/client/x12Cli.ts', '837', ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PAYER_BILLING_NAME: 'Clínica São José' } });

describe('x12 837 CLI', () => {
  it('renders the example claim with the given control number and date', () => {
    const r = run('examples/claim-837p.json', '--control-number', '1001', '--date', '2026-03-20T14:05:00Z');
    expect(r.status).toBe(0);
    const segs = r.stdout.trim().split('~\n');
    expect(segs[0]).toMatch(/^ISA\*.*\*260320\*1405\*\^\*00501\*000001001\*0\*P\*:$/);
    expect(segs).toEqual(expect.arrayContaining(['NM1*85*2*CLINICA SAO JOSE*****XX*1234567893', 'NM1*IL*1*NUNEZ*INES****MI*MBR-EX-1001', 'DMG*D8*19560714*F', 'SBR*P*18*******MB']));
    expect(segs.at(-1)).toBe('IEA*1*000001001~');
  });

  it('refuses a bad claim with the failing fields on stderr and exit 2', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'x837-cli-'));
    try {
      const file = path.join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify({ claimId: 'CLM-1', payerId: 'P', frequencyCode: '7', memberRef: 'M', serviceDate: '2026-03-02', lines: [{ code: '99213', modifiers: [], icd10: ['J06.9'], units: 1, chargeCents: 100 }], subscriber: { last: 'X', address: { line1: 'a', city: 'b', state: 'IL', zip: '62704' }, birthDate: '1990-01-01', gender: 'U' } }));
      const r = run(file);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(JSON.parse(r.stderr)).toEqual({ error: 'invalid_claim', message: expect.any(String), issues: ['payerClaimControlNumber: frequency 7 needs the payer claim control number (REF*F8)'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
