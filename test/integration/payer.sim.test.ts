import { startAllEmulators } from '../../sim';
import { aiConfigFromEnv, createAiActivities, createOpenAiCompatibleClassifier } from '../../src/activities/ai';
import { createPayerActivities, createPayerClient, payerConfigFromEnv } from '../../src/activities/payer';

/** startAllEmulators: the three emulators on free ports, and an env that points the real clients at them. */
test('startAllEmulators brings up Odoo, payer and AI, and its env configures working clients', async () => {
  const sims = await startAllEmulators({ payer: { decisionDelayMs: 50 } });
  const payerClient = createPayerClient(payerConfigFromEnv(sims.env));
  const classifier = createOpenAiCompatibleClassifier(aiConfigFromEnv(sims.env)!);
  try {
    expect(new Set([sims.odooUrl, sims.payerUrl, sims.aiUrl]).size).toBe(3);
    const version = await fetch(`${sims.odooUrl}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'common', method: 'version', args: [] } }),
    });
    expect(((await version.json()) as { result: unknown }).result).toHaveProperty('server_version');

    const payer = createPayerActivities(payerClient);
    const elig = await payer.checkEligibility({ journeyId: 'j', payerId: 'SIMPAYER', memberRef: 'MBR-1', serviceDate: '2026-03-02', serviceCodes: ['72148'] });
    expect(elig).toMatchObject({ status: 'active', authRequired: true });

    const ai = createAiActivities(classifier, { thresholds: {}, defaultThreshold: 0.8 });
    expect((await ai.categoriseDenial({ carcs: ['CO-197'], rarcs: [] })).label).toBe('authorization');
  } finally {
    payerClient.close();
    classifier.close();
    await sims.close();
  }
  // Closed means closed: nothing listens any more.
  await expect(fetch(`${sims.payerUrl}/remittances`)).rejects.toThrow();
});
