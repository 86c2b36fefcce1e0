// OBJECT IDENTIFIER value assignments (X.680 §16.2, §32) are generated as dotted-string constants. Expected values
// were worked out by hand from protocol/asn1/rsp.asn and the two PKIX modules (RFC 5280 Appendix A).
import {
  AttributeType, id_at_commonName, id_ce, id_ce_subjectKeyIdentifier, id_domainComponent, id_kp_serverAuth, id_pkix, id_rsp,
  id_rsp_cert_objects, id_rsp_expDate, id_rspExt, id_rspRole, id_rspRole_ci, id_rspRole_dp_pb, id_rspRole_euicc, id_rspRole_eum,
} from '@zkesim/protocol';
import { describe, expect, it } from 'vitest';
import { parseModule } from '../../tools/asn1c/parser.js';
import { Lowering } from '../../tools/asn1c/lower.js';
import { toHex } from '../support.js';

describe('OID constants from RSPDefinitions', () => {
  it('id-rsp is {joint-iso-itu-t(2) international-organizations(23) gsma(146) rsp(1)}', () => {
    expect(id_rsp).toBe('2.23.146.1');
  });

  it('derived arcs follow the references: cert-objects(2), then rspExt 0 and rspRole 1', () => {
    expect(id_rsp_cert_objects).toBe('2.23.146.1.2');
    expect(id_rspExt).toBe('2.23.146.1.2.0');
    expect(id_rspRole).toBe('2.23.146.1.2.1');
    expect(id_rspRole_ci).toBe('2.23.146.1.2.1.0');
    expect(id_rspRole_euicc).toBe('2.23.146.1.2.1.1');
    expect(id_rspRole_eum).toBe('2.23.146.1.2.1.2');
    expect(id_rspRole_dp_pb).toBe('2.23.146.1.2.1.5');
    expect(id_rsp_expDate).toBe('2.23.146.1.2.0.1');
  });
});

describe('OID constants from the PKIX modules', () => {
  it('resolves references within and across modules, and values of a type that is an OID', () => {
    expect(id_pkix).toBe('1.3.6.1.5.5.7');
    expect(id_ce).toBe('2.5.29');
    expect(id_ce_subjectKeyIdentifier).toBe('2.5.29.14');
    expect(id_kp_serverAuth).toBe('1.3.6.1.5.5.7.3.1'); // PKIX1Implicit88 imports id-kp from PKIX1Explicit88
    expect(id_at_commonName).toBe('2.5.4.3'); // declared as AttributeType ::= OBJECT IDENTIFIER
    expect(id_domainComponent).toBe('0.9.2342.19200300.100.1.25'); // numbers only
  });

  it('encodes with the OID codecs', () => {
    expect(toHex(AttributeType.encode(id_at_commonName))).toBe('0603550403');
  });
});

describe('OID value resolution in the compiler', () => {
  const lower = (body: string) =>
    new Lowering([parseModule(`M DEFINITIONS ::= BEGIN\nn INTEGER ::= 7\n${body}\nEND`)]).oidAssignments().map(({ name, value }) => [name, value]);

  it('accepts the top-level NameForm arcs and INTEGER value references as NumberForm', () => {
    expect(lower('a OBJECT IDENTIFIER ::= { iso 3 n }\nb OBJECT IDENTIFIER ::= { a x(n) 1 }')).toEqual([
      ['a', '1.3.7'],
      ['b', '1.3.7.7.1'],
    ]);
  });

  it('rejects unknown names, cycles and invalid arcs', () => {
    expect(() => lower('a OBJECT IDENTIFIER ::= { nowhere 1 }')).toThrow(/cannot resolve 'nowhere'/);
    expect(() => lower('a OBJECT IDENTIFIER ::= { b 1 }\nb OBJECT IDENTIFIER ::= { a 1 }')).toThrow(/refers to itself/);
    expect(() => lower('a OBJECT IDENTIFIER ::= { 3 1 }')).toThrow(/not a valid OBJECT IDENTIFIER/);
    expect(() => lower('a OBJECT IDENTIFIER ::= { 1 40 }')).toThrow(/not a valid OBJECT IDENTIFIER/);
  });
});
