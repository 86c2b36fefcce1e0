// Syntax tree of the X.680 subset the modules use, before tagging rules are applied.
import type { StringKind } from '../../src/asn1/runtime/schema.js';

export type BoundExpr = number | string; // a number, a value reference, 'MIN' or 'MAX'
export type AstBounds = readonly [BoundExpr, BoundExpr];

export type AstValue =
  | { k: 'number'; v: number }
  | { k: 'hex'; v: string }
  | { k: 'bits'; v: string }
  | { k: 'name'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'braced'; v: string };

export interface AstComponent {
  name: string;
  type: AstType;
  optional?: boolean;
  default?: AstValue;
}

export type AstType =
  | { k: 'ref'; name: string }
  | { k: 'tag'; cls: 'U' | 'A' | 'C' | 'P'; n: number; mode: 'explicit' | 'implicit' | 'default'; type: AstType }
  | { k: 'seq' | 'set'; components: AstComponent[]; ext: boolean }
  | { k: 'seqof' | 'setof'; of: AstType; size?: AstBounds }
  | { k: 'choice'; alts: AstComponent[]; ext: boolean }
  | { k: 'int'; named?: Array<[string, BoundExpr]>; range?: AstBounds }
  | { k: 'enum'; items: Array<[string, number | undefined]>; ext: boolean }
  | { k: 'bool' }
  | { k: 'null' }
  | { k: 'octets'; size?: AstBounds }
  | { k: 'bits'; named?: Array<[string, BoundExpr]>; size?: AstBounds }
  | { k: 'oid' }
  | { k: 'str'; kind: StringKind; size?: AstBounds }
  | { k: 'time'; kind: 'UTCTime' | 'GeneralizedTime' }
  | { k: 'any' };

export interface AstTypeAssignment {
  name: string;
  type: AstType;
  /** The assignment's text in the module, for the generated doc comment. */
  source: string;
}

export interface AstModule {
  name: string;
  tagDefault: 'EXPLICIT' | 'IMPLICIT' | 'AUTOMATIC';
  extensibilityImplied: boolean;
  /** Imported type name → module it comes from. */
  imports: Map<string, string>;
  types: AstTypeAssignment[];
  /** INTEGER value assignments (`ub-name INTEGER ::= 32768`), used in constraints. */
  integerValues: Map<string, number>;
}
