// The name of the custom error a contract call reverts with, for the contracts of the identity layer (Subscriber,
// SubscriberFactory, Semaphore and its LeanIMT library), so tests compare names, not raw revert data.
import { Interface } from 'ethers';
import { SemaphoreAbi, SubscriberAbi, SubscriberFactoryAbi } from '@zkesim/contracts';

const errors = new Interface([
  ...SemaphoreAbi.filter((entry) => entry.type === 'error'),
  ...SubscriberAbi.filter((entry) => entry.type === 'error'),
  ...SubscriberFactoryAbi.filter((entry) => entry.type === 'error'),
  'error LeafAlreadyExists()',
  'error LeafDoesNotExist()',
]);

export async function revertOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: string }).data ?? (error as { info?: { error?: { data?: string } } }).info?.error?.data;
    if (typeof data === 'string') return errors.parseError(data)?.name ?? `unknown revert ${data}`;
    throw error;
  }
  throw new Error('the call did not revert');
}
