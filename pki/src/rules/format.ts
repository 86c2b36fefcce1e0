import {
  authorityKeyIdentifierOf, basicConstraintsOf, dnsNamesOf, extendedKeyUsageOf, keyUsageOf, nameConstraintsOf, policiesOf,
  registeredIdsOf, subjectKeyIdentifierOf,
} from '../certificate/extensions.js';
import { CertificateFormatError } from '../errors.js';
import { at, fail, type ChainRule } from './context.js';

/** Every extension reader the rules use; each throws CertificateFormatError on a malformed value. */
const readers = [
  authorityKeyIdentifierOf, subjectKeyIdentifierOf, basicConstraintsOf, keyUsageOf, extendedKeyUsageOf, policiesOf,
  nameConstraintsOf, registeredIdsOf, dnsNamesOf,
];

/**
 * Rule `format`: the extensions of every certificate in the path decode, and none appears twice
 * (RFC 5280 §4.2). Runs right after `signature`, so a tampered certificate reports `signature` and a
 * validly signed but malformed one reports `format` at the right position.
 */
export const formatRule: ChainRule = {
  name: 'format',
  check(context) {
    context.path.forEach((_certificate, index) => {
      for (const read of readers) {
        try {
          read(at(context, index));
        } catch (error) {
          if (error instanceof CertificateFormatError) fail(context, 'format', index, error.message.replace(/^format: /, ''), error);
          throw error;
        }
      }
    });
  },
};
