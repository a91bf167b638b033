export { createAiActivities, type ReviewThresholds } from './activities';
export { createBaselineClassifier, BASELINE_MODEL, BUNDLING_PAIRS } from './baseline';
export { aiConfigFromEnv, AiConfigError } from './config';
export { createOpenAiCompatibleClassifier, AI_TASKS, type OpenAiClassifier, type OpenAiClassifierConfig } from './openai';
export * from './types';
