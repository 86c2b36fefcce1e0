// Personalisation through a template's layout (its elements encoded once, each order's bytes written at their
// offsets) against encoding the personalised elements per order, as before: every bundled TS.48 template, random
// orders (ICCIDs of 18 to 20 digits, IMSIs of 6 to 15, random Ki and OPc, service provider names in the GSM
// alphabet and in UCS-2, with and without a subscriber identity token) give the same bytes. A layout whose
// offsets do not reproduce the encoding is refused.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProfileElement, concatBytes, iccidDigits, iccidToBytes, iccidToProfileHeader, splitTlvs, type File } from '@zkesim/protocol';
import { imsiFileContent, personaliseProfile, type Personalisation } from './personalise.js';
import { layoutOf, type Seen, type Slots } from './personaliseLayout.js';
import { spnFileContent } from './serviceProviderName.js';

const directory = fileURLToPath(new URL('../../profiles/', import.meta.url));
const templates = readdirSync(directory).filter((name) => name.endsWith('.der')).map((name) => new Uint8Array(readFileSync(`${directory}${name}`)));

function withContent(file: File, content: Uint8Array): File {
  const index = file.findIndex((item) => 'fillFileContent' in item);
  return index >= 0 ? file.map((item, i) => (i === index ? { fillFileContent: content } : item)) : [...file, { fillFileContent: content }];
}

/** One personalised element encoded with the order's bytes, as personalisation did before layouts (the reference). */
function referenceElement(element: ProfileElement, slots: Slots, seen: Seen): Uint8Array {
  if ('header' in element) {
    seen.header = true;
    return ProfileElement.encode({ header: { ...element.header, iccid: slots.headerIccid } });
  }
  if ('mf' in element) return ProfileElement.encode({ mf: { ...element.mf, 'ef-iccid': withContent(element.mf['ef-iccid'], slots.efIccid) } });
  if ('usim' in element) {
    seen.imsi = true;
    const spn = slots.efSpn;
    return ProfileElement.encode({ usim: { ...element.usim, 'ef-imsi': withContent(element.usim['ef-imsi'], slots.efImsi), ...(spn === undefined ? {} : { 'ef-spn': withContent(element.usim['ef-spn'], spn) }) } });
  }
  if ('akaParameter' in element && 'algoParameter' in element.akaParameter.algoConfiguration) {
    seen.aka = true;
    const algo = element.akaParameter.algoConfiguration.algoParameter;
    return ProfileElement.encode({ akaParameter: { ...element.akaParameter, algoConfiguration: { algoParameter: { ...algo, key: slots.ki, opc: slots.opc } } } });
  }
  return ProfileElement.encode(element);
}

function slotsOf(values: Personalisation): Slots {
  const spn = values.serviceProviderName;
  return {
    headerIccid: iccidToProfileHeader(values.iccid), efIccid: iccidToBytes(values.iccid), efImsi: imsiFileContent(values.imsi), ki: values.ki, opc: values.opc,
    ...(spn === undefined ? {} : { efSpn: spnFileContent(spn) }),
  };
}

/** Per-order encoding of every personalised element (the reference). */
function referencePersonalise(template: Uint8Array, values: Personalisation): Uint8Array {
  const slots = slotsOf(values);
  const seen = { header: false, imsi: false, aka: false };
  return concatBytes(splitTlvs(template).map((tlv) => ([0xa0, 0xa4, 0xb0, 0xb3].includes(tlv.tag) ? referenceElement(ProfileElement.decode(tlv.tlv), slots, seen) : tlv.tlv)));
}

/** A small seeded generator (mulberry32), so that a failure names a seed that reproduces it. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomOrder(next: () => number): Personalisation {
  const int = (n: number) => Math.floor(next() * n);
  const digits = (n: number) => Array.from({ length: n }, () => String(int(10))).join('');
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  const names = [undefined, 'zkesim', 'Operator 1', 'ÄÖÜ Mobile', 'Telefónica', '中国移动', '', 'A'.repeat(15), 'A'.repeat(16)];
  const spn = names[int(names.length)];
  return {
    iccid: iccidDigits(digits(18 + int(3))),
    imsi: digits(6 + int(10)),
    ki: bytes(16),
    opc: bytes(16),
    ...(spn === undefined ? {} : { serviceProviderName: spn }),
  };
}

/** The bytes as hex, or the error's class and message (a name that does not fit EF.SPN fails on both paths). */
function outcome(run: () => Uint8Array): string {
  try {
    return `bytes ${Buffer.from(run()).toString('hex')}`;
  } catch (error) {
    return `error ${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('personalisation through a layout against per-order encoding', () => {
  it('gives the same profile for random orders on every bundled template', () => {
    const seed = Date.now();
    const next = generator(seed);
    for (let i = 0; i < 400; i += 1) {
      const template = templates[i % templates.length] as Uint8Array;
      const order = randomOrder(next);
      const expectedOutcome = outcome(() => referencePersonalise(template, order));
      expect(outcome(() => personaliseProfile(template, order)), `seed ${seed}, order ${i}`).toBe(expectedOutcome);
      if (expectedOutcome.startsWith('error')) continue;
      const expected = Buffer.from(referencePersonalise(template, order));
      if (i % 40 === 0) {
        // With a subscriber identity the token goes in before PE-End; the elements before it are the same.
        const token = Uint8Array.from({ length: 1 + Math.floor(next() * 80) }, () => Math.floor(next() * 256));
        const withToken = Buffer.from(personaliseProfile(template, { ...order, subscriberIdentityToken: token }));
        const end = splitTlvs(template).at(-1)?.tlv.length ?? 0;
        expect(withToken.subarray(0, expected.length - end).equals(expected.subarray(0, expected.length - end))).toBe(true);
        expect(withToken.indexOf(Buffer.from(token))).toBeGreaterThan(0);
      }
    }
  });

  it('has a layout for every bundled template, with and without EF.SPN, and refuses one whose offsets do not give the encoding', () => {
    const order = { iccid: iccidDigits('8949449999990000012'), imsi: '001010000000042', ki: new Uint8Array(16).fill(1), opc: new Uint8Array(16).fill(2) };
    for (const template of templates) {
      const parsed = { parts: splitTlvs(template).map((tlv) => ([0xa0, 0xa4, 0xb0, 0xb3].includes(tlv.tag) ? { tlv: tlv.tlv, decoded: ProfileElement.decode(tlv.tlv) } : { tlv: tlv.tlv })) };
      for (const slots of [slotsOf(order), slotsOf({ ...order, serviceProviderName: 'zkesim' })]) {
        const layout = layoutOf(parsed, slots, referenceElement);
        expect(layout?.seen).toEqual({ header: true, imsi: true, aka: true });
        expect(layout?.parts.filter((part) => part !== undefined).length).toBeGreaterThanOrEqual(4);
        // An encoding that does not copy Ki as it is (here: reversed) cannot be written at offsets.
        const reversed = (element: ProfileElement, values: Slots, seen: Seen) => referenceElement(element, { ...values, ki: values.ki.slice().reverse() }, seen);
        expect(layoutOf({ parts: parsed.parts }, slots, reversed)).toBeUndefined();
      }
    }
  });
});
