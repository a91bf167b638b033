import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * pyx12 4.0.0 (PyPI), the independent X12 5010 validator, provisioned by scripts/provision-validators.sh into
 * .tools/validators/venv and driven by test/integration/x837.pyx12.py (one Python process per batch: the maps load
 * once). No skip: when pyx12 cannot be provisioned the caller fails with the reason.
 */
const ROOT = path.resolve(__dirname, '../..');
const DRIVER = path.join(ROOT, 'test/integration/x837.pyx12.py');

export interface Pyx12Result {
  file: string;
  /** pyx12's verdict against its map */
  valid: boolean;
  /** every ERROR pyx12 logged */
  errors: string[];
  /** IK5/AK9 codes of the 999 pyx12 generates (A accepted, E with errors, R rejected) */
  ack: string[];
}

export interface Pyx12 {
  validate(files: Record<string, string>): Record<string, Pyx12Result>;
  close(): void;
}

export function startPyx12(prefix: string): Pyx12 {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/provision-validators.sh')], { encoding: 'utf8', timeout: 330_000 });
  if (r.status !== 0) throw new Error(`pyx12 could not be provisioned (scripts/provision-validators.sh exit ${r.status}):\n${r.stderr}`);
  const python = r.stdout.trim().split('\n').at(-1)!;
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    validate(files) {
      const paths = Object.entries(files).map(([name, text]) => {
        const p = path.join(dir, `${name}.x12`);
        writeFileSync(p, text, 'utf8');
        return p;
      });
      const run = spawnSync(python, [DRIVER, ...paths], { encoding: 'utf8', timeout: 50_000 });
      if (run.status !== 0) throw new Error(`pyx12 driver failed (${run.status}): ${run.stderr}`);
      const out: Record<string, Pyx12Result> = {};
      for (const line of run.stdout.trim().split('\n')) {
        const res = JSON.parse(line) as Pyx12Result;
        out[path.basename(res.file, '.x12')] = res;
      }
      return out;
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
