import fs from 'node:fs';
import zlib from 'node:zlib';

/**
 * Chromium for the browser tests: the Debian package (/usr/bin/chromium, provisioned by scripts/provision-ci-extras.sh)
 * or RCM_CHROMIUM_PATH. Absent in CI it is a failure with the reason; outside CI the test may skip, saying why.
 */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export function chromiumPath(): string | undefined {
  const candidates = [process.env.RCM_CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  return candidates.find((p) => fs.existsSync(p));
}

export function chromiumMissingMessage(): string {
  return 'Chromium not found (looked at RCM_CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser): install the Debian package `chromium` (scripts/provision-ci-extras.sh does it in CI)';
}

/**
 * A screenshot is "not blank" when its pixels are not one flat colour: inflate the PNG's IDAT data and count the
 * distinct byte values (a blank page has a handful; a rendered page has many).
 */
export function pngDistinctBytes(file: string): number {
  const png = fs.readFileSync(file);
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error(`${file} is not a PNG`);
  const idat: Buffer[] = [];
  for (let off = 8; off < png.length; ) {
    const len = png.readUInt32BE(off);
    const type = png.subarray(off + 4, off + 8).toString('latin1');
    if (type === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const seen = new Set<number>();
  for (let i = 0; i < raw.length; i += 7) seen.add(raw[i]);
  return seen.size;
}
