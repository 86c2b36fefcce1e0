// The shape of the SM-DP+ configuration and the error an invalid value raises. config.ts builds a value of
// this shape (defaults, file, environment) and configValidation.ts checks it.

/** One set of SM-DP+ signing credentials, used when the eUICC asks for the CI they chain to. */
export interface CredentialConfig {
  ciCertificate: string;
  dpAuthCertificate: string;
  dpAuthKey: string;
  dpPbCertificate: string;
  dpPbKey: string;
}

/** An ES9+ HTTPS listener: the DPtls certificate decides NIST or brainpool. */
export interface Es9EndpointConfig {
  port: number;
  tlsCertificate: string;
  tlsKey: string;
  /** Extra chain certificates sent with the DPtls certificate. */
  tlsChain?: string[];
}

export interface OperatorConfig {
  operatorId: string;
  callbackUrl?: string;
  caCertificate?: string;
  /** With caCertificate: the subject CN the operator's client certificate must carry. */
  commonName?: string;
  pinnedFingerprints?: string[];
}

export const PROFILE_NOTIFICATION_EVENTS = ['notificationEnable', 'notificationDisable', 'notificationDelete'] as const;
export type ProfileNotificationEvent = (typeof PROFILE_NOTIFICATION_EVENTS)[number];

export interface SmdpConfig {
  /** The SM-DP+ address as LPAs use it (FQDN, optionally :port); compared in InitiateAuthentication. */
  address: string;
  /** Interface to bind (127.0.0.1 for local use). */
  host: string;
  databasePath: string;
  es9: Es9EndpointConfig[];
  credentials: CredentialConfig[];
  /** CRLs (DER or PEM files) checked for EUM certificates. */
  crls: string[];
  es2: {
    /** 'port': ES2+ on its own port (default); 'shared': on the first ES9+ port, client certificate requested there. */
    mode: 'port' | 'shared';
    port: number;
    tlsCertificate?: string;
    tlsKey?: string;
    operators: OperatorConfig[];
    /** Client certificate and key the SM-DP+ presents to operators' callback servers. */
    clientCertificate?: string;
    clientKey?: string;
    /** Trust anchors for operators' callback servers. */
    callbackCa: string[];
  };
  orders: { lifetimeMs: number; confirmationCodeMaxAttempts: number; downloadMaxAttempts: number };
  limits: { maxBodyBytes: number; maxConcurrentPerAddress: number; maxSessions: number; sessionLifetimeMs: number };
  outbox: { pollIntervalMs: number; baseDelayMs: number; maxDelayMs: number; requestTimeoutMs: number };
  /** Profile templates bundled with the product, imported when the inventory is empty. */
  profilesDirectory: string;
  /** How many profiles to create per template on first start. */
  profilesPerTemplate: number;
  /**
   * Protect the profile elements with fresh profile protection keys and send ReplaceSessionKeys
   * (SGP.22 §5.5.3) instead of protecting them with the session keys.
   */
  profileProtectionKeys: boolean;
  /**
   * Profile management operations the eUICC reports back to this SM-DP+ (StoreMetadata
   * notificationConfigurationInfo, SGP.22 §5.4.1 and §3.5), among notificationEnable, notificationDisable,
   * notificationDelete. The installation result is always sent; an empty list asks for nothing more.
   */
  profileNotifications: ProfileNotificationEvent[];
  /**
   * Anchoring of installation results on the chain: records go to the anchor outbox in `outboxDirectory`
   * (the chain layer's data directory, `data/chain` by default, where `zkesim chain` and `npm start` find them).
   */
  anchor: { enabled: boolean; outboxDirectory: string };
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  metrics: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`smdp config ${key}: ${detail}`);
  }
}
