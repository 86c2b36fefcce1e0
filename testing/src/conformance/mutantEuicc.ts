// Mutant eUICCs for the conformance runner's self-test: the SGP.26 software eUICC behind an APDU front that
// answers one ES10 function as a card with one check missing would. Only single-APDU commands are touched
// (STORE DATA, INS E2, whose data starts with the function's tag); everything else reaches the card as is.
// The card's own answer is collected first, so the mutant can start from it.
import type { ApduTransport } from '@zkesim/protocol';

export interface EuiccMutant {
  readonly name: string;
  readonly disables: string;
  /** The ES10 tag (two bytes) of the function answered by the mutant. */
  readonly tag: number;
  /** The response data the mutant gives instead of the card's whole answer `cardResponse`. */
  answer(cardResponse: Uint8Array): Uint8Array;
}

const OK = Uint8Array.of(0x90, 0x00);

export const euiccMutants: readonly EuiccMutant[] = [
  {
    name: 'enableProfileExists',
    disables: 'EnableProfile: the check that the ICCID exists (answers ok(0) instead of iccidOrAidNotFound(1))',
    tag: 0xbf31,
    answer: () => Uint8Array.of(0xbf, 0x31, 0x03, 0x80, 0x01, 0x00),
  },
  {
    name: 'removeNotificationExists',
    disables: 'RemoveNotificationFromList: the check that the sequence number exists (answers ok(0) instead of nothingToDelete(1))',
    tag: 0xbf30,
    answer: () => Uint8Array.of(0xbf, 0x30, 0x03, 0x80, 0x01, 0x00),
  },
  {
    name: 'derLength',
    disables: 'DER strictness: GetEUICCInfo1 sent with a long-form length where the short form is required (X.690 §10.1)',
    tag: 0xbf20,
    answer: (card) => {
      // BF20 LL … → BF20 81 LL …: the same value, not DER.
      const length = card[2] ?? 0;
      return Uint8Array.from([0xbf, 0x20, 0x81, length, ...card.subarray(3)]);
    },
  },
];

/** The card's transport with `mutant` in front. */
export function mutantTransport(card: ApduTransport, mutant: EuiccMutant): ApduTransport {
  return {
    transmit: async (apdu) => {
      let response = await card.transmit(apdu);
      const isStoreData = apdu[1] === 0xe2 && apdu.length > 7;
      const tag = ((apdu[5] ?? 0) << 8) | (apdu[6] ?? 0);
      if (!isStoreData || tag !== mutant.tag) return response;
      // Collect the card's whole answer (61xx → GET RESPONSE on the same channel, ISO 7816-4 §5.3.4), then
      // give the mutant's data in one response with 90 00.
      const parts: number[] = [];
      while (response.length >= 2 && response[response.length - 2] === 0x61) {
        parts.push(...response.subarray(0, response.length - 2));
        response = await card.transmit(Uint8Array.of(apdu[0] ?? 0x80, 0xc0, 0x00, 0x00, response[response.length - 1] ?? 0));
      }
      parts.push(...response.subarray(0, response.length - 2));
      return Uint8Array.from([...mutant.answer(Uint8Array.from(parts)), ...OK]);
    },
  };
}
