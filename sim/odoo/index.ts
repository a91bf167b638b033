/**
 * Odoo emulator: JSON-RPC + JSON-2 over a miniature ORM with the accounting/helpdesk/approval behaviour
 * the product relies on, plus seeded fault injection. Start it with `startOdooEmulator({ port: 0 })`.
 */
export { startOdooEmulator } from './server';
export type { EmulatorStats, EmulatorStoreView, OdooEmulator, OdooEmulatorOptions, OdooVersion } from './server';
export type { FaultControl, FaultKind, FaultSettings } from './faults';
export { parseDomain, evaluateDomain, filterByDomain, likeToRegExp, DomainError } from './domain';
export type { Domain, DomainNode, FieldValue } from './domain';
