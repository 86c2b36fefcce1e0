// Mutant SM-DSs for the conformance runner's self-test. Each is our SM-DS, unchanged, behind an HTTPS front
// that defeats exactly one of its checks by repairing the input that check would refuse (the front holds the
// lab eUICC's key and the lab SM-DP+s' TLS credentials, so it can re-sign and re-present what the runner sent).
// Seen from outside, each behaves as an SM-DS with that one check disabled; the SM-DS carries no hook.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server, type ServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { SmdsLab } from '../smds/lab.js';
import { repairEuiccSignature1, tryDecode } from './frontRepairs.js';

type Body = Record<string, unknown>;

/** A TLS credential of the lab (certificate and key files, PEM). */
export interface LabCredential {
  readonly certificate: string;
  readonly key: string;
}

export interface SmdsMutant {
  readonly name: string;
  /** The check this mutant disables, in words. */
  readonly disables: string;
  /** Changes a request body before it reaches the real SM-DS (whose own address is `smdsAddress`). */
  request(fn: string, body: Body, smdsAddress: string): void;
  /** The credential presented to the SM-DS for the one the client presented (default: the same). */
  present?(presented: LabCredential | undefined, credentials: readonly LabCredential[]): LabCredential | undefined;
}


/** Each mutant of the SM-DS of `lab`. */
export function smdsMutants(lab: SmdsLab): SmdsMutant[] {
  return [
    {
      name: 'smdsAddress',
      disables: 'ES11 InitiateAuthentication: the smdsAddress check (8.9.1 / 3.8); any address is taken as its own',
      request: (fn, body, smdsAddress) => {
        if (fn === 'initiateAuthentication' && typeof body.smdpAddress === 'string') body.smdpAddress = smdsAddress;
      },
    },
    {
      name: 'euiccSignature1',
      disables: 'ES11 AuthenticateClient: the verification of euiccSignature1 (8.1 / 6.1)',
      request: (fn, body) => {
        if (fn === 'authenticateClient') repairEuiccSignature1(body, () => lab.hierarchy.euicc.privateKey);
      },
    },
    {
      name: 'eventEid',
      disables: "ES12/ES11: the EID of the event record; every event is returned to the lab eUICC, another EID's included",
      request: (fn, body) => {
        if ((fn === 'registerEvent' || fn === 'deleteEvent') && typeof body.eid === 'string') body.eid = lab.eid;
      },
    },
    {
      name: 'registrant',
      disables: 'ES12 DeleteEvent: the registrant check (8.9.5 / 3.9); any SM-DP+ may delete any event',
      request: () => undefined,
      // The second SM-DP+ is presented to the SM-DS as the first one.
      present: (presented, credentials) => (presented === credentials[1] ? credentials[0] : presented),
    },
  ];
}

export interface RunningSmdsMutant {
  /** localhost:PORT of the front's ES11 port (its certificate is the SM-DS's DStls). */
  address: string;
  /** localhost:PORT of the front's ES12/ES15 port: mutual TLS enforced at the handshake, like the SM-DS's. */
  peerAddress: string;
  close(): Promise<void>;
}

/**
 * Starts the front of `mutant` before the SM-DS at `smds` (its ES11 address and its ES12/ES15 address,
 * localhost:PORT each). `credentials`: the lab's TLS credentials (the SM-DP+, a second SM-DP+, any other) the
 * front presents in place of the client's own.
 */
export async function startSmdsMutant(
  mutant: SmdsMutant,
  lab: SmdsLab,
  smds: { address: string; peerAddress: string },
  credentials: readonly LabCredential[],
): Promise<RunningSmdsMutant> {
  const file = (name: string, kind: 'cert' | 'key') => `${lab.pkiDir}/nist/${name}.${kind}.pem`;
  const fingerprints = credentials.map((credential) => new X509Certificate(readFileSync(credential.certificate)).fingerprint256);
  const ca = readFileSync(lab.ciPemPath);
  const tls = { cert: readFileSync(file('dstls', 'cert')), key: readFileSync(file('dstls', 'key')) };
  const front = (target: string, serverOptions: ServerOptions): Server =>
    createServer({ ...tls, ...serverOptions }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const fn = (req.url ?? '').split('/').at(-1) ?? '';
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        const index = peer?.fingerprint256 === undefined ? -1 : fingerprints.indexOf(peer.fingerprint256);
        const presented = index < 0 ? undefined : credentials[index];
        const credential = mutant.present === undefined ? presented : mutant.present(presented, credentials);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
        let text = Buffer.concat(chunks).toString('utf8');
        const parsed = tryDecode(() => JSON.parse(text) as unknown);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
          const body = parsed as Body;
          mutant.request(fn, body, smds.address);
          text = JSON.stringify(body);
        }
        const forward = request(
          {
            host: '127.0.0.1',
            port: Number(target.split(':').at(-1)),
            path: req.url,
            method: req.method,
            ca,
            servername: 'localhost',
            ...(credential === undefined ? {} : { cert: readFileSync(credential.certificate), key: readFileSync(credential.key) }),
            agent: false,
            headers: { ...headers, 'content-length': String(Buffer.byteLength(text)) },
          },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => parts.push(chunk));
            answer.on('end', () => {
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(parts));
            });
          },
        );
        forward.on('error', () => res.destroy());
        forward.end(req.method === 'GET' ? undefined : text);
      });
    });
  // ES11 without client certificates; ES12/ES15 with a client certificate of the lab's CI required by the
  // handshake, as the SM-DS itself does (SGP.22 §2.6.6).
  const servers = [front(smds.address, {}), front(smds.peerAddress, { requestCert: true, rejectUnauthorized: true, ca })];
  const addresses: string[] = [];
  for (const server of servers) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    addresses.push(`localhost:${(server.address() as { port: number }).port}`);
  }
  return {
    address: addresses[0] as string,
    peerAddress: addresses[1] as string,
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}
