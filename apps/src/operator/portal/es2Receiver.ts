// The operator's ES2+ function-provider endpoint: it receives ES2+.HandleDownloadProgressInfo from the SM-DP+
// (SGP.22 v2.2.2 §5.3.5, JSON binding §6.5) over mutual TLS (§2.6.6). rsp-server's HTTPS listener, client
// identification and JSON binding carry it, with protocol's ES2+ field list for the body, exactly as the
// SM-DP+ serves its own ES2+ functions. The TLS handshake requires a client certificate chaining to the
// configured issuers of the SM-DP+'s; then only that certificate is accepted (pinned by its SHA-256
// fingerprint; another of the same CA gets HTTP 403, 1.1.1 / 1.1); the event goes into the order log, which
// de-duplicates the SM-DP+'s at-least-once deliveries on functionCallIdentifier.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:https';
import { es2plusFunctions } from '@zkesim/protocol';
import { ConcurrencyLimit, closeServer, createServerMetrics, jsonRoute, serverTlsOptions, startHttpsServer, systemClock, type BoundSockets, type Logger } from '@zkesim/rsp-server';
import type { OrderLog } from './orderLog.js';

export interface Es2ReceiverOptions {
  host: string;
  /** 0 for any free port. */
  port: number;
  /** When `port` is one of these (bound before the SM-DP+ was given the callback URL), that socket is served. */
  boundSockets?: BoundSockets;
  /** The operator's TLS server certificate and key (PEM or DER files). */
  tlsCertificate: string;
  tlsKey: string;
  /** The SM-DP+'s TLS client certificate (its DPtls, §2.6.6), pinned. */
  smdpCertificate: string;
  /**
   * The CA certificate files it chains to, up to the root (its CI), which the TLS handshake verifies it
   * against; none when the pinned certificate is self-signed.
   */
  smdpCertificateIssuers: readonly string[];
  orders: OrderLog;
  /** Asks the SM-DP+ for the order's state after a failure, whose effect on the state the callback does not say. */
  refreshState: (iccid: string) => Promise<void>;
  logger: Logger;
}

export interface RunningEs2Receiver {
  /** The callback URL to configure at the SM-DP+ (the function's path on this listener). */
  readonly callbackUrl: string;
  readonly port: number;
  /** When the last callback arrived (ms), for the Health page. */
  lastReceivedAt(): number | undefined;
  close(): Promise<void>;
}

interface SmdpClient {
  readonly smdp: true;
}

export async function startEs2Receiver(options: Es2ReceiverOptions): Promise<RunningEs2Receiver> {
  const pinned = new X509Certificate(readFileSync(options.smdpCertificate));
  // A self-signed certificate is its own anchor (X509Certificate.checkIssued also wants keyCertSign, which a leaf lacks).
  const selfSigned = pinned.subject === pinned.issuer && pinned.verify(pinned.publicKey);
  const issuers = [...options.smdpCertificateIssuers.map((file) => readFileSync(file)), ...(selfSigned ? [pinned.raw] : [])];
  let lastReceivedAt: number | undefined;
  const route = jsonRoute<typeof es2plusFunctions.handleDownloadProgressInfo, SmdpClient>(es2plusFunctions.handleDownloadProgressInfo, true, (request) => {
    const status = request.notificationPointStatus;
    const stored = options.orders.received(
      {
        callId: request.header.functionCallIdentifier,
        iccid: request.iccid,
        notificationPoint: request.notificationPointId,
        status: status.status,
        ...(status.statusCodeData === undefined
          ? {}
          : {
              subjectCode: status.statusCodeData.subjectCode,
              reasonCode: status.statusCodeData.reasonCode,
              ...(status.statusCodeData.message === undefined ? {} : { message: status.statusCodeData.message }),
            }),
        occurredAt: request.timestamp,
      },
      request.profileType,
      request.eid,
    );
    lastReceivedAt = Date.now();
    if (stored && status.status !== 'Executed-Success') {
      options.refreshState(request.iccid).catch((error: unknown) => options.logger.warn({ err: error }, 'could not read the order state after a failed download step'));
    }
    options.logger.info({ function: 'handleDownloadProgressInfo', notificationPointId: request.notificationPointId, status: status.status, duplicate: !stored }, 'download progress received');
    // §5.3.5: the function has no output data; the answer is the header alone (Executed-Success).
    return Promise.resolve({});
  });
  const metrics = createServerMetrics({ prefix: 'operator', defaultMetrics: false, sessionsHelp: 'unused', outboxHelp: 'unused' });
  const { server, url } = await startHttpsServer<SmdpClient>({
    host: options.host,
    port: options.port,
    boundSockets: options.boundSockets,
    tls: serverTlsOptions(options.tlsCertificate, options.tlsKey),
    clientCertificates: { trusts: [{ identity: { smdp: true }, pinnedFingerprints: [pinned.fingerprint256], pinnedIssuers: issuers }], clock: systemClock },
    listener: {
      routes: new Map([[es2plusFunctions.handleDownloadProgressInfo.path, route]]),
      maxBodyBytes: 64 * 1024,
      concurrency: new ConcurrencyLimit(16),
      metrics,
      logger: options.logger,
    },
  });
  const port = Number(new URL(url).port);
  return {
    callbackUrl: `${url}${es2plusFunctions.handleDownloadProgressInfo.path}`,
    port,
    lastReceivedAt: () => lastReceivedAt,
    close: () => closeServer(server as Server),
  };
}
