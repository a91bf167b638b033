import type { ApprovalPolicyOverride } from '../domain';
import type { JourneyOptions } from '../workflows/journeyState';
import type { AppConfig } from './index';

/**
 * The site's settings a journey captures at start (calendar for every SLA clock, AI review threshold, approval
 * limits), so a running journey keeps the rules it started with when config changes later.
 * A site not in the config gets the workflow defaults.
 */
export function journeyOptionsFor(config: Pick<AppConfig, 'sites'>, siteId: string): Partial<JourneyOptions> | undefined {
  const site = config.sites.find((s) => s.id === siteId);
  if (!site) return undefined;
  const limits: Record<string, Record<string, number>> = {};
  for (const [kind, byRole] of Object.entries(site.approvalLimits)) {
    for (const [role, cents] of Object.entries(byRole ?? {})) {
      if (cents === undefined) continue;
      (limits[role] ??= {})[kind] = cents;
    }
  }
  return {
    calendar: {
      timeZone: site.timeZone,
      ...(site.closures.length ? { closures: site.closures } : {}),
      ...(site.holidays.length ? { holidays: site.holidays } : {}),
      ...(site.weekendDays ? { weekendDays: site.weekendDays } : {}),
    },
    codingConfidenceThreshold: site.codingConfidenceThreshold,
    ...(Object.keys(limits).length ? { approvalPolicy: { limits: limits as ApprovalPolicyOverride['limits'] } } : {}),
  };
}
