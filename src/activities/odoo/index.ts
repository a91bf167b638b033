export { createOdooClient, firstId } from './client';
export type { OdooCallParams, OdooClient, OdooClientOptions, OdooContext, OdooDomain, OdooProtocol, OdooVersionInfo, SearchOptions, SearchReadOptions } from './client';
export { OdooConfigError, OdooConfigSchema, odooConfigFromEnv, parseOdooConfig } from './config';
export type { OdooConfig, ResolvedOdooConfig } from './config';
export { classifyOdooErrorName, failureFromJson2Error, failureFromJsonRpcError } from './errors';
export { centsToOdoo, odooToCents } from './money';
export { createOdooActivities } from './activities';
export type { OdooActivities, OdooActivitiesConfig } from './activities';
export * from './types';
