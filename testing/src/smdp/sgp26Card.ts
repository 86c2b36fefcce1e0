// A software eUICC (euicc-sim, in process) with the SGP.26 test credential of one curve (euicc/sgp26Euicc)
// on the system clock, whose one-time ECKA keys are recorded so that a test can open the BPP it receives.
import { createEuicc, memoryStore, systemEuiccDeps, type EuiccCard } from '@zkesim/euicc-sim';
import { generateEckaKeyPair, type EckaKeyPair } from '@zkesim/protocol';
import { SGP26_EID, sgp26EuiccState, type Sgp26Curve } from '../euicc/sgp26Euicc.js';

export const sgp26Eid = SGP26_EID;

export interface RecordingCard {
  card: EuiccCard;
  /** The one-time key pairs the card generated (PrepareDownload), newest last. */
  oneTimeKeys: EckaKeyPair[];
}

export function sgp26Card(curve: Sgp26Curve = 'nist'): RecordingCard {
  const oneTimeKeys: EckaKeyPair[] = [];
  const state = sgp26EuiccState(undefined, [curve]);
  const store = memoryStore();
  store.save(state);
  const eckaKeys = (keyCurve: Parameters<typeof generateEckaKeyPair>[0]): EckaKeyPair => {
    const pair = generateEckaKeyPair(keyCurve);
    oneTimeKeys.push(pair);
    return pair;
  };
  const card = createEuicc({ state, deps: { ...systemEuiccDeps(store), eckaKeys } });
  return { card, oneTimeKeys };
}
