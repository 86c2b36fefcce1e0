// More software eUICCs for the end-to-end tests: each gets its own EID in the development EUM's range and
// a CERT.EUICC issued by that EUM, so the stack's SM-DP+ accepts it like the stack's own card.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createEuicc, memoryStore, newEuiccState, systemEuiccDeps, type EuiccCard, type EuiccState, type Quirks } from '@zkesim/euicc-sim';
import { issueEuiccCertificate, serialNumberFromRandom, subjectKeyIdentifierOf } from '@zkesim/pki';
import { eidToBytes, eidWithCheckDigits, type NotificationConfigurationInformation } from '@zkesim/protocol';
import type { RunningStack } from '@zkesim/apps';

export interface TestCard {
  readonly card: EuiccCard;
  readonly eid: string;
}

function cardOn(state: EuiccState): EuiccCard {
  const store = memoryStore();
  store.save(state);
  return createEuicc({ state, deps: systemEuiccDeps(store) });
}

/**
 * A new card whose EID ends in `serial` (up to 15 digits) under the development EIN 89001012, with `quirks`
 * over the defaults (e.g. little memory, so that an installation fails on the card).
 */
export function newTestCard(stack: RunningStack, serial: number, quirks: Partial<Quirks> = {}): TestCard {
  const h = stack.pki.nist;
  const eid = eidWithCheckDigits(`89001012${String(serial).padStart(22, '0')}`);
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const certificate = issueEuiccCertificate({
    serialNumber: serialNumberFromRandom(new Uint8Array(randomBytes(16))),
    notBefore: new Date(Date.now() - 3600_000),
    eum: { certificate: h.eum.certificate, signer: h.eum.signer },
    publicKey: keys.publicKey,
    eid,
    country: 'ZZ',
    commonName: `zkesim test eUICC ${serial}`,
  });
  const ciPKId = subjectKeyIdentifierOf(h.ci.certificate);
  if (ciPKId === undefined) throw new Error('the development CI has no SKI');
  const state = newEuiccState({
    eid: eidToBytes(eid),
    credentials: [
      {
        curve: 'P-256',
        ciPKId,
        euiccCertificate: certificate.der,
        eumCertificate: h.eum.certificate.der,
        privateKey: new Uint8Array(keys.privateKey.export({ format: 'der', type: 'pkcs8' })),
      },
    ],
    trustedCiCertificates: [h.ci.certificate.der],
    quirks,
  });
  return { card: cardOn(state), eid };
}

/**
 * The same card with every profile configured to send enable/disable/delete notifications to `address`
 * (what an SM-DP+ asks for with notificationConfigurationInfo in StoreMetadata, SGP.22 §5.4.1), for tests
 * that need another address than the SM-DP+ that installed the profile.
 */
export function withNotificationConfiguration(card: EuiccCard, address: string, operations: NotificationConfigurationInformation['profileManagementOperation']): EuiccCard {
  const state = card.state;
  return cardOn({
    ...state,
    profiles: state.profiles.map((profile) => ({ ...profile, notificationConfigurationInfo: [{ profileManagementOperation: operations, notificationAddress: address }] })),
  });
}
