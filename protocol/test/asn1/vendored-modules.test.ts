// The ASN.1 module text in protocol/asn1 is a verbatim copy (protocol/asn1/SOURCE.md). When the team's reference
// folder ../shared/spec/asn1 is present, the copies must be byte-identical to it; the product never needs it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC_DIR, MODULE_FILES, VENDORED_MODULE_FILES } from '../../tools/asn1c/main.js';
import { SHARED_DIR } from '../support.js';

const VENDORED = fileURLToPath(new URL('../../asn1/', import.meta.url));
const SHARED_ASN1 = join(SHARED_DIR, 'spec/asn1');

describe('vendored ASN.1 modules (protocol/asn1)', () => {
  it('are what the generator reads by default', () => {
    expect(DEFAULT_SPEC_DIR).toBe(join(VENDORED, '.').replace(/[\\/]$/, ''));
    for (const file of MODULE_FILES) expect(existsSync(join(VENDORED, file))).toBe(true);
  });

  it('match the SHA-256 sums recorded in SOURCE.md', () => {
    const source = readFileSync(join(VENDORED, 'SOURCE.md'), 'utf8');
    for (const file of VENDORED_MODULE_FILES) {
      const sha256 = createHash('sha256').update(readFileSync(join(VENDORED, file))).digest('hex');
      expect(source).toMatch(new RegExp(`\`${file.replace(/\./g, '\\.')}\`.*\`${sha256}\``));
    }
  });

  it.skipIf(!existsSync(SHARED_ASN1))('are byte-identical to ../shared/spec/asn1', () => {
    for (const file of VENDORED_MODULE_FILES) {
      expect(readFileSync(join(VENDORED, file)).equals(readFileSync(join(SHARED_ASN1, file))), file).toBe(true);
    }
  });
});
