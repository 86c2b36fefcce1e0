import { es9plusFunctions } from './es9plus.js';
import { es11Functions } from './es11.js';
import { es2plusFunctions } from './es2plus.js';
import { es12Functions } from './es12.js';
import { es15Functions } from './es15.js';
import type { RspFunction } from './rspFunction.js';

export * from './rspFunction.js';
export { es9plusFunctions, es11Functions, es2plusFunctions, es12Functions, es15Functions };

/** Every function with a JSON binding. */
export const rspFunctions: readonly RspFunction[] = [
  ...Object.values(es9plusFunctions),
  ...Object.values(es11Functions),
  ...Object.values(es2plusFunctions),
  ...Object.values(es12Functions),
  ...Object.values(es15Functions),
];

/**
 * The functions a server of the given interfaces serves at a path. ES9+ and ES11 share paths, so the
 * caller names the interfaces it implements (an SM-DP+: es9plus and es2plus; an SM-DS: es11 and es12).
 */
export function findFunctionByPath(path: string, interfaces: readonly RspFunction['interface'][]): RspFunction | undefined {
  return rspFunctions.find(
    (fn) => interfaces.includes(fn.interface) && (fn.path === path || fn.alternativePaths.includes(path)),
  );
}
