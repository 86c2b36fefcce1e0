import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { basicConstraintsOf, keyUsageOf } from '../certificate/extensions.js';
import { at, fail, type ChainRule } from './context.js';

/**
 * Rule `basic-constraints`: every issuing certificate (EUM, CI) is a CA with keyCertSign; the end-entity
 * certificate is not a CA (SGP.22 v2.2.2 §4.5.2.1; RFC 5280 §6.1.4 (k), (n)).
 */
export const basicConstraintsRule: ChainRule = {
  name: 'basic-constraints',
  check(context) {
    if (basicConstraintsOf(at(context, 0))?.cA === true) fail(context, 'basic-constraints', 0, 'the end-entity certificate is a CA certificate');
    for (let index = 1; index < context.path.length; index += 1) {
      const certificate = at(context, index);
      if (basicConstraintsOf(certificate)?.cA !== true) fail(context, 'basic-constraints', index, `certificate ${index} issues certificates but is not a CA`);
      if (((keyUsageOf(certificate) ?? 0) & KeyUsageFlags.keyCertSign) === 0) {
        fail(context, 'basic-constraints', index, `certificate ${index} issues certificates but lacks keyUsage keyCertSign`);
      }
    }
  },
};
