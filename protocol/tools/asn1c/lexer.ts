// Tokenizer for the subset of X.680 that the SGP.22, SAIP and PKIX modules use.
// Comments: `--` to the end of the line or the next `--`, and nested `/* */` (X.680 §12.6).

export type TokenKind = 'word' | 'number' | 'hstring' | 'bstring' | 'cstring' | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  offset: number;
  line: number;
}

export class Asn1SyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(`line ${line}: ${message}`);
    this.name = 'Asn1SyntaxError';
  }
}

const PUNCTUATION = ['::=', '...', '..', '[[', ']]', '{', '}', '(', ')', '[', ']', ',', ';', '|', '^', '@', '<', '!', '.', ':'];

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (source.startsWith('--', i)) {
      i += 2;
      while (i < n && source[i] !== '\n' && !source.startsWith('--', i)) i++;
      if (source.startsWith('--', i)) i += 2;
      continue;
    }
    if (source.startsWith('/*', i)) {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (source.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (source.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else {
          if (source[i] === '\n') line++;
          i++;
        }
      }
      continue;
    }
    const start = i;
    if (/[A-Za-z]/.test(c)) {
      // Identifiers may contain single hyphens but never end with one or contain `--`.
      while (i < n && (/[A-Za-z0-9]/.test(source[i]!) || (source[i] === '-' && /[A-Za-z0-9]/.test(source[i + 1] ?? '')))) i++;
      tokens.push({ kind: 'word', text: source.slice(start, i), offset: start, line });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
      i++;
      while (i < n && /[0-9]/.test(source[i]!)) i++;
      tokens.push({ kind: 'number', text: source.slice(start, i), offset: start, line });
      continue;
    }
    if (c === "'") {
      const close = source.indexOf("'", i + 1);
      if (close < 0) throw new Asn1SyntaxError('unterminated quoted string', line);
      const suffix = source[close + 1];
      if (suffix !== 'H' && suffix !== 'B') throw new Asn1SyntaxError(`quoted string must end with 'H or 'B`, line);
      const body = source.slice(i + 1, close).replace(/\s+/g, '');
      tokens.push({ kind: suffix === 'H' ? 'hstring' : 'bstring', text: body, offset: start, line });
      i = close + 2;
      continue;
    }
    if (c === '"') {
      const close = source.indexOf('"', i + 1);
      if (close < 0) throw new Asn1SyntaxError('unterminated character string', line);
      tokens.push({ kind: 'cstring', text: source.slice(i + 1, close), offset: start, line });
      i = close + 1;
      continue;
    }
    const punct = PUNCTUATION.find((p) => source.startsWith(p, i));
    if (!punct) throw new Asn1SyntaxError(`unexpected character '${c}'`, line);
    tokens.push({ kind: 'punct', text: punct, offset: start, line });
    i += punct.length;
  }
  return tokens;
}
