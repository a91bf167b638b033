import type { ChildWorkflowHandle, SignalDefinition } from '@temporalio/workflow';

/**
 * Forwards one kind of external message from the journey to the child workflow that handles it. Messages that
 * arrive before the child starts are handed over in its input (`handOver`); later ones are signalled in order, each
 * exactly once, including those that arrive while the child is still starting.
 */
export class ChildLink<T> {
  private handle?: ChildWorkflowHandle<any>;
  private sentUpTo = 0;

  constructor(
    private readonly source: () => T[],
    private readonly signal: SignalDefinition<[T]>,
  ) {}

  /** Everything received so far, for the child's input; later messages are forwarded once attached. */
  handOver(): T[] {
    const items = this.source();
    this.sentUpTo = items.length;
    return [...items];
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

  /** Send what arrived since the hand-over; safe to call from signal handlers (each item goes once). */
  async flush(): Promise<void> {
    const items = this.source();
    while (this.handle && this.sentUpTo < items.length) {
      const item = items[this.sentUpTo++];
      try {
        await this.handle.signal(this.signal, item);
      } catch {
        // The child already finished: the message stays in the journey's inbox for the next stage.
      }
    }
  }
}
