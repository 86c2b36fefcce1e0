import { basicConstraintsOf } from '../certificate/extensions.js';
import { at, fail, type ChainRule } from './context.js';

/**
 * Rule `path-length`: a CA with pathLenConstraint n has at most n intermediate CA certificates below it
 * (RFC 5280 §4.2.1.9, §6.1.4 (l), (m)); the EUM's pathLen 0 lets it sign only eUICC certificates.
 */
export const pathLengthRule: ChainRule = {
  name: 'path-length',
  check(context) {
    for (let index = 1; index < context.path.length; index += 1) {
      const limit = basicConstraintsOf(at(context, index))?.pathLenConstraint;
      const intermediatesBelow = index - 1;
      if (limit !== undefined && intermediatesBelow > limit) {
        fail(context, 'path-length', index, `certificate ${index} allows ${limit} intermediate CA(s) below it, the path has ${intermediatesBelow}`);
      }
    }
  },
};
