import fs from 'node:fs';
import path from 'node:path';
import { planPosting, RemittanceMessageSchema, remittanceMessagesFrom835, x12DateToIso } from '../../src/domain';
import { parse835 } from '../../src/domain/x12';

const fixtures = path.resolve(__dirname, '../../../shared/fixtures/x12/835');
const read = (f: string) => fs.readFileSync(path.join(fixtures, f), 'utf8');

describe('835 claim payments → journey remittance messages', () => {
  it('adapts every claim of a balanced remit into a valid, uniquely keyed message', () => {
    const { messages, skipped } = remittanceMessagesFrom835(parse835(read('lfh-x12__managed-care.835')));
    expect(skipped).toEqual([]);
    expect(messages).toHaveLength(2);
    for (const { message } of messages) {
      expect(RemittanceMessageSchema.parse(message)).toEqual(message);
      expect(message.messageId).toBe(`${message.traceNumber}|${message.patientControlNumber}|${message.payerClaimControlNumber}|${message.status}`);
      expect(planPosting(message).exceptions).toEqual([]);
    }
    expect(new Set(messages.map((m) => m.message.messageId)).size).toBe(2);
    expect(messages.reduce((s, m) => s + m.message.paidCents, 0)).toBe(94500);
  });

  it('keeps reversals (CLP02 22) with their negative amounts', () => {
    const { messages } = remittanceMessagesFrom835(parse835(read('pyx12__835_simple.txt')));
    const reversals = messages.filter((m) => m.message.status === '22');
    expect(reversals.length).toBe(2);
    expect(reversals.every((m) => m.message.paidCents <= 0)).toBe(true);
  });

  it('converts CCYYMMDD dates and rejects non-dates', () => {
    expect(x12DateToIso('20260115')).toBe('2026-01-15');
    expect(x12DateToIso('2026011')).toBeUndefined();
    expect(x12DateToIso(undefined)).toBeUndefined();
    expect(x12DateToIso('20002316')).toBeUndefined();
  });
});
