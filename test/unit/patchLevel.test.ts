import fs from 'node:fs';
import path from 'node:path';
import { LEVEL_1_PATCHES, PATCH_LEVEL_1, PATCHES_AFTER_NEWEST_LEVEL } from '../../src/workflows/runtime/patchLevel';

/**
 * A patch level stands in for the patch ids it lists: a level-1 execution never asks for them again. An id missing
 * from the list would silently run its old branch in every new journey, so the list is checked against the code.
 */
function patchIdsDeclaredIn(dir: string): Map<string, string> {
  const ids = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      for (const [id, where] of patchIdsDeclaredIn(file)) ids.set(id, where);
    } else if (entry.name.endsWith('.ts')) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/export const (PATCH_\w+) = '([^']+)'/g)) ids.set(m[2], `${m[1]} in ${file}`);
    }
  }
  return ids;
}

describe('patch level 1', () => {
  const declared = patchIdsDeclaredIn(path.resolve(__dirname, '../../src/workflows'));

  it('finds the patch ids the workflows declare', () => {
    expect(declared.size).toBeGreaterThanOrEqual(20);
    expect(declared.has(PATCH_LEVEL_1)).toBe(true);
  });

  it('is frozen at the 21 ids it was cut with (level-1 histories depend on it)', () => {
    expect(LEVEL_1_PATCHES.size).toBe(21);
  });

  it('every declared patch id is in a level or asked on its own, and every listed id is declared', () => {
    const missing = [...declared.keys()].filter((id) => id !== PATCH_LEVEL_1 && !LEVEL_1_PATCHES.has(id) && !PATCHES_AFTER_NEWEST_LEVEL.has(id));
    expect(missing).toEqual([]);
    expect([...PATCHES_AFTER_NEWEST_LEVEL].filter((id) => LEVEL_1_PATCHES.has(id))).toEqual([]);
    const unknown = [...LEVEL_1_PATCHES, ...PATCHES_AFTER_NEWEST_LEVEL].filter((id) => !declared.has(id));
    expect(unknown).toEqual([]);
  });
});
