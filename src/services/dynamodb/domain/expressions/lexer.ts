/**
 * The tokenizer shared by every DynamoDB expression kind: identifiers, #names, :values, list
 * indexes and punctuation, each with its source span so syntax errors can quote DynamoDB's
 * `token: "…", near: "…"` (the previous token through the next one, as written).
 */
import { AwsError } from '../../../../core/errors.js';

export type TokenKind = 'ident' | 'name' | 'value' | 'number' | 'punct' | 'eof';
export interface Token { kind: TokenKind; text: string; start: number; end: number }

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isWord = (c: number) => isLetter(c) || isDigit(c);
const TWO = new Set(['<>', '<=', '>=']);
const ONE = new Set(['=', '<', '>', '(', ')', '[', ']', ',', '.', '+', '-']);

export const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);

/** Thrown for a syntax error; carries DynamoDB's message (the expression kind is added by the caller). */
export class SyntaxErr extends Error {}

export function syntaxMessage(src: string, toks: Token[], i: number): string {
  const t = toks[i]!;
  const prev = toks[i - 1];
  const next = t.kind === 'eof' ? undefined : toks[i + 1];
  const near = src.slice(prev ? prev.start : t.start, next ? next.end : t.end);
  return `Syntax error; token: "${t.text}", near: "${near}"`;
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    const start = i;
    if (c === 35 /* # */ || c === 58 /* : */) {
      i++;
      while (i < n && isWord(src.charCodeAt(i))) i++;
      if (i === start + 1) throw lexError(src, out, start, src[start]!);
      out.push({ kind: c === 35 ? 'name' : 'value', text: src.slice(start, i), start, end: i });
    } else if (isLetter(c)) {
      while (i < n && isWord(src.charCodeAt(i))) i++;
      out.push({ kind: 'ident', text: src.slice(start, i), start, end: i });
    } else if (isDigit(c)) {
      while (i < n && isDigit(src.charCodeAt(i))) i++;
      out.push({ kind: 'number', text: src.slice(start, i), start, end: i });
    } else if (TWO.has(src.slice(i, i + 2))) {
      i += 2;
      out.push({ kind: 'punct', text: src.slice(start, i), start, end: i });
    } else if (ONE.has(src[i]!)) {
      i++;
      out.push({ kind: 'punct', text: src[start]!, start, end: i });
    } else {
      throw lexError(src, out, start, String.fromCodePoint(src.codePointAt(i)!));
    }
  }
  out.push({ kind: 'eof', text: '<EOF>', start: n, end: n });
  return out;
}

function lexError(src: string, before: Token[], at: number, text: string): SyntaxErr {
  const prev = before[before.length - 1];
  return new SyntaxErr(`Syntax error; token: "${text}", near: "${src.slice(prev ? prev.start : at, at + text.length)}"`);
}
