// What a route is to the request listener: the function it serves and how it turns one request into a
// status and body. The JSON binding builds routes (jsonBinding.ts); the listener runs them (requestListener.ts).
export interface RouteResult {
  status: number;
  body?: string | Uint8Array;
  contentType?: string;
}

/** One request as a route sees it; `client` is the caller its TLS client certificate identified. */
export interface RouteInput<Client = unknown> {
  body: Uint8Array;
  contentType: string | undefined;
  adminProtocol: string | undefined;
  client?: Client;
  /** The key of the client's address (sourceKey.ts), for limits per source; absent when not served over a socket. */
  source?: string;
}

export interface HttpRoute<Client = unknown> {
  /** The interface, as a metrics and log label: es9plus, es2plus, es11, es12, asn1. */
  interface: string;
  function: string;
  /** Functions of a mutually authenticated interface only run for a caller identified by its client certificate. */
  requiresClient: boolean;
  handle(input: RouteInput<Client>): Promise<RouteResult>;
  /**
   * The answer to an error `handle` threw, in this route's binding; without it the listener answers in the
   * JSON binding (§6.5.1.4: an RspError as a Failed functionExecutionStatus, anything else as 500).
   */
  failure?(error: unknown): RouteResult;
}
