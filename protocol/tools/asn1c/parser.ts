// Recursive-descent parser for the ASN.1 subset of rsp.asn, PE_Definitions-3.3.1.asn and the 1988-syntax
// PKIX modules (RFC 5280 Appendix A). Anything outside the subset is a syntax error, never ignored silently,
// except constraints other than SIZE and value ranges, which carry no encoding rule and are skipped.
import type { StringKind } from '../../src/asn1/runtime/schema.js';
import type { AstBounds, AstComponent, AstModule, AstObjIdComponent, AstType, AstValue, BoundExpr } from './ast.js';
import { Asn1SyntaxError, tokenize, type Token } from './lexer.js';

const STRING_KINDS: readonly StringKind[] = [
  'UTF8String', 'PrintableString', 'IA5String', 'VisibleString', 'NumericString', 'TeletexString',
  'GeneralString', 'GraphicString', 'BMPString', 'UniversalString',
];

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly source: string) {}

  private peek(ahead = 0): Token | undefined {
    return this.tokens[this.pos + ahead];
  }
  private is(text: string, ahead = 0): boolean {
    return this.peek(ahead)?.text === text;
  }
  private next(): Token {
    const token = this.tokens[this.pos++];
    if (!token) throw new Asn1SyntaxError('unexpected end of module', this.tokens.at(-1)?.line ?? 0);
    return token;
  }
  private expect(text: string): Token {
    const token = this.next();
    if (token.text !== text) throw new Asn1SyntaxError(`expected '${text}', found '${token.text}'`, token.line);
    return token;
  }
  private accept(text: string): boolean {
    if (!this.is(text)) return false;
    this.pos++;
    return true;
  }
  private word(): string {
    const token = this.next();
    if (token.kind !== 'word') throw new Asn1SyntaxError(`expected an identifier, found '${token.text}'`, token.line);
    return token.text;
  }
  private number(): number {
    const token = this.next();
    if (token.kind !== 'number') throw new Asn1SyntaxError(`expected a number, found '${token.text}'`, token.line);
    return Number(token.text);
  }
  /** Skips a balanced group that starts at the current `(` or `{`. */
  private skipGroup(): string {
    const open = this.next();
    const close = open.text === '(' ? ')' : '}';
    let depth = 1;
    const start = open.offset;
    let end = start;
    while (depth > 0) {
      const token = this.next();
      if (token.text === open.text) depth++;
      if (token.text === close) depth--;
      end = token.offset + token.text.length;
    }
    return this.source.slice(start, end);
  }

  parseModule(): AstModule {
    const name = this.word();
    if (this.is('{')) this.skipGroup();
    this.expect('DEFINITIONS');
    let tagDefault: AstModule['tagDefault'] = 'EXPLICIT';
    if (this.is('TAGS', 1)) {
      tagDefault = this.word() as AstModule['tagDefault'];
      this.expect('TAGS');
    }
    let extensibilityImplied = false;
    if (this.accept('EXTENSIBILITY')) {
      this.expect('IMPLIED');
      extensibilityImplied = true;
    }
    this.expect('::=');
    this.expect('BEGIN');
    const module: AstModule = { name, tagDefault, extensibilityImplied, imports: new Map(), types: [], integerValues: new Map(), values: [] };
    if (this.accept('EXPORTS')) while (!this.accept(';')) this.next();
    if (this.accept('IMPORTS')) this.parseImports(module);
    while (!this.is('END')) this.parseAssignment(module);
    return module;
  }

  private parseImports(module: AstModule): void {
    let pending: string[] = [];
    while (!this.accept(';')) {
      if (this.accept('FROM')) {
        const from = this.word();
        if (this.is('{')) this.skipGroup();
        for (const symbol of pending) module.imports.set(symbol, from);
        pending = [];
      } else if (!this.accept(',')) {
        pending.push(this.word());
      }
    }
  }

  private parseAssignment(module: AstModule): void {
    const first = this.peek()!;
    const name = this.word();
    if (/^[A-Z]/.test(name)) {
      this.expect('::=');
      const type = this.parseType();
      const last = this.tokens[this.pos - 1]!;
      module.types.push({ name, type, source: this.source.slice(first.offset, last.offset + last.text.length) });
      return;
    }
    // A value assignment: `name Type ::= Value` (X.680 §16.2).
    const type = this.parseType();
    this.expect('::=');
    let value: AstValue;
    if (type.k === 'int' && this.peek()?.kind === 'number') {
      const number = this.number();
      module.integerValues.set(name, number);
      value = { k: 'number', v: number };
    } else {
      value = this.is('{') ? this.parseBracedValue() : this.parseValue();
    }
    const last = this.tokens[this.pos - 1]!;
    module.values.push({ name, type, value, source: this.source.slice(first.offset, last.offset + last.text.length) });
  }

  /**
   * A `{ ... }` value: read as an OBJECT IDENTIFIER value (X.680 §32.3) when every component is a number,
   * a name or `name(number)`; anything else (SEQUENCE or BIT STRING values) is kept as text.
   */
  private parseBracedValue(): AstValue {
    const mark = this.pos;
    this.expect('{');
    const components: AstObjIdComponent[] = [];
    while (!this.accept('}')) {
      const token = this.next();
      if (token.kind === 'number') {
        components.push({ k: 'number', v: Number(token.text) });
      } else if (token.kind === 'word' && /^[a-z]/.test(token.text)) {
        if (this.accept('(')) {
          const number = this.peek()?.kind === 'number' ? this.number() : this.word();
          this.expect(')');
          components.push({ k: 'named', name: token.text, v: number });
        } else {
          components.push({ k: 'name', name: token.text });
        }
      } else {
        this.pos = mark;
        return { k: 'braced', v: this.skipGroup() };
      }
    }
    return { k: 'oid', v: components };
  }

  private parseValue(): AstValue {
    const token = this.peek()!;
    if (token.text === '{') return { k: 'braced', v: this.skipGroup() };
    this.next();
    switch (token.kind) {
      case 'number':
        return { k: 'number', v: Number(token.text) };
      case 'hstring':
        return { k: 'hex', v: token.text.toLowerCase() };
      case 'bstring':
        return { k: 'bits', v: token.text };
      case 'word':
        if (token.text === 'TRUE' || token.text === 'FALSE') return { k: 'bool', v: token.text === 'TRUE' };
        return { k: 'name', v: token.text };
      default:
        throw new Asn1SyntaxError(`unsupported value '${token.text}'`, token.line);
    }
  }

  parseType(): AstType {
    if (this.is('[')) return this.parseTagged();
    const token = this.next();
    const t = token.text;
    switch (t) {
      case 'SEQUENCE':
      case 'SET':
        return this.parseStructured(t === 'SEQUENCE' ? 'seq' : 'set', token);
      case 'CHOICE': {
        const { components, ext } = this.parseComponents();
        return { k: 'choice', alts: components, ext };
      }
      case 'INTEGER': {
        const named = this.is('{') ? this.parseNamedNumbers() : undefined;
        const range = this.parseConstraints().value;
        return { k: 'int', ...(named ? { named } : {}), ...(range ? { range } : {}) };
      }
      case 'ENUMERATED':
        return this.parseEnumerated();
      case 'BOOLEAN':
        this.parseConstraints();
        return { k: 'bool' };
      case 'NULL':
        return { k: 'null' };
      case 'OCTET': {
        this.expect('STRING');
        const size = this.parseConstraints().size;
        return { k: 'octets', ...(size ? { size } : {}) };
      }
      case 'BIT': {
        this.expect('STRING');
        const named = this.is('{') ? this.parseNamedNumbers() : undefined;
        const size = this.parseConstraints().size;
        return { k: 'bits', ...(named ? { named } : {}), ...(size ? { size } : {}) };
      }
      case 'OBJECT':
        this.expect('IDENTIFIER');
        this.parseConstraints();
        return { k: 'oid' };
      case 'UTCTime':
      case 'GeneralizedTime':
        this.parseConstraints();
        return { k: 'time', kind: t };
      case 'ANY':
        if (this.accept('DEFINED')) {
          this.expect('BY');
          this.word();
        }
        return { k: 'any' };
      default:
        break;
    }
    if ((STRING_KINDS as readonly string[]).includes(t)) {
      const size = this.parseConstraints().size;
      return { k: 'str', kind: t as StringKind, ...(size ? { size } : {}) };
    }
    if (t === 'T61String') return { k: 'str', kind: 'TeletexString', ...this.sizeOnly() };
    if (token.kind === 'word' && /^[A-Z]/.test(t)) {
      this.parseConstraints();
      return { k: 'ref', name: t };
    }
    throw new Asn1SyntaxError(`unsupported type '${t}'`, token.line);
  }

  private sizeOnly(): { size?: AstBounds } {
    const size = this.parseConstraints().size;
    return size ? { size } : {};
  }

  private parseTagged(): AstType {
    this.expect('[');
    let cls: 'U' | 'A' | 'C' | 'P' = 'C';
    if (this.accept('UNIVERSAL')) cls = 'U';
    else if (this.accept('APPLICATION')) cls = 'A';
    else if (this.accept('PRIVATE')) cls = 'P';
    const n = this.number();
    this.expect(']');
    let mode: 'explicit' | 'implicit' | 'default' = 'default';
    if (this.accept('IMPLICIT')) mode = 'implicit';
    else if (this.accept('EXPLICIT')) mode = 'explicit';
    return { k: 'tag', cls, n, mode, type: this.parseType() };
  }

  private parseStructured(kind: 'seq' | 'set', token: Token): AstType {
    if (this.is('{')) {
      const { components, ext } = this.parseComponents();
      return { k: kind, components, ext };
    }
    let size: AstBounds | undefined;
    if (this.is('SIZE')) size = this.parseSize();
    else if (this.is('(')) size = this.parseConstraints().size;
    if (!this.accept('OF')) throw new Asn1SyntaxError(`expected '{' or 'OF' after ${token.text}`, token.line);
    // X.680 allows `SEQUENCE OF name Type`; the name carries no encoding.
    if (this.peek()?.kind === 'word' && /^[a-z]/.test(this.peek()!.text) && !this.is('OF', 1)) this.next();
    const of = this.parseType();
    return { k: kind === 'seq' ? 'seqof' : 'setof', of, ...(size ? { size } : {}) };
  }

  private parseComponents(): { components: AstComponent[]; ext: boolean } {
    this.expect('{');
    const components: AstComponent[] = [];
    let ext = false;
    while (!this.accept('}')) {
      if (this.accept('...')) {
        ext = true;
      } else if (this.accept('[[') || this.accept(']]')) {
        continue;
      } else {
        const name = this.word();
        const type = this.parseType();
        const component: AstComponent = { name, type };
        if (this.accept('OPTIONAL')) component.optional = true;
        else if (this.accept('DEFAULT')) component.default = this.parseValue();
        components.push(component);
      }
      if (!this.is('}')) this.expect(',');
    }
    return { components, ext };
  }

  private parseNamedNumbers(): Array<[string, BoundExpr]> {
    this.expect('{');
    const named: Array<[string, BoundExpr]> = [];
    while (!this.accept('}')) {
      const name = this.word();
      this.expect('(');
      const value = this.peek()?.kind === 'number' ? this.number() : this.word();
      this.expect(')');
      named.push([name, value]);
      if (!this.is('}')) this.expect(',');
    }
    return named;
  }

  private parseEnumerated(): AstType {
    this.expect('{');
    const items: Array<[string, number | undefined]> = [];
    let ext = false;
    while (!this.accept('}')) {
      if (this.accept('...')) ext = true;
      else {
        const name = this.word();
        let value: number | undefined;
        if (this.accept('(')) {
          value = this.number();
          this.expect(')');
        }
        items.push([name, value]);
      }
      if (!this.is('}')) this.expect(',');
    }
    return { k: 'enum', items, ext };
  }

  private parseBound(): BoundExpr {
    const token = this.next();
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'word') return token.text;
    throw new Asn1SyntaxError(`expected a bound, found '${token.text}'`, token.line);
  }

  private parseRange(): AstBounds {
    const low = this.parseBound();
    if (this.accept('..')) return [low, this.parseBound()];
    return [low, low];
  }

  private parseSize(): AstBounds {
    this.expect('SIZE');
    this.expect('(');
    const range = this.parseRange();
    this.expect(')');
    return range;
  }

  /** Parses any number of `( ... )` constraints; keeps SIZE and single value ranges, skips the rest. */
  private parseConstraints(): { size?: AstBounds; value?: AstBounds } {
    const result: { size?: AstBounds; value?: AstBounds } = {};
    while (this.is('(')) {
      const mark = this.pos;
      this.next();
      if (this.is('SIZE')) {
        result.size = this.parseSize();
        if (this.accept(')')) continue;
      } else if (this.peek()?.kind === 'number' || (this.peek()?.kind === 'word' && /^[a-z]|^MIN$/.test(this.peek()!.text))) {
        const range = this.parseRange();
        if (this.accept(')')) {
          result.value = range;
          continue;
        }
      }
      this.pos = mark;
      this.skipGroup();
    }
    return result;
  }
}

export function parseModule(source: string): AstModule {
  return new Parser(tokenize(source), source).parseModule();
}
