// Public API of @zkesim/lpa-core: the LPA of SGP.22 v2.2.2 §3 over an APDU transport and an HTTPS client.
export { Lpa, type LpaOptions, type DownloadOptions, type DiscoveredDownload } from './lpa.js';
export { DEFAULT_DISCOVERY_DEPTH, discoverEvents, type DiscoveredEvent, type DiscoveryResult, type SkippedEvent } from './discovery.js';
export * from './errors.js';
export { parseActivationCode, assertSmdpAddress } from './activationCode.js';
export { formatActivationCode, type ActivationCode } from '@zkesim/protocol';
export { buildDeviceInfo, encodeImei, encodeTac, DEFAULT_TAC, type DeviceIdentity } from './deviceInfo.js';
export { profileIdentifierOf } from './identifiers.js';
export { RspServerClient } from './es9plus-client/es9plusClient.js';
export { postJson, parseResolveEntry, resolveTarget, type HttpsOptions } from './es9plus-client/httpsTransport.js';
export { DownloadAborted, type CancelOutcome } from './download/cancel.js';
export { memoryBppStore, type BppStore, type StoredDownload } from './download/bppStore.js';
export { downloadProfile, prepareDownloadRequest, type AuthenticateClientAnswer, type DownloadRequest, type DownloadResult } from './download/downloadProfile.js';
export { authenticateServerRequest, type InitiateAuthenticationAnswer } from './download/authenticate.js';
/** The ES10b functions one at a time (§5.7), for callers that drive a download step by step. */
export * as es10b from './es10-client/es10b.js';
export type { DownloadStep, LpaInteraction, LpaContext } from './context.js';
export type { NotificationOutcome, NotificationSummary } from './notifications.js';
export type { ProfileSummary } from './profiles.js';
export type { SubscriberIdentity } from './subscriberIdentity.js';
export { getSubscriberIdentity } from './es10-client/subscriberIdentity.js';
export { fileBppStore } from './adapters/fileBppStore.js';
export { openCard, parseEuiccLocator, euiccLocatorUsage, type CardSession, type EuiccLocator, type ExtraTransport, type ExtraTransports } from './transports/openTransport.js';
export { openTcpTransport } from './transports/tcpTransport.js';
