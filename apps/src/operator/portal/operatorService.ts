// The operator component as a running service: its KYC store and portal database under its own folder, the
// ES2+ receiver the SM-DP+ calls back (HandleDownloadProgressInfo), and the staff portal on its own HTTPS port.
// `npm start` runs it beside our services; nothing of ours opens its files.
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { closeServer, listen, serverTlsOptions, type BoundSockets, type Logger } from '@zkesim/rsp-server';
import { openOperatorComponent, type OperatorComponent, type OperatorComponentConfig } from '../operatorComponent.js';
import type { ProfileState } from '@zkesim/sm-dp-plus';
import { startEs2Receiver, type RunningEs2Receiver } from './es2Receiver.js';
import { OrderLog } from './orderLog.js';
import { openPortalDatabase } from './portalDatabase.js';
import { createPortalApp } from './portalApp.js';
import { generatePassword } from './passwords.js';
import { SmdpReader, type StackLinks } from './smdpReader.js';
import { StaffStore } from './staffStore.js';

export interface OperatorServiceConfig {
  /** The operator's own folder (KYC store, portal database, demo admin password). */
  readonly folder: string;
  readonly component: Omit<OperatorComponentConfig, 'kycStorePath'>;
  readonly host: string;
  /** The portal's HTTPS port and the ES2+ receiver's (0: a free port chosen at start). */
  readonly portalPort: number;
  readonly receiverPort: number;
  /** Sockets bound before the SM-DP+ was given the receiver's URL (rsp-server `bindSocket`), served, not bound again. */
  readonly boundSockets?: BoundSockets;
  /** The operator's TLS server certificate and key, for both ports. */
  readonly tls: { certificate: string; key: string };
  /** The SM-DP+'s TLS client certificate, the only caller the receiver accepts. */
  readonly smdpClientCertificate: string;
  /** The CA certificate files the SM-DP+'s certificate chains to (its CI), for the receiver's TLS handshake. */
  readonly smdpClientCertificateIssuers: readonly string[];
  readonly links: Omit<StackLinks, 'api'>;
  readonly profileTypes: readonly string[];
  readonly logger: Logger;
}

export interface RunningOperatorService {
  readonly operator: OperatorComponent;
  readonly orders: OrderLog;
  readonly staff: StaffStore;
  readonly portalUrl: string;
  readonly receiver: RunningEs2Receiver;
  /** Set when this start created the demo admin: the file (0600) holding its password. */
  readonly demoAdmin: { username: string; passwordFile: string; created: boolean } | undefined;
  close(): Promise<void>;
}

export const DEMO_ADMIN = 'admin';
export const DEMO_ADMIN_PASSWORD_FILE = 'portal-admin-password';

/**
 * The demo's first admin, once: a generated password written to a 0600 file in the operator's folder, never
 * printed (terminal output ends up in scrollback, CI logs and screen shares; the file stays the owner's).
 */
async function ensureDemoAdmin(staff: StaffStore, folder: string): Promise<RunningOperatorService['demoAdmin']> {
  const passwordFile = join(folder, DEMO_ADMIN_PASSWORD_FILE);
  if (staff.hasStaff(DEMO_ADMIN)) return existsSync(passwordFile) ? { username: DEMO_ADMIN, passwordFile, created: false } : undefined;
  const password = generatePassword();
  await staff.addStaff(DEMO_ADMIN, 'admin', password);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  return { username: DEMO_ADMIN, passwordFile, created: true };
}

export async function startOperatorService(config: OperatorServiceConfig, options: { demoAdmin?: boolean; now?: () => number } = {}): Promise<RunningOperatorService> {
  const now = options.now ?? Date.now;
  const operator = openOperatorComponent({ ...config.component, kycStorePath: join(config.folder, 'kyc.db') }, now);
  const db = openPortalDatabase(join(config.folder, 'portal.db'));
  const staff = new StaffStore(db, now);
  const orders = new OrderLog(db, now);
  const reader = new SmdpReader({ ...config.links, api: config.component.api });
  let receiver: RunningEs2Receiver | undefined;
  let server: Server | undefined;
  try {
    const demoAdmin = options.demoAdmin === true ? await ensureDemoAdmin(staff, config.folder) : undefined;
    receiver = await startEs2Receiver({
      host: config.host, port: config.receiverPort, boundSockets: config.boundSockets, tlsCertificate: config.tls.certificate, tlsKey: config.tls.key,
      smdpCertificate: config.smdpClientCertificate, smdpCertificateIssuers: config.smdpClientCertificateIssuers, orders, logger: config.logger,
      refreshState: async (iccid) => {
        const state = (await reader.order(iccid)).status.profileState;
        if (state !== undefined) orders.setState(iccid, state as ProfileState);
      },
    });
    const app = createPortalApp({ operator, staff, orders, reader, receiver, profileTypes: config.profileTypes, logger: config.logger, now });
    server = createServer({ ...serverTlsOptions(config.tls.certificate, config.tls.key), requestTimeout: 30_000, headersTimeout: 10_000 }, app);
    const url = await listen(server, config.host, config.portalPort, 'https', config.boundSockets);
    const running = receiver;
    const portal = server;
    return {
      operator, orders, staff, receiver: running, demoAdmin,
      portalUrl: url.replace('127.0.0.1', 'localhost'),
      close: async () => {
        await closeServer(portal);
        await running.close();
        reader.close();
        db.close();
        operator.close();
      },
    };
  } catch (error) {
    if (server !== undefined) await closeServer(server);
    await receiver?.close();
    reader.close();
    db.close();
    operator.close();
    throw error;
  }
}
