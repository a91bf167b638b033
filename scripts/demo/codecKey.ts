import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The demo encrypts payloads by default: on first start a dev codec key is created under the data directory (mode
 * 0600) and reused on later starts, so the histories a newcomer opens in the Temporal UI are ciphertext unless read
 * through the codec server. RCM_CODEC_KEYS set = that key wins; RCM_DEMO_CODEC=off = no encryption.
 */
export function demoCodecEnv(env: NodeJS.ProcessEnv, dataDir: string): { RCM_CODEC_KEYS?: string; keyFile?: string } {
  if (env.RCM_CODEC_KEYS?.trim() || env.RCM_DEMO_CODEC?.trim() === 'off') return {};
  const keyFile = path.join(dataDir, 'codec-keys');
  if (!fs.existsSync(keyFile)) {
    const id = `dev-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
    fs.writeFileSync(keyFile, `${id}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  return { RCM_CODEC_KEYS: fs.readFileSync(keyFile, 'utf8').trim(), keyFile };
}
