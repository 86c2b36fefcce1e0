// A BER-TLV tree of bytes, for showing base64 ASN.1 fields decoded in the HTML report (tags and lengths as
// received, no schema: the report shows what was sent, not what a codec made of it).
export interface TlvNode {
  readonly tag: string;
  readonly length: number;
  readonly value?: string;
  readonly children?: TlvNode[];
}

export function parseTlvs(bytes: Uint8Array, depth = 0): TlvNode[] | undefined {
  const nodes: TlvNode[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const start = offset;
    const first = bytes[offset++] as number;
    if ((first & 0x1f) === 0x1f) {
      while (offset < bytes.length && ((bytes[offset] as number) & 0x80) !== 0) offset++;
      offset++;
    }
    if (offset >= bytes.length) return undefined;
    let length = bytes[offset++] as number;
    if (length > 0x80) {
      const count = length & 0x7f;
      if (count > 3) return undefined;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (bytes[offset++] ?? 0);
    } else if (length === 0x80) return undefined;
    if (offset + length > bytes.length) return undefined;
    const tag = Buffer.from(bytes.subarray(start, offset - (bytes[start + 1] === undefined ? 0 : 0))).toString('hex').toUpperCase();
    const value = bytes.subarray(offset, offset + length);
    const constructed = (first & 0x20) !== 0;
    const children = constructed && depth < 12 ? parseTlvs(value, depth + 1) : undefined;
    const tagBytes = tag.slice(0, tagLength(bytes, start) * 2);
    nodes.push(children === undefined ? { tag: tagBytes, length, value: Buffer.from(value).toString('hex').toUpperCase() } : { tag: tagBytes, length, children });
    offset += length;
  }
  return nodes;
}

function tagLength(bytes: Uint8Array, start: number): number {
  let index = start;
  if (((bytes[index] as number) & 0x1f) !== 0x1f) return 1;
  index++;
  while (((bytes[index] ?? 0) & 0x80) !== 0) index++;
  return index - start + 1;
}

export function renderTlvs(nodes: readonly TlvNode[], indent = ''): string {
  return nodes
    .map((node) =>
      node.children === undefined
        ? `${indent}${node.tag} (${node.length}) ${node.value && node.value.length > 96 ? `${node.value.slice(0, 96)}…` : (node.value ?? '')}`
        : `${indent}${node.tag} (${node.length})\n${renderTlvs(node.children, `${indent}  `)}`,
    )
    .join('\n');
}
