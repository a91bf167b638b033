import type { KpiSink } from '../src/activities/notify';
import { kpiWorkflowSinks } from '../src/workers/kpiMetrics';

/** The bench does not read KPIs; keeping them (memoryKpiSink) would grow the heap the RSS metric measures. */
export const discardKpis: KpiSink = { record: () => undefined };

/** The workflow-side KPI sink the product bundle calls (as startJourneyWorkers wires it), discarding too. */
export const productSinks = kpiWorkflowSinks(discardKpis);
