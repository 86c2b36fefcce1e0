// A template's personalised elements encoded once, with the offsets at which each order's bytes go.
// Personalisation writes fixed-length OCTET STRING contents (the header ICCID, EF.ICCID, EF.IMSI, EF.SPN, Ki,
// OPc: SAIP §8 and 3GPP TS 31.102 §4.2.2); in DER such a content is copied as it is and changes no length, so
// for values of the same lengths every encoding of an element is the same bytes except at those offsets.
// Instead of encoding the header, MF, USIM and AKA elements for every order, the layout encodes each once with
// stand-in values, finds where they landed, and checks with a second set of stand-ins (every byte different)
// that writing at those offsets gives exactly what encoding gives. A template for which that check fails
// (a value that is not copied as it is, a stand-in found where it was not put) has no layout and is encoded per
// order as before.
import type { ProfileElement } from '@zkesim/protocol';

/** The bytes one order puts into the personalised elements. */
export interface Slots {
  headerIccid: Uint8Array;
  efIccid: Uint8Array;
  efImsi: Uint8Array;
  ki: Uint8Array;
  opc: Uint8Array;
  efSpn?: Uint8Array;
}

/** Which of the elements personalisation needs the template has. */
export interface Seen {
  header: boolean;
  imsi: boolean;
  aka: boolean;
}

type SlotName = keyof Slots;

/** One personalised element: its encoding with stand-in values, and where each slot's bytes go in it. */
export interface PartLayout {
  readonly length: number;
  /** The element with `slots` written, into `out` at `at`. */
  writeInto(out: Uint8Array, at: number, slots: Slots): void;
}

export interface Layout {
  /** By the index of the template's part; undefined for the parts copied as received. */
  readonly parts: readonly (PartLayout | undefined)[];
  readonly seen: Readonly<Seen>;
}

interface TemplateParts {
  readonly parts: readonly { readonly tlv: Uint8Array; readonly decoded?: ProfileElement }[];
}

type EncodeElement = (element: ProfileElement, slots: Slots, seen: Seen) => Uint8Array;

/** Layouts by template and by the lengths of the slots (null: this template has none for them). */
const layouts = new WeakMap<TemplateParts, Map<string, Layout | null>>();
const maxShapesPerTemplate = 8;

/** The template's layout for slots of these lengths, made at first use; undefined when it has none. */
export function layoutOf(template: TemplateParts, slots: Slots, encode: EncodeElement): Layout | undefined {
  const shape = shapeOf(slots);
  let byShape = layouts.get(template);
  if (byShape === undefined) {
    byShape = new Map();
    layouts.set(template, byShape);
  }
  const known = byShape.get(shape);
  if (known !== undefined) return known ?? undefined;
  if (byShape.size >= maxShapesPerTemplate) byShape.clear();
  const made = makeLayout(template, slots, encode);
  byShape.set(shape, made ?? null);
  return made;
}

function shapeOf(slots: Slots): string {
  return `${slots.headerIccid.length},${slots.efIccid.length},${slots.efImsi.length},${slots.ki.length},${slots.opc.length},${slots.efSpn?.length ?? '-'}`;
}

/** Stand-in values of the lengths of `slots`; `round` 0 and 1 differ in every byte, and each slot from the others. */
function standIns(slots: Slots, round: 0 | 1): Slots {
  const names = Object.keys(slots) as SlotName[];
  const out: Partial<Record<SlotName, Uint8Array>> = {};
  names.forEach((name, index) => {
    const value = slots[name] as Uint8Array;
    out[name] = Uint8Array.from(value, (_, i) => (0x5b + 71 * index + 13 * i + 0x80 * round) & 0xff);
  });
  return out as Slots;
}

function makeLayout(template: TemplateParts, slots: Slots, encode: EncodeElement): Layout | undefined {
  const first = standIns(slots, 0);
  const second = standIns(slots, 1);
  const seen: Seen = { header: false, imsi: false, aka: false };
  const parts: (PartLayout | undefined)[] = [];
  for (const { decoded } of template.parts) {
    if (decoded === undefined) {
      parts.push(undefined);
      continue;
    }
    let encoded: Uint8Array;
    let check: Uint8Array;
    try {
      encoded = encode(decoded, first, seen);
      check = encode(decoded, second, { header: false, imsi: false, aka: false });
    } catch {
      return undefined; // the element cannot take these values: the per-order path reports it
    }
    const part = partLayout(encoded, first);
    if (part === undefined || part.length !== check.length) return undefined;
    const written = new Uint8Array(part.length);
    part.writeInto(written, 0, second);
    if (!Buffer.from(written).equals(Buffer.from(check))) return undefined;
    parts.push(part);
  }
  return { parts, seen };
}

/** Where each stand-in landed in `encoded` (every occurrence); undefined if one of them overlaps another. */
function partLayout(encoded: Uint8Array, standIn: Slots): PartLayout | undefined {
  const bytes = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const writes: { name: SlotName; offset: number; length: number }[] = [];
  for (const name of Object.keys(standIn) as SlotName[]) {
    const value = standIn[name] as Uint8Array;
    if (value.length === 0) continue;
    for (let at = bytes.indexOf(value); at >= 0; at = bytes.indexOf(value, at + value.length)) writes.push({ name, offset: at, length: value.length });
  }
  writes.sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < writes.length; i += 1) {
    const before = writes[i - 1] as (typeof writes)[number];
    if ((writes[i] as (typeof writes)[number]).offset < before.offset + before.length) return undefined;
  }
  const base = new Uint8Array(encoded);
  return {
    length: base.length,
    writeInto(out: Uint8Array, at: number, slots: Slots): void {
      out.set(base, at);
      for (const { name, offset } of writes) out.set(slots[name] as Uint8Array, at + offset);
    },
  };
}
