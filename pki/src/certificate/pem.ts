// PEM armour (RFC 7468) for certificates and CRLs: an edge format, DER inside the code.

/** PEM text for DER bytes with the given label ('CERTIFICATE', 'X509 CRL'). */
export function toPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Every DER object armoured with `label` in a PEM text, in order. */
export function fromPem(text: string, label: string): Uint8Array[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----([^-]*)-----END ${label}-----`, 'g');
  return [...text.matchAll(pattern)].map((match) => new Uint8Array(Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64')));
}

/** DER from a file's bytes that are either DER or PEM with `label`. */
export function derFromFileBytes(bytes: Uint8Array, label: string): Uint8Array[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes(`-----BEGIN ${label}-----`)) return fromPem(text, label);
  return [new Uint8Array(bytes)];
}
