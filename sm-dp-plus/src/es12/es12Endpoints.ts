// Where the SM-DP+ actually sends an ES12 request. An order names its SM-DS by the SM-DS address (ConfirmOrder
// smdsAddress, SGP.22 v2.2.2 §5.3.2), the one LPAs reach it at for ES11 (server-authenticated only). An SM-DS
// that enforces ES12's mutual TLS (§2.6.6) at the TLS handshake cannot serve ES11 on the same port, so it takes
// ES12 on another address; `smdsPeers` in the configuration maps the one to the other.
// SPEC-AMBIGUITY: SGP.22 gives an SM-DS one address and says nothing of a separate ES12 endpoint; an SM-DS
// address without an entry is used for ES12 as it is.
import { es12Functions } from '@zkesim/protocol';

export interface SmdsPeer {
  /** The SM-DS address as orders and LPAs name it (host[:port]). */
  address: string;
  /** Where that SM-DS serves ES12 (host[:port]). */
  es12Address: string;
}

const es12Paths = new Set([es12Functions.registerEvent, es12Functions.deleteEvent].flatMap((fn) => [fn.path, ...fn.alternativePaths]));

/**
 * The URL to send an ES12 request queued or made for `url` (https://<smdsAddress><ES12 path>) to; any other URL
 * (an operator callback) unchanged. Host names compare case-insensitively (RFC 4343).
 */
export function es12Endpoint(peers: readonly SmdsPeer[]): (url: string) => string {
  const byAddress = new Map(peers.map((peer) => [peer.address.toLowerCase(), peer.es12Address]));
  return (url) => {
    const parsed = new URL(url);
    const target = byAddress.get(parsed.host.toLowerCase());
    if (target === undefined || !es12Paths.has(parsed.pathname)) return url;
    return `https://${target}${parsed.pathname}${parsed.search}`;
  };
}
