// Builds the ES9+ side (credentials, CRLs, session table, routes) from the configuration. Kept apart
// from main.ts so that the ES9+ context can be built without the HTTP servers.
import { readFileSync } from 'node:fs';
import { parseCrl, readCertificateFile, registeredIdsOf, subjectKeyIdentifierOf, fromPem } from '@zkesim/pki';
import { generateOneTimeEckaKey, type OneTimeEckaKeyGenerator } from '@zkesim/protocol';
import { smdpConfigError, type SmdpConfig } from './config.js';
import type { CoreDeps, OrderPolicy } from './core/deps.js';
import { SessionTable, type DownloadSessionStore, type SessionLimits } from './core/downloadSession.js';
import { expireOrders } from './es9plus/orderExpiry.js';
import { SourceFailureLimit } from './core/sourceFailureLimit.js';
import { CertificateCache } from '@zkesim/rsp-server';
import type { ActivityTagger, AnchorRecorder, Es9Context, InstallResultEvent, SmdpCredential } from './es9plus/context.js';
import type { SmdpMetrics } from './adapters/http/metrics.js';
import { es9plusRoutes } from './adapters/http/es9plusRoutes.js';
import { asn1BindingRoute } from './adapters/http/asn1Binding.js';
import type { HttpRoute } from '@zkesim/rsp-server';
import type { SigningKeys } from './adapters/signing/signingKeys.js';

export interface Es9plusWiring {
  context: Es9Context;
  routes: Map<string, HttpRoute>;
  close(): void;
}

export interface Es9plusHooks {
  generateEcka?: OneTimeEckaKeyGenerator;
  onInstallResult?: (event: InstallResultEvent) => void;
}

export function loadCredential(config: SmdpConfig['credentials'][number], index: number, root: SmdpConfig, keys: SigningKeys): SmdpCredential {
  const key = `credentials[${index}]`;
  const ci = readCertificateFile(config.ciCertificate);
  const ciKeyId = subjectKeyIdentifierOf(ci);
  if (ciKeyId === undefined) throw smdpConfigError(root, `${key}.ciCertificate`, 'the CI certificate has no SubjectKeyIdentifier');
  const dpAuth = keys.credential(index, 'dpAuth');
  const dpPb = keys.credential(index, 'dpPb');
  const [smdpOid] = registeredIdsOf(dpAuth.certificate);
  if (smdpOid === undefined) throw smdpConfigError(root, `${key}.dpAuthCertificate`, 'CERT.DPauth has no registeredID (SM-DP+ OID) in its SAN');
  return { ci, ciKeyId, dpAuth, dpPb, smdpOid };
}

/** Builds the ES9+ side; it owns `signingKeys` from here on (closed by `close`, or at once if building fails). */
export function buildEs9plus(
  config: SmdpConfig,
  deps: CoreDeps,
  policy: OrderPolicy,
  metrics: SmdpMetrics,
  signingKeys: SigningKeys,
  hooks: Es9plusHooks = {},
  anchorRecord?: AnchorRecorder,
  activityTags?: ActivityTagger,
): Es9plusWiring {
  let credentials: SmdpCredential[];
  try {
    credentials = config.credentials.map((credential, index) => loadCredential(credential, index, config, signingKeys));
  } catch (error) {
    signingKeys.close();
    throw error;
  }
  const limits: SessionLimits = {
    maxSessions: config.limits.maxSessions,
    lifetimeMs: config.limits.sessionLifetimeMs,
    unauthenticated: {
      lifetimeMs: config.unauthenticatedSessions.lifetimeMs,
      maxPerSource: config.unauthenticatedSessions.maxPerAddress,
      onEvict: (reason) => metrics.sessionEvictions.inc({ reason }),
    },
  };
  // In the store when several processes share it (any process serves any call of a download), else in memory.
  const sessions: DownloadSessionStore =
    deps.repository.sharedDownloadSessions?.(limits) ?? new SessionTable(limits.maxSessions, limits.lifetimeMs, limits.unauthenticated);
  const context: Es9Context = {
    deps,
    policy,
    sessions,
    credentials,
    crls: config.crls.map((path, index) => {
      const bytes = readFileSync(path);
      const [der] = bytes.toString('latin1').includes('-----BEGIN') ? fromPem(bytes.toString('utf8'), 'X509 CRL') : [bytes];
      if (der === undefined) throw smdpConfigError(config, `crls[${index}]`, `${path} holds no CRL`);
      return parseCrl(der);
    }),
    confirmationCodeSources: new SourceFailureLimit(config.orders.confirmationCodeSourceMaxFailures, config.orders.confirmationCodeSourceWindowMs),
    generateEcka: hooks.generateEcka ?? generateOneTimeEckaKey,
    eumCertificates: new CertificateCache(),
    profileProtectionKeys: config.profileProtectionKeys,
    profileNotifications: config.profileNotifications,
    onDownloadOutcome: (outcome) => metrics.downloads.inc({ outcome }),
    ...(anchorRecord === undefined ? {} : { anchorRecord }),
    ...(activityTags === undefined ? {} : { activityTags }),
    ...(hooks.onInstallResult === undefined ? {} : { onInstallResult: hooks.onInstallResult }),
  };
  const sweeper = setInterval(() => {
    Promise.resolve(sessions.sweep(deps.clock.now()))
      .then(() => {
        metrics.sessions.set(sessions.size);
        metrics.unauthenticatedSessions.set(sessions.unauthenticatedSize);
      })
      .catch((error: unknown) => deps.logger.error({ function: 'sweepSessions', error: String(error) }, 'session sweep failed'));
    // Orders nobody comes back for expire too (a bound one would otherwise stay Downloaded).
    expireOrders(deps).catch((error: unknown) => deps.logger.error({ function: 'expireOrders', error: String(error) }, 'order expiry sweep failed'));
  }, 30_000);
  sweeper.unref();
  const routes = es9plusRoutes(context);
  routes.set('/gsma/rsp2/asn1', asn1BindingRoute(context));
  return {
    context,
    routes,
    close: () => {
      clearInterval(sweeper);
      signingKeys.close();
    },
  };
}
