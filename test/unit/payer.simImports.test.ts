import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Emulators must be able to disagree with the product (issue 12): the eslint rule for sim/ refuses a value import
 * from src/ and lets a type-only import through. Checked by running eslint (a child process: its config loader needs
 * native ESM) on text linted as if it lived in sim/payer. `npm run lint` applies the same rule to sim/ itself.
 */
const ROOT = path.resolve(__dirname, '../..');
const ESLINT = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
const RULE = '@typescript-eslint/no-restricted-imports';

interface Result {
  messages: { ruleId: string | null; line: number }[];
}

function eslint(args: string[], stdin?: string): Result[] {
  const run = spawnSync(process.execPath, [ESLINT, '--format', 'json', ...args], { cwd: ROOT, input: stdin, encoding: 'utf8', timeout: 60_000 });
  if (!run.stdout) throw new Error(`eslint produced no report: ${run.stderr}`);
  return JSON.parse(run.stdout) as Result[];
}

const violations = (code: string) => eslint(['--stdin', '--stdin-filename', 'sim/payer/__probe__.ts'], code)[0].messages.filter((m) => m.ruleId === RULE);

describe('sim/ imports nothing from src/ but types', () => {
  test('a value import from src/ fails, an `import type` passes', () => {
    expect(violations("import { sumCents } from '../../src/domain/money';\nexport const x = sumCents([1]);\n")).toHaveLength(1);
    expect(violations("import type { PlanType } from '../../src/domain/schemas/common';\nexport const z: PlanType = 'commercial';\n")).toHaveLength(0);
  }, 60_000);

});
