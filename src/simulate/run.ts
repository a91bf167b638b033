import type { Client } from '@temporalio/client';
import * as msg from '../workflows/messages';
import type { JourneyStatus, TimelineEntry } from '../workflows/journeyState';
import { SimScheduler, type SimEnvironment, type WorkerProbe } from './clock';
import { driveJourney, type DrivenJourney, type PayerControl } from './driver';
import { generatePlans, type JourneyPlan } from './generator';
import type { SimulationOptions } from './scenario';

export interface SimulationStack {
  env: SimEnvironment;
  client: Client;
  taskQueue: string;
  payer: PayerControl;
  worker: WorkerProbe;
}

/** A journey as the simulation ends: what was planned, what the parties did, and what the journey itself says. */
export interface ObservedJourney {
  plan: JourneyPlan;
  driven: DrivenJourney;
  status?: JourneyStatus;
  timeline: TimelineEntry[];
  queryError?: string;
}

export interface SimulationRun {
  options: SimulationOptions;
  simStart: string;
  simEnd: string;
  wallMs: number;
  /** days whose settling hit the real-time limit (something kept the worker busy) */
  unsettledDays: number;
  journeys: ObservedJourney[];
}

export interface Progress {
  day: number;
  days: number;
  arrived: number;
  scriptsDone: number;
}

/**
 * Run the simulation: generate the population, drive every journey's external parties day by day on the
 * time-skipping server, then read each journey's own status and timeline (the only source of the report's figures).
 */
export async function runSimulation(stack: SimulationStack, options: SimulationOptions, onProgress?: (p: Progress) => void): Promise<SimulationRun> {
  const t0 = Date.now();
  const startMs = await stack.env.currentTimeMs();
  const plans = generatePlans(options, new Date(startMs));
  const clock = new SimScheduler(stack.env, stack.worker, startMs, options.days);
  let done = 0;
  const scripts = plans.map((plan) =>
    clock.spawn(() => driveJourney({ client: stack.client, taskQueue: stack.taskQueue, payer: stack.payer, clock }, plan)).finally(() => {
      done += 1;
    }),
  );
  const arrived = () => plans.filter((p) => p.arrivalDay <= clock.today).length;
  for (;;) {
    await clock.settle();
    onProgress?.({ day: clock.today, days: options.days, arrived: arrived(), scriptsDone: done });
    if (clock.today + 1 >= options.days) break;
    await clock.advance();
  }
  clock.end();
  const driven = await Promise.all(scripts);
  const simEnd = new Date(await stack.env.currentTimeMs()).toISOString();
  const journeys = await observeAll(stack.client, plans, driven);
  return { options, simStart: new Date(startMs).toISOString(), simEnd, wallMs: Date.now() - t0, unsettledDays: clock.unsettledDays, journeys };
}

async function observeAll(client: Client, plans: JourneyPlan[], driven: DrivenJourney[]): Promise<ObservedJourney[]> {
  const out: ObservedJourney[] = new Array(plans.length);
  let next = 0;
  const lane = async () => {
    while (next < plans.length) {
      const i = next++;
      const handle = client.workflow.getHandle(driven[i].workflowId);
      try {
        const [status, timeline] = await Promise.all([handle.query(msg.status), handle.query(msg.timeline)]);
        out[i] = { plan: plans[i], driven: driven[i], status, timeline };
      } catch (err) {
        // never started (arrived after the horizon) or not queryable: counted as not observed
        out[i] = { plan: plans[i], driven: driven[i], timeline: [], queryError: (err as Error).message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, plans.length) }, lane));
  return out;
}
