// The operator component's one TLS server credential in the development stack, for all of its HTTPS ports (the
// staff portal, the ES2+ receiver the SM-DP+ calls, the plans API): a web server certificate for localhost and
// 127.0.0.1 from the development CI (which the stack's LPA, SM-DP+ and browsers told of it trust), under
// <operator folder>/tls. Never the SM-DP+'s DPtls key: the operator's server is not ours. A deployed operator uses
// a certificate from its own or a public web CA.
import { join } from 'node:path';
import type { PkiEntity } from '@zkesim/pki';
import { ensureWebServerTls, type WebServerTls } from '../stack/webServerTls.js';

export function ensureOperatorServerTls(operatorDir: string, ci: PkiEntity): WebServerTls {
  return ensureWebServerTls(join(operatorDir, 'tls'), ci, { name: 'server', commonName: 'localhost', organization: 'zkesim demo operator' });
}
