// Public API of @zkesim/rsp-server: the building blocks an SM-DP+ and an SM-DS share. HTTPS servers and
// their limits, the plumbing of the SGP.22 §6.5 JSON and §6.6 ASN.1 bindings, client identification from
// TLS certificates (§2.6.6), /healthz and /metrics, the mutual-authentication session table, the eUICC/EUM
// chain check, the durable outbox, and the production clock, randomness and logger. Nothing here knows
// orders, profiles or events (README.md: what a server supplies).
export type { Clock, RandomSource, Logger } from '@zkesim/protocol';
export { systemClock } from './runtime/clock.js';
export { systemRandom } from './runtime/random.js';
export { trimOldest } from './runtime/boundedMap.js';
export { createLogger, redactIdentifier, redactIdentifiersInText, redactLogObject, secretLogKeys, type LoggedIdentifier } from './runtime/logger.js';
export { BodyTooLarge, readBody } from './http/body.js';
export { ConcurrencyLimit } from './http/concurrencyLimit.js';
export { createRequestListener, send as sendRouteResult, type HttpRoute, type ListenerOptions, type RouteInput, type RouteResult } from './http/requestListener.js';
export { decodeField, failureBody, jsonRoute, parseJsonBody, routeResult } from './http/jsonBinding.js';
export {
  answering, asn1BindingRoute, asn1ContentType, asn1ErrorNumber, asn1Failure, asn1ErrorTable, decodeProvisioningRequest, derResult, type Asn1ErrorTable, type ProvisioningHandler,
  type ProvisioningHandlers, type ProvisioningRequestName,
} from './http/asn1Binding.js';
export { createServerMetrics, type MetricsOptions, type ServerMetrics } from './http/metrics.js';
export { certificateCurve, certificatePem, privateKeyPem, serverTlsOptions } from './http/tlsFiles.js';
export {
  bindSocket, closeServer, defaultConnectionLimits, httpTimeouts, listen, startAdminServer, startHttpsServer, type BoundSocket, type BoundSockets, type ClientIdentification,
  type ConnectionLimits, type HttpsServerOptions,
} from './http/listen.js';
export { sourceKey } from './http/sourceKey.js';
export { adminEndpoints, type AdminEndpointOptions } from './http/adminEndpoints.js';
export { clientCaPems, createClientIdentifier, type ClientTrust } from './http/clientCertificate.js';
export {
  IllegalSessionTransition, MutualAuthSessionTable, SessionTableFull, transactionKey, type MutualAuthSession, type SessionEviction, type SessionRules,
  type UnauthenticatedLimits,
} from './session/mutualAuthSessions.js';
export { CertificateCache } from './euicc/certificateCache.js';
export { verifyEuiccChain, type EuiccChainInput, type VerifiedEuicc } from './euicc/euiccChain.js';
export { outboxState, type OutboxEntry, type OutboxState, type OutboxStore, type OutboxTransaction } from './outbox/outboxStore.js';
export { postToPeer, type PeerAnswer, type PeerTls } from './outbox/peerRequest.js';
export { OutboxWorker, type OutboxTls, type OutboxWorkerOptions } from './outbox/outboxWorker.js';
export {
  authenticateEuicc, chooseCredential, initiateMutualAuthentication, smdpInitiateAuthenticationCodes, smdsInitiateAuthenticationCodes, type AuthCredential,
  type AuthenticatedEuicc, type ChallengeSessions, type EuiccAuthenticationInput, type InitiateAuthenticationCodes, type InitiateAuthenticationRequest,
  type InitiateAuthenticationResult, type OpenedAuthSession, type ServerAuthentication,
} from './euicc/mutualAuthentication.js';
export { applyMigrations, type MigratableDatabase, type Migration } from './storage/schemaMigrations.js';
export { SerialTransactions, type TransactionalDatabase } from './storage/serialTransactions.js';
export { applyPgMigrations, pgSchemaVersion, type MigratableConnection } from './storage/pgMigrations.js';
export { createPgPool, inPgTransaction, PgCommitTail, pgStatement, withPgClient, type PgPoolOptions } from './storage/pgPool.js';
