import fs from 'node:fs';

/**
 * `npm start` runs `npm → sh -c → tsx → node (this process)`. Ctrl-C reaches every process of the group, but a
 * SIGTERM sent to npm alone kills npm and its `sh -c` without reaching tsx or this process, which would then keep
 * running (with the dev server) as orphans. So, when started by npm, this watches the launcher: once tsx's parent
 * is no longer the shell npm started (it exited and tsx was re-parented), `onGone` runs. Linux only (/proc);
 * elsewhere it does nothing.
 */
function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`; comm may contain spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

export function watchLauncher(onGone: () => void, intervalMs = 1000): () => void {
  if (!process.env.npm_lifecycle_event) return () => undefined;
  const tsx = process.ppid;
  const launcher = parentOf(tsx);
  if (launcher === undefined || launcher <= 1) return () => undefined;
  const timer = setInterval(() => {
    if (parentOf(tsx) !== launcher) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
