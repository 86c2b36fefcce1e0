import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitTlvs, iccidDigits, iccidFromProfileHeader, iccidToBytes, iccidToProfileHeader } from '@zkesim/protocol';
import { TemplateError, decodeProfileElements, imsiFileContent, imsiFromFileContent, personaliseProfile } from './personalise.js';

const directory = fileURLToPath(new URL('../../profiles/', import.meta.url));
const values = { iccid: iccidDigits('8949449999990000012'), imsi: '001010000000042', ki: new Uint8Array(16).fill(0x11), opc: new Uint8Array(16).fill(0x22) };

describe('SAIP personalisation of the TS.48 templates', () => {
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.der'))) {
    it(`sets ICCID, IMSI, Ki and OPc in ${file} and leaves every other element byte for byte`, () => {
      const template = new Uint8Array(readFileSync(`${directory}${file}`));
      const out = personaliseProfile(template, values);
      const before = splitTlvs(template);
      const after = splitTlvs(out);
      expect(after.map((tlv) => tlv.tag)).toEqual(before.map((tlv) => tlv.tag));
      const changed = after.filter((tlv, i) => !Buffer.from(tlv.tlv).equals(before[i]?.tlv ?? new Uint8Array()));
      expect([...new Set(changed.map((tlv) => tlv.tag))].sort()).toEqual([0xa0, 0xa4, 0xb0, 0xb3]);
      const elements = decodeProfileElements(out);
      const header = elements.find((e) => 'header' in e);
      // The header as TS.48 writes it (plain digit order), EF.ICCID in its own swapped order.
      expect(header !== undefined && 'header' in header && header.header.iccid).toEqual(iccidToProfileHeader(values.iccid));
      const mf = elements.find((e) => 'mf' in e);
      const efIccid = mf !== undefined && 'mf' in mf ? mf.mf['ef-iccid'].find((item) => 'fillFileContent' in item) : undefined;
      expect(efIccid !== undefined && 'fillFileContent' in efIccid && efIccid.fillFileContent).toEqual(iccidToBytes(values.iccid));
      const aka = elements.find((e) => 'akaParameter' in e);
      const algo = aka !== undefined && 'akaParameter' in aka && 'algoParameter' in aka.akaParameter.algoConfiguration ? aka.akaParameter.algoConfiguration.algoParameter : undefined;
      expect(algo?.key).toEqual(values.ki);
      expect(algo?.opc).toEqual(values.opc);
    });
  }

  it('gives each order its own values from a parsed template, unaffected by a caller changing its template array', () => {
    const file = readdirSync(directory).find((name) => name.endsWith('.der')) as string;
    const template = new Uint8Array(readFileSync(`${directory}${file}`));
    const other = { ...values, iccid: iccidDigits('8949449999990000020'), imsi: '001010000000043', ki: new Uint8Array(16).fill(0x33), opc: new Uint8Array(16).fill(0x44) };
    const first = personaliseProfile(template, values);
    const second = personaliseProfile(new Uint8Array(template), other);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(false);
    template.fill(0);
    expect(personaliseProfile(new Uint8Array(readFileSync(`${directory}${file}`)), values)).toEqual(first);
    expect(() => personaliseProfile(template, values)).toThrow();
  });

  it('tells apart templates of the same length and edges that differ inside (the parse cache compares every byte)', () => {
    const file = readdirSync(directory).find((name) => name.endsWith('.der')) as string;
    const template = new Uint8Array(readFileSync(`${directory}${file}`));
    // The last byte of a middle element that personalisation copies as received (not header, MF, USIM or AKA).
    const tlvs = splitTlvs(template);
    const copied = tlvs.slice(2, -2).find((tlv) => ![0xa0, 0xa4, 0xb0, 0xb3].includes(tlv.tag));
    if (copied === undefined) throw new Error('no copied element');
    const offset = Buffer.from(template).indexOf(Buffer.from(copied.tlv)) + copied.tlv.length - 1;
    expect(offset).toBeGreaterThan(64);
    expect(offset).toBeLessThan(template.length - 64);
    const changed = new Uint8Array(template);
    changed[offset] = (changed[offset] ?? 0) ^ 0x01;
    const fromOriginal = personaliseProfile(template, values);
    const fromChanged = personaliseProfile(changed, values);
    expect(Buffer.from(fromChanged).indexOf(Buffer.from(changed.subarray(offset - copied.tlv.length + 1, offset + 1)))).toBeGreaterThan(0);
    expect(Buffer.from(fromOriginal).equals(Buffer.from(fromChanged))).toBe(false);
    expect(personaliseProfile(template, values)).toEqual(fromOriginal);
  });

  it('writes the ProfileHeader and EF.ICCID of a TS.48 package byte for byte as the package has them, given its own ICCID', () => {
    for (const file of readdirSync(directory).filter((name) => name.endsWith('.der'))) {
      const template = new Uint8Array(readFileSync(`${directory}${file}`));
      const [header] = decodeProfileElements(template);
      if (header === undefined || !('header' in header)) throw new Error(`${file} has no ProfileHeader`);
      const out = personaliseProfile(template, { ...values, iccid: iccidFromProfileHeader(header.header.iccid) });
      expect(splitTlvs(out)[0]?.tlv).toEqual(splitTlvs(template)[0]?.tlv);
      const mf = (tlvs: Uint8Array) => splitTlvs(tlvs).find((tlv) => tlv.tag === 0xb0)?.tlv;
      expect(mf(out)).toEqual(mf(template));
    }
  });

  it('encodes EF.IMSI as TS 31.102 says and reads it back', () => {
    expect(Buffer.from(imsiFileContent('001010123456063')).toString('hex')).toBe('080910101032540636');
    expect(imsiFromFileContent(imsiFileContent('00101012345678'))).toBe('00101012345678');
  });

  it('refuses a template without the elements it must personalise', () => {
    const template = new Uint8Array(readFileSync(`${directory}TS48V1-A-UNIQUE.der`));
    const headerOnly = splitTlvs(template)[0]?.tlv ?? new Uint8Array();
    expect(() => personaliseProfile(headerOnly, values)).toThrow(TemplateError);
  });
});
