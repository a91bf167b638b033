import { CancellationScope, type ChildWorkflowHandle, type SignalDefinition } from '@temporalio/workflow';

/**
 * Forwards one kind of external message from the journey to the child workflow that handles it. Messages that
 * arrive before the child starts are handed over in its input (`handOver`, leaving out those an earlier child
 * already applied); later ones are signalled in order, each once. A message counts as sent only when its signal
 * was delivered: one the child can no longer take (it finished) stays in the journey's inbox, where the stage that
 * follows applies it or puts it in front of cash posting.
 */
export class ChildLink<T> {
  private handle?: ChildWorkflowHandle<any>;
  private sentUpTo = 0;
  private flushing = false;

  constructor(
    private readonly source: () => T[],
    private readonly signal: SignalDefinition<[T]>,
    private readonly consumed: (item: T) => boolean = () => false,
  ) {}

  /** What the child should take (received so far, not yet applied elsewhere); later messages are forwarded. */
  handOver(matches: (item: T) => boolean = () => true): T[] {
    const items = this.source();
    this.sentUpTo = items.length;
    return items.filter((item) => matches(item) && !this.consumed(item));
  }

  async attach(handle: ChildWorkflowHandle<any>): Promise<void> {
    this.handle = handle;
    await this.flush();
  }

  detach(): void {
    this.handle = undefined;
  }

  get attached(): boolean {
    return this.handle !== undefined;
  }

  /** Send what arrived since the hand-over, in order; safe to call from signal handlers (one flush at a time). */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      const items = this.source();
      while (this.handle && this.sentUpTo < items.length) {
        try {
          // Shielded: flushes run from signal handlers, in the root scope, which a workflow cancellation cancels.
          const handle = this.handle;
          const item = items[this.sentUpTo];
          await CancellationScope.nonCancellable(() => handle.signal(this.signal, item));
        } catch {
          // The child already finished: the message stays unsent, in the inbox, for the journey to deal with.
          this.handle = undefined;
          return;
        }
        this.sentUpTo++;
      }
    } finally {
      this.flushing = false;
    }
  }
}
