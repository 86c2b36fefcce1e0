// Public API of @zkesim/sm-ds: the SM-DS of SGP.22 v2.2.2 (§3.6 events, ES11 §5.8, ES12 §5.9), built on rsp-server.
export { startSmdsServer, type RunningSmds, type SmdsOverrides } from './main.js';
export { loadConfig, stackSmdsConfigPath, validateConfig, smdsConfigSchema, ConfigError, type SmdsConfig, type LoadSmdsConfigOptions } from './config.js';
export type { EventRecord, EventStore, EventTransaction, Registrant } from './core/eventStore.js';
export { openEventStore } from './storage/openEventStore.js';
