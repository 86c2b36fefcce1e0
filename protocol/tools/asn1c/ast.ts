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
  | { k: 'braced'; v: string }
  /** An OBJECT IDENTIFIER value `{ ... }` (X.680 §32.3), resolved during lowering. */
  | { k: 'oid'; v: AstObjIdComponent[] };

/**
 * One component of an OBJECT IDENTIFIER value (X.680 §32.3): a bare number (NumberForm), a bare name that is
 * either a NameForm arc or a DefinedValue (told apart during lowering), or `name(number)` (NameAndNumberForm,
 * whose number may itself be an INTEGER value reference).
 */
export type AstObjIdComponent = { k: 'number'; v: number } | { k: 'name'; name: string } | { k: 'named'; name: string; v: BoundExpr };

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

/** A value assignment `name Type ::= Value` (X.680 §16.2). */
export interface AstValueAssignment {
  name: string;
  type: AstType;
  value: AstValue;
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
  /** Every value assignment, in module order (INTEGER ones are also in integerValues). */
  values: AstValueAssignment[];
}
