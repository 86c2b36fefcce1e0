import {
  id_ce_authorityKeyIdentifier, id_ce_basicConstraints, id_ce_cRLDistributionPoints, id_ce_certificatePolicies,
  id_ce_extKeyUsage, id_ce_keyUsage, id_ce_nameConstraints, id_ce_subjectAltName, id_ce_subjectKeyIdentifier,
} from '@zkesim/protocol';
import { extensionsOf } from '../certificate/extensions.js';
import { at, fail, type ChainRule } from './context.js';

/** The extensions the RSP profiles use and this validator understands (SGP.22 v2.2.2 §4.5.2). */
const understood = new Set([
  id_ce_authorityKeyIdentifier, id_ce_subjectKeyIdentifier, id_ce_basicConstraints, id_ce_keyUsage, id_ce_extKeyUsage,
  id_ce_certificatePolicies, id_ce_subjectAltName, id_ce_cRLDistributionPoints, id_ce_nameConstraints,
]);

/** Rule `critical-extension`: a certificate with a critical extension we do not process is rejected (RFC 5280 §4.2). */
export const criticalExtensionRule: ChainRule = {
  name: 'critical-extension',
  check(context) {
    context.path.forEach((_certificate, index) => {
      for (const extension of extensionsOf(at(context, index))) {
        if (extension.critical === true && !understood.has(extension.extnID)) {
          fail(context, 'critical-extension', index, `certificate ${index} has unknown critical extension ${extension.extnID}`);
        }
      }
    });
  },
};
