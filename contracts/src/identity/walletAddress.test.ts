// EIP-55 checks of a subscriber's wallet (the onboarding API's `wallet`).
import { describe, expect, it } from 'vitest';
import { InvalidWalletAddress } from '../errors.js';
import { walletAddress } from './identity.js';

describe('walletAddress', () => {
  const checksummed = '0x52908400098527886E0F7030069857D2E4169EE7';

  it('takes a checksummed address, and all-lower or all-upper hex (no checksum), as the checksummed form', () => {
    expect(walletAddress(checksummed)).toBe(checksummed);
    expect(walletAddress(checksummed.toLowerCase())).toBe(checksummed);
    expect(walletAddress(`0x${checksummed.slice(2).toUpperCase()}`)).toBe(checksummed);
  });

  it('refuses a wrong mixed-case checksum and anything not 20 bytes of hex, with a clear message', () => {
    expect(() => walletAddress(checksummed.replace('E0F', 'e0F'))).toThrow(/bad EIP-55 checksum/);
    expect(() => walletAddress(checksummed.replace('E0F', 'e0F'))).toThrow(InvalidWalletAddress);
    expect(() => walletAddress('0x1234')).toThrow(/not a 0x-prefixed 20-byte hex address/);
    expect(() => walletAddress('vitalik.eth')).toThrow(InvalidWalletAddress);
  });
});
