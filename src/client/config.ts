import type { DataConverter } from '@temporalio/common';
import { loadConfig, type AppConfig } from '../config';
import { journeyOptionsFor } from '../config/journeyOptions';
import type { JourneyOptions } from '../workflows/journeyState';
import type { TemporalTarget } from '../config/temporal';
import { dataConverter } from './codec';
import { deadLetterFile } from './deadLetters';

/**
 * Client-side settings, from the application config (src/config: env + optional file): the Temporal connection through
 * envconfig (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS…), the payload codec (RCM_CODEC_KEYS — the
 * client must encode like the worker), the task queue per site (RCM_TASK_QUEUE, default `rcm-journeys`), the
 * dead-letter file (RCM_DLQ_FILE, default `.data/dead-letters.jsonl`) and the ingress (RCM_INGRESS_HOST/PORT/SECRETS).
 */
export interface ClientSettings {
  temporal: TemporalTarget;
  dataConverter?: DataConverter;
  taskQueueFor(siteId: string): string;
  optionsFor(siteId: string): Partial<JourneyOptions> | undefined;
  deadLetterFile: string;
  ingress: AppConfig['ingress'];
}

export function clientSettings(env: NodeJS.ProcessEnv = process.env): ClientSettings {
  const config = loadConfig(env);
  const converter = dataConverter(config);
  return {
    temporal: config.temporal,
    ...(converter ? { dataConverter: converter } : {}),
    // A site not listed in the config runs on the shared queue (the journey is addressed by id, not by site config).
    taskQueueFor: (siteId) => config.sites.find((s) => s.id === siteId)?.taskQueue ?? config.taskQueue.shared,
    optionsFor: (siteId) => journeyOptionsFor(config, siteId),
    deadLetterFile: deadLetterFile(env),
    ingress: config.ingress,
  };
}
