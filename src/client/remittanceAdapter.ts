import { remittanceMessagesFrom835 } from '../domain/remittanceFromX12';
import { RemittanceMessageSchema, type RemittanceMessage } from '../domain/schemas/payer';
import type { Transaction } from '../domain/x12';
import { safeIssueMessage, type FieldIssue } from './errors';

/**
 * 835 claim payments → journey `RemittanceMessage`s. The mapping itself is the domain's (`remittanceMessagesFrom835`:
 * messageId `${TRN02}|${CLP01}|${CLP07}|${CLP02}`, CCYYMMDD → ISO, RARCs); this adapter adds what the client needs
 * before anything is sent: every message is checked against `RemittanceMessageSchema` (the journey's contract), and
 * claims the domain skipped or the schema refused come back with the CLP01, the segment and field-level reasons.
 */
export interface AdaptedClaim {
  claimId: string;
  segmentIndex: number;
  message: RemittanceMessage;
}

export interface RefusedClaim {
  claimId: string;
  segmentIndex: number;
  issues: FieldIssue[];
}

export function adaptTransaction(tx: Transaction): { messages: AdaptedClaim[]; refused: RefusedClaim[] } {
  const adapted = remittanceMessagesFrom835({ transactions: [tx] });
  const segmentOf = new Map<string, number>();
  for (const c of tx.claims) if (!segmentOf.has(c.patientControlNumber)) segmentOf.set(c.patientControlNumber, c.segmentIndex);

  const messages: AdaptedClaim[] = [];
  const refused: RefusedClaim[] = adapted.skipped.map((s) => ({ claimId: s.patientControlNumber, segmentIndex: s.segmentIndex, issues: [{ path: '', message: s.reason }] }));
  for (const { message } of adapted.messages) {
    const segmentIndex = tx.claims.find((c) => c.patientControlNumber === message.patientControlNumber && c.status === message.status)?.segmentIndex ?? segmentOf.get(message.patientControlNumber) ?? tx.segmentIndex;
    const parsed = RemittanceMessageSchema.safeParse(message);
    if (parsed.success) messages.push({ claimId: message.patientControlNumber, segmentIndex, message: parsed.data });
    else refused.push({ claimId: message.patientControlNumber, segmentIndex, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: safeIssueMessage(i) })) });
  }
  return { messages, refused };
}
