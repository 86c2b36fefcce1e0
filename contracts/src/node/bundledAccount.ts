// The operator account on the bundled chain: a key generated on first start and kept in the data directory
// (mode 0600), funded through Anvil's anvil_setBalance. No well-known development key is built in.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonRpcProvider, Wallet, toQuantity } from 'ethers';

const KEY_FILE = 'operator.key';
/** 10,000 ether: far beyond what anchoring on a dev chain will spend. */
const FUNDING_WEI = 10n ** 22n;

export function bundledOperatorKey(dataDir: string): string {
  const file = join(dataDir, KEY_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = Wallet.createRandom().privateKey;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** Tops the account up on the bundled node (a dev-chain RPC method; real networks fund accounts otherwise). */
export async function fundOnBundledNode(rpcUrl: string, address: string): Promise<void> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  try {
    const balance = await provider.getBalance(address);
    if (balance < FUNDING_WEI / 2n) await provider.send('anvil_setBalance', [address, toQuantity(FUNDING_WEI)]);
  } finally {
    provider.destroy();
  }
}
