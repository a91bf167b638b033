import { missingDocuments } from '../../domain';
import { odoo } from '../proxies';
import type { StageContext } from './context';

/** Stage 1: the patient partner and the intake task in Odoo, then wait until every required document is in. */
export async function intake({ rt, d, journeyId }: StageContext): Promise<void> {
  const r = rt.referral;
  const { partnerId } = await odoo.upsertPatientPartner({ patientRef: r.patientRef, siteId: r.siteId });
  d.partnerId = partnerId;
  const { taskId } = await odoo.createIntakeTask({ journeyId, siteId: r.siteId, referralId: r.referralId, checklist: r.requiredDocuments });
  d.intakeTaskId = taskId;
  const docsMissing = () => {
    const received = new Map(r.documents.map((doc) => [doc.kind, doc.received]));
    for (const doc of d.inbox.documents) received.set(doc.kind, doc.received);
    return missingDocuments({ requiredDocuments: r.requiredDocuments, documents: [...received].map(([kind, ok]) => ({ documentId: kind, kind, received: ok })) });
  };
  if (docsMissing().length > 0) {
    await rt.openException('intake_documents', `missing documents: ${docsMissing().join(', ')}`);
    await rt.waitFor(`documents: ${docsMissing().join(', ')}`, () => docsMissing().length === 0, rt.stageLadder('intake'));
    await rt.closeException('intake_documents');
  }
  await rt.transition('intake_complete', { detail: `${r.requiredDocuments.length} required documents complete` });
}
