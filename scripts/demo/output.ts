/**
 * The demo's own console lines. Worker, SDK and ingress logs go to `.data/worker.log`, so what reaches the terminal
 * is only this: short `demo │` progress lines and the boxed summary. Colour only on a TTY (and never with NO_COLOR).
 * Nothing printed here carries PHI: journey ids, stages, claim ids and codes only.
 */
const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const wrap = (open: number, close: number) => (s: string) => (colour ? `\u001b[${open}m${s}\u001b[${close}m` : s);

export const bold = wrap(1, 22);
export const dim = wrap(2, 22);
export const green = wrap(32, 39);
export const yellow = wrap(33, 39);
export const red = wrap(31, 39);
export const cyan = wrap(36, 39);

const PREFIX = `${cyan('demo')} │`;

/** One progress line. */
export function say(line: string): void {
  process.stdout.write(`${PREFIX} ${line}\n`);
}

export function warn(line: string): void {
  process.stdout.write(`${PREFIX} ${yellow(line)}\n`);
}

/** A journey's progress line: `demo │ happy       referral/demo/… → scheduling`. */
export function journeyLine(label: string, text: string): void {
  say(`${bold(label.padEnd(18))} ${text}`);
}

/** A titled block of lines, separated from the progress lines by a rule. */
export function block(title: string, lines: string[]): void {
  const rule = '─'.repeat(Math.min(100, Math.max(20, title.length + 4, ...lines.map(visibleLength))));
  process.stdout.write(`\n${bold(title)}\n${dim(rule)}\n${lines.join('\n')}\n`);
}

/** Aligned columns (no colour codes inside cells). */
export function columns(rows: string[][], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '));
}

function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[\d+m/g, '').length;
}
