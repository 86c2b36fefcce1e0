// The FCI the ISD-R returns on SELECT (ISO 7816-4 §7.4.3 FCI template '6F', GlobalPlatform Card Spec §11.9.3.3:
// '84' application AID, 'A5' proprietary data). SGP.22 §2.2.3 adds the ISD-R proprietary template 'E0'.
// SPEC-AMBIGUITY: SGP.22 does not require a particular FCI content for ES10; LPAs only check SW 9000/61xx.
// We answer 6F { 84 AID, A5 { 9F65 01 FF } } (maximum length of data field in STORE DATA: 255).
import type { EuiccState } from '../core/state.js';

export function selectResponse(state: EuiccState): Uint8Array {
  const aid = state.quirks.isdRAid;
  const proprietary = Uint8Array.of(0xa5, 0x04, 0x9f, 0x65, 0x01, 0xff);
  const body = Uint8Array.from([0x84, aid.length, ...aid, ...proprietary]);
  return Uint8Array.from([0x6f, body.length, ...body]);
}
