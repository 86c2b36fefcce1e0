import { authorityKeyIdentifierOf, subjectKeyIdentifierOf } from '../certificate/extensions.js';
import { bytesEqual } from '@zkesim/protocol';
import { namesEqual } from '../certificate/names.js';
import { at, ciIndex, fail, type ChainRule } from './context.js';

/** Rule `issuer-name`: each certificate's issuer is the next one's subject, and its AKI that one's SKI (RFC 5280 §6.1.3 (a)(4)). */
export const issuerNameRule: ChainRule = {
  name: 'issuer-name',
  check(context) {
    for (let index = 0; index < ciIndex(context); index += 1) {
      const certificate = at(context, index);
      const issuer = at(context, index + 1);
      if (!namesEqual(certificate.tbsCertificate.issuer, issuer.tbsCertificate.subject)) fail(context, 'issuer-name', index, `issuer of certificate ${index} is not the subject of certificate ${index + 1}`);
      const authorityKeyId = authorityKeyIdentifierOf(certificate);
      const issuerKeyId = subjectKeyIdentifierOf(issuer);
      if (authorityKeyId !== undefined && issuerKeyId !== undefined && !bytesEqual(authorityKeyId, issuerKeyId)) {
        fail(context, 'issuer-name', index, `authorityKeyIdentifier of certificate ${index} is not the key identifier of its issuer`);
      }
    }
  },
};
