// Error messages for schema issues the schema gives no message of its own.
import type { z } from 'zod';

const quote = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : String(value));

function listOf(values: readonly unknown[]): string {
  const quoted = values.map(quote);
  return quoted.length === 2 ? `${quoted[0]} or ${quoted[1]}` : quoted.length === 1 ? (quoted[0] ?? '') : `one of ${quoted.join(', ')}`;
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object of keys and values',
};

/** Messages for schema issues that the schema gives no message of its own. */
export function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${JSON.stringify(issue.input)}`;
    case 'invalid_value':
      return `must be ${listOf(issue.values)}`;
    case 'unrecognized_keys':
      return 'unknown key';
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${issue.minimum} ${issue.minimum === 1 ? 'entry' : 'entries'}`;
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `needs at least ${issue.minimum} characters`;
      return `must be ${issue.inclusive === true ? '≥' : '>'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `takes at most ${issue.maximum} entries`;
      if (issue.origin === 'string') return `takes at most ${issue.maximum} characters`;
      return `must be ${issue.inclusive === true ? '≤' : '<'} ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern !== undefined ? `must match ${issue.pattern}` : `must be a valid ${issue.format}`;
    case 'invalid_union':
      return issue.discriminator !== undefined && issue.options !== undefined ? `must be ${listOf(issue.options as readonly unknown[])}` : undefined;
    default:
      return undefined;
  }
}

