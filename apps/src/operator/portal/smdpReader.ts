// What the portal reads from our stack, never writing and never opening our databases: the SM-DP+'s read-only
// operator API (its ES2+ listener, mutual TLS with the operator's certificate), the SM-DP+'s and the SM-DS's
// health endpoints, and the chain through its public JSON-RPC (the operator checks an anchor's Merkle proof
// against the root on chain itself: contracts' verifyAnchorProof, so it need not trust our answer).
import { JsonRpcProvider } from 'ethers';
import { verifyAnchorProof, type ProofVerdict } from '@zkesim/contracts';
import { ANCHOR_BATCHES_PATH, ORDER_STATUS_PATH, anchorProofFromJson, type AnchorProofJson, type BatchJson, type OrderStatus } from '@zkesim/sm-dp-plus';
import { postAsOperator, type Es2ClientOptions } from '../../stack/es2Client.js';

export interface StackLinks {
  /** The onboarding and operator API (the SM-DP+'s ES2+ listener) with the operator's certificate. */
  readonly api: Omit<Es2ClientOptions, 'operatorId'>;
  /** The SM-DP+'s admin listener (http://127.0.0.1:PORT, /healthz and /metrics), if the operator may reach it. */
  readonly smdpAdminUrl?: string;
  /** The SM-DS's base URL (https), whose TLS certificate chains to `api.ca`. */
  readonly smdsUrl?: string;
  /** The chain: its JSON-RPC URL and the DownloadAnchor contract. */
  readonly chain?: { rpcUrl: string; downloadAnchor: string };
}

export class StackReadError extends Error {
  override readonly name = 'StackReadError';
}

async function callApi<T>(links: StackLinks, path: string, body: object): Promise<T> {
  const response = await postAsOperator(links.api, path, JSON.stringify(body));
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.text);
  } catch {
    throw new StackReadError(`the operator API answered HTTP ${response.status} without JSON`);
  }
  if (response.status !== 200) throw new StackReadError((parsed as { error?: { message?: string } }).error?.message ?? `HTTP ${response.status}`);
  return parsed as T;
}

export interface OrderReading {
  status: OrderStatus;
  proof?: AnchorProofJson;
}

export class SmdpReader {
  private provider: JsonRpcProvider | undefined;

  constructor(readonly links: StackLinks) {}

  order(iccid: string): Promise<OrderReading> {
    return callApi<OrderReading>(this.links, ORDER_STATUS_PATH, { iccid });
  }

  batches(limit = 20): Promise<{ batches: BatchJson[]; backlog?: { pendingEvents: number; unanchoredBatches: number; anchoredEvents: number } }> {
    return callApi(this.links, ANCHOR_BATCHES_PATH, { limit });
  }

  private chain(): { provider: JsonRpcProvider; downloadAnchor: string } {
    const chain = this.links.chain;
    if (chain === undefined) throw new StackReadError('no chain is configured');
    this.provider ??= new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true });
    return { provider: this.provider, downloadAnchor: chain.downloadAnchor };
  }

  /** Checks the order's anchor proof: off chain against its root, and on chain (the root anchored, the proof accepted). */
  async verifyInclusion(iccid: string): Promise<{ proof: AnchorProofJson; verdict: ProofVerdict; blockNumber?: number; transactionHash?: string }> {
    const reading = await this.order(iccid);
    if (reading.proof === undefined) throw new StackReadError(`the installation result of ${iccid} is not in an anchored batch yet (${reading.status.anchor?.state ?? 'no anchor record'})`);
    const { provider, downloadAnchor } = this.chain();
    const verdict = await verifyAnchorProof(anchorProofFromJson(reading.proof), downloadAnchor, provider);
    return {
      proof: reading.proof,
      verdict,
      ...(reading.status.anchor?.blockNumber === undefined ? {} : { blockNumber: reading.status.anchor.blockNumber }),
      ...(reading.status.anchor?.transactionHash === undefined ? {} : { transactionHash: reading.status.anchor.transactionHash }),
    };
  }

  async blockNumber(): Promise<number> {
    return this.chain().provider.getBlockNumber();
  }

  close(): void {
    this.provider?.destroy();
  }
}
