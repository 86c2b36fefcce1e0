// SM-DP+ cases on the JSON binding of ES9+ (SGP.22 v2.2.2 §6.5): headers, body form and each request
// field, for each function. Each field error names the field in subjectIdentifier (§6.5.1.4).
import { randomBytes } from 'node:crypto';
import { adminProtocolHeader } from '@zkesim/protocol';
import { standardHeaders, type Es9Session } from './session.js';
import { expectFailure, mustSucceed } from './checks.js';
import type { SmdpCase, SmdpEnv } from './env.js';

type Fields = Record<string, string>;

interface FunctionShape {
  readonly name: string;
  /** A well-formed body for a session that has run what the function needs (so one field can be broken). */
  readonly body: (session: Es9Session, env: SmdpEnv) => Promise<Fields>;
  readonly base64: readonly string[];
  /** Fields carrying DER that must decode as the function's ASN.1 type. */
  readonly asn1: readonly string[];
  /** Fields whose well-formed value the server accepts, sent again in BER with an indefinite length. */
  readonly strictDer: readonly string[];
  readonly transactionId: boolean;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** A session the server has answered InitiateAuthentication for. */
async function initiated(session: Es9Session): Promise<Es9Session> {
  mustSucceed('InitiateAuthentication', await session.initiateAuthentication());
  return session;
}

const FUNCTIONS: readonly FunctionShape[] = [
  {
    name: 'initiateAuthentication',
    body: async (session, env) => ({ euiccChallenge: b64(randomBytes(16)), euiccInfo1: 'vyAIggMCAgCpAKoA', smdpAddress: env.smdpAddress }),
    base64: ['euiccChallenge', 'euiccInfo1'],
    asn1: ['euiccInfo1'],
    strictDer: ['euiccInfo1'],
    transactionId: false,
  },
  {
    name: 'authenticateClient',
    body: async (session) => {
      await initiated(session);
      await session.authenticateServer(undefined);
      return { transactionId: session.transactionId, authenticateServerResponse: b64(session.authenticateServerResponse) };
    },
    base64: ['authenticateServerResponse'],
    asn1: ['authenticateServerResponse'],
    strictDer: ['authenticateServerResponse'],
    transactionId: true,
  },
  {
    name: 'getBoundProfilePackage',
    body: async (session) => {
      await initiated(session);
      return { transactionId: session.transactionId, prepareDownloadResponse: 'vyEA' };
    },
    base64: ['prepareDownloadResponse'],
    asn1: [],
    strictDer: [],
    transactionId: true,
  },
  {
    name: 'handleNotification',
    body: async () => ({ pendingNotification: 'vzcA' }),
    base64: ['pendingNotification'],
    asn1: ['pendingNotification'],
    strictDer: [],
    transactionId: false,
  },
  {
    name: 'cancelSession',
    body: async (session) => {
      await initiated(session);
      return { transactionId: session.transactionId, cancelSessionResponse: 'vkEA' };
    },
    base64: ['cancelSessionResponse'],
    asn1: [],
    strictDer: [],
    transactionId: true,
  },
];

/**
 * The same constructed TLV in BER with an indefinite length (X.690 §8.1.3.6): the tag, 80, the contents,
 * end-of-contents 00 00. Valid BER, never DER (X.690 §10.1: definite form only).
 */
export function indefiniteLength(der: Uint8Array): Uint8Array {
  let pos = 1;
  if (((der[0] ?? 0) & 0x1f) === 0x1f) while (((der[pos++] ?? 0) & 0x80) !== 0);
  const tag = der.slice(0, pos);
  const first = der[pos] ?? 0;
  const contents = der.slice(pos + 1 + (first > 0x80 ? first & 0x7f : 0));
  return Uint8Array.from([...tag, 0x80, ...contents, 0x00, 0x00]);
}

const label = (name: string): string => `ES9+.${name[0]?.toUpperCase()}${name.slice(1)}`;

export function bindingCases(): SmdpCase[] {
  const cases: SmdpCase[] = [];
  for (const fn of FUNCTIONS) {
    const id = label(fn.name);
    cases.push(
      {
        id: `${id}.binding.contentType`,
        title: `${fn.name} with Content-Type text/plain is refused with 1.2.1 / 2.1 (§6.5.1)`,
        run: async (t, env) => {
          const session = await env.session();
          const answer = await session.post(fn.name, '{}', { ...standardHeaders, 'Content-Type': 'text/plain' });
          expectFailure(t, fn.name, answer, 'invalidContentType');
        },
      },
      {
        id: `${id}.binding.adminProtocol`,
        title: `${fn.name} with X-Admin-Protocol gsma/rsp/v3.0.0 is refused with 1.2.2 / 2.1 (§6.5.1)`,
        run: async (t, env) => {
          const session = await env.session();
          const answer = await session.post(fn.name, '{}', { ...standardHeaders, [adminProtocolHeader]: 'gsma/rsp/v3.0.0' });
          expectFailure(t, fn.name, answer, 'unsupportedAdminProtocol');
        },
      },
      {
        id: `${id}.http.get`,
        title: `GET on ${fn.name} is answered HTTP 405 with Allow: POST (RFC 9110 §15.5.6; ES9+ is POST only, §6.5)`,
        run: async (t, env) => {
          const { postRaw } = await import('../runner/http.js');
          const http = await postRaw(env.http, `/gsma/rsp2/es9plus/${fn.name}`, '', standardHeaders, t.signal, 'GET');
          t.step(`GET ${fn.name}`, { response: { httpStatus: http.status, allow: http.headers.allow } });
          t.equal('HTTP status', '405', String(http.status));
          t.equal('Allow header', 'POST', String(http.headers.allow));
        },
      },
      {
        id: `${id}.binding.notJson`,
        title: `${fn.name} with a body that is not JSON is refused with 1.6 / 2.1`,
        run: async (t, env) => {
          const session = await env.session();
          expectFailure(t, fn.name, await session.post(fn.name, '{"transactionId":'), 'invalidRequestField');
        },
      },
      {
        id: `${id}.binding.notObject`,
        title: `${fn.name} with a JSON array as body is refused with 1.6 / 2.1`,
        run: async (t, env) => {
          const session = await env.session();
          expectFailure(t, fn.name, await session.post(fn.name, '[]'), 'invalidRequestField');
        },
      },
    );
    const fieldNames = fn.name === 'initiateAuthentication' ? ['euiccChallenge', 'euiccInfo1', 'smdpAddress']
      : fn.name === 'handleNotification' ? ['pendingNotification']
      : ['transactionId', ...fn.base64];
    for (const field of fieldNames) {
      cases.push({
        id: `${id}.binding.missing.${field}`,
        title: `${fn.name} without ${field} is refused with 1.6 / 2.2 naming ${field}`,
        run: async (t, env) => {
          const session = await env.session();
          const body: Fields = await t.precondition(`a well-formed ${fn.name} body`, () => fn.body(session, env));
          delete body[field];
          expectFailure(t, fn.name, await session.post(fn.name, body), 'missingRequestField', field);
        },
      });
    }
    for (const field of fn.base64) {
      cases.push({
        id: `${id}.binding.badBase64.${field}`,
        title: `${fn.name} with ${field} not base64 is refused with 1.6 / 2.1 naming ${field}`,
        run: async (t, env) => {
          const session = await env.session();
          const body: Fields = await t.precondition(`a well-formed ${fn.name} body`, () => fn.body(session, env));
          body[field] = '!!not*base64!!';
          expectFailure(t, fn.name, await session.post(fn.name, body), 'invalidRequestField', field);
        },
      });
    }
    for (const field of fn.asn1) {
      cases.push({
        id: `${id}.binding.badAsn1.${field}`,
        title: `${fn.name} with ${field} not a DER TLV of its type is refused with 1.6 / 2.1 naming ${field}`,
        run: async (t, env) => {
          const session = await env.session();
          const body: Fields = await t.precondition(`a well-formed ${fn.name} body`, () => fn.body(session, env));
          // A tag of the right kind whose length runs past the end of the value.
          body[field] = b64(Uint8Array.of(0xbf, 0x20, 0x05, 0x80, 0x01, 0x02));
          expectFailure(t, fn.name, await session.post(fn.name, body), 'invalidRequestField', field);
        },
      });
    }
    for (const field of fn.strictDer) {
      cases.push({
        id: `${id}.binding.indefiniteLength.${field}`,
        title: `${fn.name} with ${field} in BER with an indefinite length (not DER) is refused with 1.6 / 2.1 naming ${field} (§6.5.2, X.690 §10.1)`,
        run: async (t, env) => {
          const session = await env.session();
          const body: Fields = await t.precondition(`a well-formed ${fn.name} body`, () => fn.body(session, env));
          body[field] = b64(indefiniteLength(new Uint8Array(Buffer.from(body[field] ?? '', 'base64'))));
          expectFailure(t, fn.name, await session.post(fn.name, body), 'invalidRequestField', field);
        },
      });
    }
    if (fn.transactionId) {
      cases.push({
        id: `${id}.binding.badTransactionId`,
        title: `${fn.name} with a transactionId that is not hexadecimal is refused with 1.6 / 2.1 naming transactionId`,
        run: async (t, env) => {
          const session = await env.session();
          const body: Fields = await t.precondition(`a well-formed ${fn.name} body`, () => fn.body(session, env));
          body.transactionId = 'XYZ-not-hex';
          expectFailure(t, fn.name, await session.post(fn.name, body), 'invalidRequestField', 'transactionId');
        },
      });
    }
  }
  cases.push(
    {
      id: 'ES9+.http.unknownFunction',
      title: 'a POST to an ES9+ path that names no function is answered HTTP 404',
      run: async (t, env) => {
        const session = await env.session();
        const answer = await session.post('noSuchFunction', '{}');
        t.equal('HTTP status', '404', String(answer.http.status));
      },
    },
  );
  return cases;
}
