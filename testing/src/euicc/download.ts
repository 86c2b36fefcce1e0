// Runs a complete download against a card, as an LPA with the test SM-DP+ would.
import { GetEuiccChallengeResponse, ProfileInstallationResult, bppPieces, iccidFromBytes, iccidToProfileHeader, manageChannelCloseCommand, type ApduTransport } from '@zkesim/protocol';
import { Es10Client } from './apduClient.js';
import { hex, SGP26_EID } from './sgp26Euicc.js';
import { TestSmdp, ts48Profile, type BppOptions, type Profile } from './testSmdp.js';

/**
 * A TS.48 profile with another ICCID (EF.ICCID order) in its ProfileHeader, written in the package's own
 * plain digit order, so several can be installed on one card.
 */
export function profileWithIccid(iccid: Uint8Array, base: Profile = ts48Profile()): Profile {
  const upp = Uint8Array.from(base.upp);
  const at = indexOf(upp, iccidToProfileHeader(iccidFromBytes(base.iccid)));
  if (at < 0) throw new Error('ICCID not found in the ProfileHeader');
  upp.set(iccidToProfileHeader(iccidFromBytes(iccid)), at);
  return { upp, iccid };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

export async function installProfile(transport: ApduTransport, profile: Profile = ts48Profile(), options: BppOptions = {}): Promise<ProfileInstallationResult> {
  const es10 = await Es10Client.open(transport);
  const smdp = new TestSmdp();
  const { euiccChallenge } = GetEuiccChallengeResponse.decode(await es10.send(hex('BF2E00')));
  const authenticateServerResponse = await es10.send(smdp.initiateAuthentication(euiccChallenge));
  const prepareDownloadResponse = await es10.send(smdp.authenticateClient(authenticateServerResponse));
  for (const piece of bppPieces(smdp.boundProfilePackage(prepareDownloadResponse, hex(SGP26_EID), profile, options))) {
    const response = await es10.send(piece);
    if (response.length > 0) {
      await transport.transmit(manageChannelCloseCommand(es10.channel));
      return ProfileInstallationResult.decode(response);
    }
  }
  throw new Error('no ProfileInstallationResult');
}
