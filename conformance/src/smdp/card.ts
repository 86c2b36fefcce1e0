// The eUICC the runner plays: a software eUICC (euicc-sim, in process) with the credential the operator
// gives (default: the SGP.26 test eUICC), one fresh card per case so that no case sees another's state.
// The card's one-time ECKA keys are kept so that a case can open the BPP it receives.
import { fileURLToPath } from 'node:url';
import { createEuicc, memoryStore, newEuiccState, systemEuiccDeps, type EuiccCard } from '@zkesim/euicc-sim';
import { eidOf, readCertificateFile, readPrivateKeyFile, subjectKeyIdentifierOf, type RspCertificate } from '@zkesim/pki';
import { Es10Channel, generateEckaKeyPair, type EckaKeyPair } from '@zkesim/protocol';

/** The SGP.26 test PKI beside the repository (shared/spec/sgp26), as euicc-sim's `--sgp26` default. */
export const DEFAULT_SGP26_DIR = fileURLToPath(new URL('../../../../shared/spec/sgp26/', import.meta.url));

export interface EuiccIdentityFiles {
  readonly euiccCertificate: string;
  readonly eumCertificate: string;
  readonly euiccKey: string;
}

export function sgp26IdentityFiles(dir = DEFAULT_SGP26_DIR, curve: 'NIST' | 'BRP' = 'NIST'): EuiccIdentityFiles {
  return {
    euiccCertificate: `${dir}/eUICC/CERT_EUICC_ECDSA_${curve}.der`,
    eumCertificate: `${dir}/EUM/CERT_EUM_ECDSA_${curve}.der`,
    euiccKey: `${dir}/eUICC/SK_EUICC_ECDSA_${curve}.pem`,
  };
}

export interface CardIdentity {
  readonly eid: string;
  readonly euicc: RspCertificate;
  readonly eum: RspCertificate;
  readonly ci: RspCertificate;
  readonly privateKeyPkcs8: Uint8Array;
}

export function loadCardIdentity(files: EuiccIdentityFiles, ciFile: string): CardIdentity {
  const euicc = readCertificateFile(files.euiccCertificate);
  const eid = eidOf(euicc);
  if (eid === undefined) throw new Error(`${files.euiccCertificate}: no EID in the subject serialNumber`);
  return {
    eid,
    euicc,
    eum: readCertificateFile(files.eumCertificate),
    ci: readCertificateFile(ciFile),
    privateKeyPkcs8: new Uint8Array(readPrivateKeyFile(files.euiccKey).privateKey.export({ format: 'der', type: 'pkcs8' })),
  };
}

export interface PlayedCard {
  readonly card: EuiccCard;
  readonly channel: Es10Channel;
  readonly oneTimeKeys: EckaKeyPair[];
}

export async function newCard(identity: CardIdentity): Promise<PlayedCard> {
  const ciPKId = subjectKeyIdentifierOf(identity.ci);
  if (ciPKId === undefined) throw new Error('the CI certificate has no subjectKeyIdentifier');
  const state = newEuiccState({
    eid: Uint8Array.from(Buffer.from(identity.eid, 'hex')),
    credentials: [
      { curve: identity.euicc.curve, ciPKId, euiccCertificate: identity.euicc.der, eumCertificate: identity.eum.der, privateKey: identity.privateKeyPkcs8 },
    ],
    trustedCiCertificates: [identity.ci.der],
  });
  const store = memoryStore();
  store.save(state);
  const oneTimeKeys: EckaKeyPair[] = [];
  const card = createEuicc({
    state,
    deps: {
      ...systemEuiccDeps(store),
      eckaKeys: (curve) => {
        const pair = generateEckaKeyPair(curve);
        oneTimeKeys.push(pair);
        return pair;
      },
    },
  });
  return { card, channel: await Es10Channel.open(card), oneTimeKeys };
}
