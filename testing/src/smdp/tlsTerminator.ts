// A TLS terminator in front of ES9+ holding SK.DPtls in a PKCS#11 token: Debian's nginx with the libp11 OpenSSL
// engine (libengine-pkcs11-openssl), both linked against the system OpenSSL, which can use a token key for the
// handshake where Node's bundled OpenSSL cannot (SECURITY.md, "Keys in an HSM"). It listens on a free loopback
// port and forwards to the SM-DP+'s ES9+ listener over TLS, checking that hop's certificate against `upstreamCa`.
// The token PIN is read by the engine from a 0600 file (RFC 7512 `pin-source`), not written into nginx's config.
// Without nginx or the engine a test skips, except in CI (CI=true), where the missing package fails the run.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOnFreePort, waitForOwnPorts } from '@zkesim/contracts';

export const NGINX = '/usr/sbin/nginx';
export const LIBP11_ENGINE = '/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so';

export function tlsTerminatorAvailable(): boolean {
  const available = existsSync(NGINX) && existsSync(LIBP11_ENGINE);
  if (!available && process.env.CI === 'true') {
    throw new Error(`nginx (${NGINX}) or the libp11 engine (${LIBP11_ENGINE}) is missing: .ci/run installs nginx-light and libengine-pkcs11-openssl`);
  }
  return available;
}

export interface TlsTerminatorOptions {
  dir: string;
  module: string;
  tokenLabel: string;
  pin: string;
  /** CKA_LABEL of SK.DPtls in the token. */
  keyLabel: string;
  /** CERT.DPtls (PEM) for the token key. */
  certificate: string;
  /** The SM-DP+'s ES9+ listener (https://127.0.0.1:port) and what its certificate is checked with. */
  upstreamUrl: string;
  upstreamCa: string;
  upstreamName: string;
}

export interface TlsTerminator {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** nginx binds its port itself: a free port taken by another process before it does is replaced by a fresh one. */
export function startTlsTerminator(options: TlsTerminatorOptions): Promise<TlsTerminator> {
  return startOnFreePort((port) => startNginx(options, port));
}

async function startNginx(options: TlsTerminatorOptions, port: number): Promise<TlsTerminator> {
  const dir = join(options.dir, 'nginx');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pinFile = join(dir, 'token.pin');
  writeFileSync(pinFile, options.pin, { mode: 0o600 });
  const opensslConf = join(dir, 'openssl.cnf');
  writeFileSync(
    opensslConf,
    [
      'openssl_conf = openssl_init', '[openssl_init]', 'engines = engine_section', '[engine_section]', 'pkcs11 = pkcs11_section', '[pkcs11_section]',
      'engine_id = pkcs11', `dynamic_path = ${LIBP11_ENGINE}`, `MODULE_PATH = ${options.module}`, 'init = 1', '',
    ].join('\n'),
  );
  const key = `engine:pkcs11:pkcs11:token=${options.tokenLabel};object=${options.keyLabel};type=private?pin-source=file:${pinFile}`;
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
master_process off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_certificate ${options.certificate};
    ssl_certificate_key "${key}";
    location / {
      proxy_pass ${options.upstreamUrl};
      proxy_http_version 1.1;
      proxy_ssl_verify on;
      proxy_ssl_trusted_certificate ${options.upstreamCa};
      proxy_ssl_server_name on;
      proxy_ssl_name ${options.upstreamName};
      proxy_set_header X-Forwarded-For $remote_addr;
    }
  }
}
`,
  );
  const child = spawn(NGINX, ['-c', conf, '-p', dir, '-e', join(dir, 'error.log')], {
    env: { ...process.env, OPENSSL_CONF: opensslConf },
    stdio: 'ignore',
  });
  await waitForPort(port, child, join(dir, 'error.log'));
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    close: () => stop(child),
  };
}

async function waitForPort(port: number, child: ChildProcess, errorLog: string): Promise<void> {
  try {
    await waitForOwnPorts({
      name: 'nginx',
      pid: child.pid,
      ports: [port],
      exited: () => child.exitCode !== null || child.signalCode !== null,
      output: () => readLog(errorLog),
      timeoutMs: 10_000,
    });
  } catch (error) {
    await stop(child);
    throw error;
  }
}

function readLog(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').slice(-3).join(' | ') : '(no log)';
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
