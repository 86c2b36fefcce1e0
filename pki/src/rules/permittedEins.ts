import { hasEidForm } from '@zkesim/protocol';
import { nameConstraintsOf } from '../certificate/extensions.js';
import { attributeValues } from '../certificate/names.js';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { at, fail, type ChainRule } from './context.js';

/** One permitted subtree of an EUM, read the SGP.22 way: an organisation and an EIN prefix. */
export interface PermittedEin {
  readonly organization: string | undefined;
  readonly einPrefix: string;
}

/**
 * The EIN prefixes an EUM certificate permits: the serialNumber of each directoryName in the
 * permittedSubtrees of its nameConstraints, with the O beside it (SGP.22 v2.2.2 §4.5.2.1, SGP.14).
 */
export function permittedEinsOf(eum: RspCertificate): PermittedEin[] {
  const subtrees = nameConstraintsOf(eum)?.permittedSubtrees ?? [];
  return subtrees.flatMap((subtree) => {
    if (!('directoryName' in subtree.base)) return [];
    const directoryName = subtree.base.directoryName;
    const organization = attributeValues(directoryName, 'O')[0];
    return attributeValues(directoryName, 'serialNumber').map((einPrefix) => ({ organization, einPrefix }));
  });
}

/** The EID of an eUICC certificate: its single subject serialNumber, 32 digits (SGP.22 v2.2.2 §4.5.2.1). */
export function eidOf(euicc: RspCertificate): string | undefined {
  const values = attributeValues(euicc.tbsCertificate.subject, 'serialNumber');
  const eid = values[0];
  return values.length === 1 && eid !== undefined && hasEidForm(eid) ? eid : undefined;
}

/**
 * Rule `permitted-eins` (eUICC role only): the EID in the eUICC certificate starts with one of the EIN
 * prefixes of its EUM, and the eUICC subject's O is that subtree's O.
 * SGP.22 reads the EUM's nameConstraints serialNumber as an EID *prefix*; RFC 5280 reads the same
 * extension as a DN-subtree rule that every real eUICC subject fails (`openssl verify` does on the SGP.26 chain). So this rule
 * replaces generic name-constraint processing, which this validator never runs.
 * SPEC-AMBIGUITY: an EUM without any permitted EIN is read as permitting none (SGP.22 requires them).
 */
export const permittedEinsRule: ChainRule = {
  name: 'permitted-eins',
  check(context) {
    if (context.role !== 'euicc') return;
    const euicc = at(context, 0);
    const eid = eidOf(euicc);
    if (eid === undefined) fail(context, 'permitted-eins', 0, 'the eUICC subject does not carry exactly one 32-digit serialNumber (EID)');
    const permitted = permittedEinsOf(at(context, 1));
    if (permitted.length === 0) fail(context, 'permitted-eins', 1, 'the EUM certificate declares no permitted EINs');
    const organization = attributeValues(euicc.tbsCertificate.subject, 'O')[0];
    const allowed = permitted.some(
      (entry) => eid.startsWith(entry.einPrefix) && (entry.organization === undefined || entry.organization === organization),
    );
    if (!allowed) {
      const ranges = permitted.map((entry) => `${entry.organization ?? '*'}/${entry.einPrefix}`).join(', ');
      fail(context, 'permitted-eins', 0, `EID ${eid} (O=${organization ?? ''}) is outside the EUM's permitted EINs [${ranges}]`);
    }
  },
};
