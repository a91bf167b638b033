import { toIsoInstant } from '../../domain';
import { notify, odoo } from '../proxies';
import type { JourneyData } from '../journeyData';
import type { OpenException } from '../journeyState';
import { isPatched } from './patchLevel';

export const PATCH_EXCEPTION_KPIS_ON_REPORTS = 'exception-kpis-on-child-reports';

/** How the ticket of an exception comes about: we open it, the reporting child opened it, or there is none to open. */
export type TicketMode = 'open' | 'opened_by_child' | 'none';

export interface OpenOptions {
  ref?: string;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  ticket?: TicketMode;
  /** ticket title when it differs from the reason */
  title?: string;
  description?: string;
}

/**
 * Work-queue exceptions: the one way to open and close them. Opening records the timeline entry, publishes the
 * ExceptionQueue search attribute, opens the helpdesk ticket (idempotent by journey + queue + title) and counts
 * `exception_opened`; closing counts `exception_closed` with the age, so the open-exceptions gauge goes down.
 */
export class JourneyExceptions {
  constructor(
    private readonly d: JourneyData,
    private readonly record: (action: string, by?: { detail?: string }) => void,
    private readonly publish: () => void,
  ) {}

  get open(): readonly OpenException[] {
    return this.d.exceptions;
  }

  has(queue: string, ref?: string): boolean {
    return this.d.exceptions.some((e) => e.queue === queue && (ref === undefined || e.ref === ref));
  }

  /** Bookkeeping only (no side effects): true when the exception was not open yet. */
  note(queue: string, reason: string, ref?: string): boolean {
    if (this.d.exceptions.some((e) => e.queue === queue && e.ref === ref)) return false;
    this.d.exceptions.push({ queue, reason, openedAt: toIsoInstant(Date.now()), ...(ref ? { ref } : {}) });
    this.record(`exception opened in ${queue}`, { detail: reason });
    this.publish();
    return true;
  }

  async openException(queue: string, reason: string, opts: OpenOptions = {}): Promise<void> {
    const added = this.note(queue, reason, opts.ref);
    const mode = opts.ticket ?? 'open';
    if (mode === 'open') {
      await odoo.openTicket({
        journeyId: this.d.journeyId,
        queue,
        title: opts.title ?? (opts.ref ? `${reason} (${opts.ref})` : reason),
        description: opts.description ?? `Journey ${this.d.journeyId} at stage ${this.d.stage}: ${reason}`,
        priority: opts.priority ?? 'normal',
      });
      // Counted once per exception, so opened − closed is what is open (older builds counted every call).
      if (added || !isPatched(PATCH_EXCEPTION_KPIS_ON_REPORTS)) await this.countOpened(queue);
    } else if (added && isPatched(PATCH_EXCEPTION_KPIS_ON_REPORTS)) {
      await this.countOpened(queue);
    }
  }

  /** Close the open exceptions of a queue (one ref, or all), counting each. */
  async closeException(queue: string, ref?: string): Promise<OpenException[]> {
    const closed = this.d.exceptions.filter((e) => e.queue === queue && (ref === undefined || e.ref === ref));
    if (closed.length === 0) return closed;
    this.d.exceptions = this.d.exceptions.filter((e) => !closed.includes(e));
    this.record(`exception closed in ${queue}`);
    this.publish();
    for (const e of closed) {
      await notify.recordKpi({ name: 'exception_closed', siteId: this.d.siteId, queue, valueMs: Date.now() - Date.parse(e.openedAt) });
    }
    return closed;
  }

  private countOpened(queue: string): Promise<void> {
    return notify.recordKpi({ name: 'exception_opened', siteId: this.d.siteId, stage: String(this.d.stage), queue });
  }
}
