// Public API of @zkesim/config: the one configuration loader of every component, and where the stack's data is.
export {
  loadConfig,
  environmentVariables,
  configSource,
  configErrorAt,
  keyOf,
  ConfigError,
  type ConfigSpec,
  type ConfigLayer,
  type ConfigSource,
  type LoadOptions,
  type Environment,
  type EnvironmentVariable,
} from './loader.js';
export { path, pathList, port, positiveNumber, positiveInteger, nonEmptyText } from './fields.js';
export { ensurePrivateDataDir, stackDataDir, stackPaths } from './stackData.js';
