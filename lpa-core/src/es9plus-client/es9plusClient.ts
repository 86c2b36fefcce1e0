// ES9+ (LPA → SM-DP+) and ES11 (LPA → SM-DS) client: the declarative functions of protocol/json over the
// HTTPS adapter (SGP.22 v2.2.2 §5.6, §5.8, JSON binding §6.5). Failed/Expired statuses arrive as
// RemoteFunctionFailed carrying the server's subject and reason codes.
import { es11Functions, es9plusFunctions, parseResponse, renderRequest, type RequestOf, type ResponseOf, type RspFunction } from '@zkesim/protocol';
import { ServerUnreachable } from '../errors.js';
import { postJson, type HttpsOptions } from './httpsTransport.js';

export class RspServerClient {
  constructor(
    readonly address: string,
    private readonly https: HttpsOptions,
  ) {}

  async call<F extends RspFunction>(fn: F, body: RequestOf<F>): Promise<ResponseOf<F>> {
    const response = await postJson(this.address, fn.path, JSON.stringify(renderRequest(fn, body)), this.https);
    if (response.status === 204 && fn.responseBody === 'none') return parseResponse(fn, undefined);
    if (response.status !== 200) {
      throw new ServerUnreachable(this.address, `${fn.name} answered HTTP ${response.status}${response.body === '' ? '' : `: ${response.body.slice(0, 200)}`}`);
    }
    let json: unknown;
    try {
      json = response.body === '' ? undefined : JSON.parse(response.body);
    } catch (error) {
      throw new ServerUnreachable(this.address, `${fn.name} answered with a body that is not JSON`, error);
    }
    return parseResponse(fn, json);
  }

  initiateAuthentication(body: RequestOf<typeof es9plusFunctions.initiateAuthentication>) {
    return this.call(es9plusFunctions.initiateAuthentication, body);
  }

  authenticateClient(body: RequestOf<typeof es9plusFunctions.authenticateClient>) {
    return this.call(es9plusFunctions.authenticateClient, body);
  }

  getBoundProfilePackage(body: RequestOf<typeof es9plusFunctions.getBoundProfilePackage>) {
    return this.call(es9plusFunctions.getBoundProfilePackage, body);
  }

  handleNotification(pendingNotification: Uint8Array) {
    return this.call(es9plusFunctions.handleNotification, { pendingNotification });
  }

  cancelSession(body: RequestOf<typeof es9plusFunctions.cancelSession>) {
    return this.call(es9plusFunctions.cancelSession, body);
  }

  /** ES11 (SM-DS) InitiateAuthentication: same shape, the address is the SM-DS's. */
  es11InitiateAuthentication(body: RequestOf<typeof es11Functions.initiateAuthentication>) {
    return this.call(es11Functions.initiateAuthentication, body);
  }

  es11AuthenticateClient(body: RequestOf<typeof es11Functions.authenticateClient>) {
    return this.call(es11Functions.authenticateClient, body);
  }
}
