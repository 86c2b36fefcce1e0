// The FCI the ISD-R returns on SELECT (ISO 7816-4 §7.4.3 FCI template '6F', GlobalPlatform Card Spec §11.9.3.3:
// '84' application AID, 'A5' proprietary data). SGP.22 §2.2.3 adds the ISD-R proprietary template 'E0'.
// SPEC-AMBIGUITY: SGP.22 does not require a particular FCI content for ES10; LPAs only check SW 9000/61xx.
// We answer 6F { 84 AID, A5 { 9F65 01 FF } } (maximum length of data field in STORE DATA: 255).
import { encodeTlv } from '@zkesim/protocol';
import type { EuiccState } from '../core/state.js';

/** GlobalPlatform '9F65': maximum length of data field in a command message. */
const MAXIMUM_COMMAND_DATA_LENGTH = Uint8Array.of(0xff);

export function selectResponse(state: EuiccState): Uint8Array {
  const proprietary = encodeTlv(0xa5, encodeTlv(0x9f65, MAXIMUM_COMMAND_DATA_LENGTH));
  return encodeTlv(0x6f, Uint8Array.from([...encodeTlv(0x84, state.quirks.isdRAid), ...proprietary]));
}
