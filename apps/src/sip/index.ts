// Calls between ZK identities (issue #20): the ZK verifier that Kamailio asks, Kamailio itself, and the
// subscriber side that makes the proofs and drives sipp.
export { inviteMessage, mediaKeys, pseudonymousAddress, registerMessage, registrationEpoch, registrationScope, sipDomain } from './core/binding.js';
export { PROOF_HEADER, decodeProofHeader, encodeProofHeader } from './core/proofHeader.js';
export { GroupRootPolicy, type GroupRootSource, type RootPolicyOptions, type RootVerdict } from './core/rootPolicy.js';
export { RateLimit, ReplayCache } from './core/limits.js';
export { SipVerifier, type InviteFacts, type RegisterFacts, type SipVerdict, type SipVerifierOptions } from './core/verifier.js';
export { KAMAILIO_BINARY, SIP_INSTALL_HINT, kamailioInstalled, renderKamailioConfig, startKamailio, type KamailioProcess } from './kamailio/kamailioProcess.js';
export { DEFAULT_SIP_VERIFIER, startSipService, type SipService, type SipServiceOptions } from './service.js';
export { newCallId, ownSipAddress, prepareInvite, prepareRegister, type PreparedRequest, type SipEpoch } from './subscriber/sipProofs.js';
export { SIPP_BINARY, parseSippTrace, sippInstalled, type SipMessage, type SippResult } from './subscriber/sippRunner.js';
export { answerCall, checkMedia, fingerprintLine, offerFacts, sendInvite, sendRegister, sipCall, sipRegister, type SipOutcome } from './subscriber/sipClient.js';
