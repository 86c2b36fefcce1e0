/** Hex (the serial-number keys of RspCrl.revoked) back to bytes. */
export function hexToBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
