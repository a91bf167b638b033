import type { JourneyLinks } from '../journeyHandlers';
import type { JourneyRuntime } from '../journeyRuntime';
import type { JourneyData } from '../journeyData';

/** What every stage works with: the runtime (audit, clocks, exceptions, ledger), its state and the child links. */
export interface StageContext {
  rt: JourneyRuntime;
  d: JourneyData;
  journeyId: string;
  links: JourneyLinks;
}

export type Stage = (ctx: StageContext) => Promise<void>;

/** A billing release the approver rejected: the journey is cancelled (the draft invoice is voided). */
export class BillingRejected extends Error {
  constructor() {
    super('billing release rejected');
    this.name = 'BillingRejected';
  }
}
