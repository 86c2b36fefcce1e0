// Public API of @zkesim/config: the one configuration loader of every component, where the stack's data is, and
// how a data file is made its owner's alone (also `@zkesim/config/privateFile`, for packages without the loader).
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
export { preparePrivateFile } from './privateFile.js';
