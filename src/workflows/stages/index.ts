import type { JourneyStage } from '../../domain';
import { billingApproval } from './billingApproval';
import { claimSubmission } from './claimSubmission';
import { coding } from './coding';
import type { Stage } from './context';
import { eligibility } from './eligibility';
import { intake } from './intake';
import { payerAdjudication } from './payerAdjudication';
import { patientResponsibility } from './patientResponsibility';
import { posting } from './posting';
import { priorAuthorization } from './priorAuthorization';
import { scheduling } from './scheduling';
import { service } from './service';

/** The eleven stages of DESIGN.md, in the order of the process. */
export const STAGES: Record<JourneyStage, Stage> = {
  intake,
  eligibility,
  prior_auth: priorAuthorization,
  scheduling,
  service,
  coding,
  billing_approval: billingApproval,
  claim_submission: claimSubmission,
  payer_adjudication: payerAdjudication,
  patient_balance: patientResponsibility,
  posting,
};

export { BillingRejected, type StageContext } from './context';
