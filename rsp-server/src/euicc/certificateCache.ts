// Parsed EUM certificates by their DER: every eUICC of one manufacturer sends the same EUM certificate,
// and parsing it costs about as much as the rest of the chain check. Only parsing is cached; the chain
// (signatures, validity, CRLs) is still validated on every AuthenticateClient. Bounded, oldest out first.
import { parseCertificate, type RspCertificate } from '@zkesim/pki';
import { trimOldest } from '../runtime/boundedMap.js';

export class CertificateCache {
  private readonly entries = new Map<string, RspCertificate>();

  constructor(private readonly maxEntries = 256) {}

  parse(der: Uint8Array): RspCertificate {
    const key = Buffer.from(der).toString('base64');
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const parsed = parseCertificate(der);
    this.entries.set(key, parsed);
    trimOldest(this.entries, this.maxEntries);
    return parsed;
  }
}
