import { loadConfig } from '../../src/config';
import { journeyOptionsFor } from '../../src/config/journeyOptions';

describe('site settings captured by a new journey', () => {
  it('maps the site calendar, AI threshold and approval limits (kind → role becomes role → kind)', () => {
    const config = loadConfig({
      RCM_SITES: JSON.stringify([
        { id: 'north', timeZone: 'America/Chicago', closures: ['2026-12-24'], codingConfidenceThreshold: 0.9, approvalLimits: { write_off: { billing_specialist: 5000 } } },
      ]),
    });
    expect(journeyOptionsFor(config, 'north')).toEqual({
      calendar: { timeZone: 'America/Chicago', closures: ['2026-12-24'] },
      codingConfidenceThreshold: 0.9,
      approvalPolicy: { limits: { billing_specialist: { write_off: 5000 } } },
    });
  });

  it('leaves unknown sites on the workflow defaults', () => {
    expect(journeyOptionsFor(loadConfig({}), 'elsewhere')).toBeUndefined();
  });
});
