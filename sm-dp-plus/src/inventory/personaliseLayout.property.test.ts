// Personalisation through a template's layout (its elements encoded once, each order's bytes written at their
// offsets) against encoding the personalised elements per order, as before: every bundled TS.48 template, random
// orders (ICCIDs of 18 to 20 digits, IMSIs of 6 to 15, random Ki and OPc, service provider names in the GSM
// alphabet and in UCS-2, with and without a subscriber identity token) give the same bytes. A layout whose
// offsets do not reproduce the encoding is refused.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
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

const digits = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((list) => list.join(''));
const key = fc.uint8Array({ minLength: 16, maxLength: 16 });
/** Orders as the SM-DP+ gets them: ICCIDs of 18 to 20 digits, IMSIs of 6 to 15, names in the GSM alphabet, UCS-2, empty, too long. */
const order: fc.Arbitrary<Personalisation> = fc
  .record({
    iccid: digits(18, 20).map(iccidDigits),
    imsi: digits(6, 15),
    ki: key,
    opc: key,
    spn: fc.constantFrom(undefined, 'zkesim', 'Operator 1', 'ÄÖÜ Mobile', 'Telefónica', '中国移动', '', 'A'.repeat(15), 'A'.repeat(16)),
  })
  .map(({ spn, ...values }) => (spn === undefined ? values : { ...values, serviceProviderName: spn }));

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
    const template = fc.constantFrom(...templates);
    const token = fc.option(fc.uint8Array({ minLength: 1, maxLength: 80 }), { freq: 10 });
    fc.assert(
      fc.property(template, order, token, (profile, values, subscriberIdentityToken) => {
        const expectedOutcome = outcome(() => referencePersonalise(profile, values));
        expect(outcome(() => personaliseProfile(profile, values))).toBe(expectedOutcome);
        if (expectedOutcome.startsWith('error') || subscriberIdentityToken === null) return;
        // With a subscriber identity the token goes in before PE-End; the elements before it are the same.
        const expected = Buffer.from(referencePersonalise(profile, values));
        const withToken = Buffer.from(personaliseProfile(profile, { ...values, subscriberIdentityToken }));
        const end = splitTlvs(profile).at(-1)?.tlv.length ?? 0;
        expect(withToken.subarray(0, expected.length - end).equals(expected.subarray(0, expected.length - end))).toBe(true);
        expect(withToken.indexOf(Buffer.from(subscriberIdentityToken))).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
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
