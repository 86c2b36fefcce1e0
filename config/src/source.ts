// Where a configuration value came from, and the one error every configuration failure is.

/** Where a value came from. `name` is the env var, the file path, the option, or a label for code. */
export interface ConfigSource {
  readonly kind: 'default' | 'code' | 'file' | 'env' | 'option' | 'unset';
  readonly name: string;
}

function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'code':
      return `set by ${source.name}`;
    case 'file':
      return `in ${source.name}`;
    case 'env':
    case 'option':
      return `from ${source.name}`;
    case 'unset':
      return source.name;
  }
}

/**
 * A configuration value that is missing, unreadable or not allowed. `key` is the dotted key path
 * (`es9[0].tlsCertificate`), `source` where the value came from (env var name, file path, option), `problem`
 * what is wrong. The message leads with the key (`smdp config es2.mode: must be "port" or "shared" (from
 * SMDP_ES2_MODE)`), except when the text of an env var or a file cannot be read at all: then it leads with that
 * env var or file (`smdp config SMDP_ES2_PORT: "abc" is not a number (for es2.port)`).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly component: string;
  readonly key: string;
  readonly source: string;
  readonly sourceKind: ConfigSource['kind'];
  readonly problem: string;

  constructor(details: { component: string; key: string; source: ConfigSource; problem: string; unreadableText?: boolean }, options?: ErrorOptions) {
    const { component, key, source, problem } = details;
    super(
      details.unreadableText === true
        ? `${component} config ${source.name}: ${problem}${key === '' ? '' : ` (for ${key})`}`
        : `${component} config ${key}: ${problem} (${describeSource(source)})`,
      options,
    );
    this.component = component;
    this.key = key;
    this.source = source.name;
    this.sourceKind = source.kind;
    this.problem = problem;
  }
}

