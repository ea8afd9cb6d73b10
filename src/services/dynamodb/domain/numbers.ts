/**
 * DynamoDB numbers: decimal strings with up to 38 significant digits and a magnitude between
 * 1E-130 and 9.99…E+125. Never parsed into JS floats: a number is kept as sign, significant
 * digits and a decimal exponent (value = 0.d1d2… × 10^exp), printed back in plain notation
 * without redundant zeros ("1.50" → "1.5", "1e3" → "1000", "-0" → "0").
 */
import { AwsError } from '../../../core/errors.js';

export interface Decimal { neg: boolean; digits: string; exp: number }

const SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);

export function parseNumber(text: string): Decimal {
  const m = SYNTAX.exec(text.trim());
  if (!m || (!m[2] && !m[3])) throw invalid(`The parameter cannot be converted to a numeric value: ${text}`);
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  const e = m[4] ? Number(m[4]) : 0;
  const all = intPart + frac;
  const lead = all.length - all.replace(/^0+/, '').length;
  const digits = all.replace(/^0+/, '').replace(/0+$/, '');
  if (!digits) return { neg: false, digits: '', exp: 0 };
  const exp = intPart.length - lead + e;
  if (digits.length > 38) throw invalid('Attempting to store more than 38 significant digits in a Number');
  if (exp > 126) throw invalid('Number overflow. Attempting to store a number with magnitude larger than supported range');
  if (exp < -129) throw invalid('Number underflow. Attempting to store a number with magnitude smaller than supported range');
  return { neg: m[1] === '-', digits, exp };
}

export function formatNumber(d: Decimal): string {
  if (!d.digits) return '0';
  const { digits, exp } = d;
  let s: string;
  if (exp <= 0) s = '0.' + '0'.repeat(-exp) + digits;
  else if (exp >= digits.length) s = digits + '0'.repeat(exp - digits.length);
  else s = digits.slice(0, exp) + '.' + digits.slice(exp);
  return d.neg ? '-' + s : s;
}

/** Canonical text of a number (validates it). */
export function normalizeNumber(text: string): string {
  return formatNumber(parseNumber(text));
}

/** Bytes DynamoDB counts for a number: one per two significant digits, plus one. */
export function numberSize(text: string): number {
  const d = parseNumber(text);
  return Math.ceil(d.digits.length / 2) + 1;
}

/**
 * An order-preserving byte encoding (as a latin1 string): comparing encodings as strings
 * compares the numbers. Negative < zero < positive; exponent first, then digits; negatives
 * are inverted and terminated so that a longer magnitude sorts first.
 */
export function encodeNumber(text: string): string {
  const d = parseNumber(text);
  if (!d.digits) return '\x80';
  const e = d.exp + 1000; // 871..1126: two bytes
  if (!d.neg) return '\x81' + String.fromCharCode(e >> 8, e & 0xff) + d.digits;
  const ie = 4000 - e;
  let inv = '';
  for (const c of d.digits) inv += String.fromCharCode(0x69 - c.charCodeAt(0)); // '0'..'9' → '9'..'0'
  return '\x01' + String.fromCharCode(ie >> 8, ie & 0xff) + inv + ':';
}

export function compareNumbers(a: string, b: string): number {
  const x = encodeNumber(a), y = encodeNumber(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Exact sum (or difference) of two DynamoDB numbers, validated like a stored number. */
export function addNumbers(a: string, b: string, subtract = false): string {
  const x = parseNumber(a), y = parseNumber(b);
  // value = int(digits) × 10^(exp − len(digits)); bring both to the smaller scale, add as BigInts
  const scale = (d: Decimal) => d.exp - d.digits.length;
  const s = Math.min(x.digits ? scale(x) : 0, y.digits ? scale(y) : 0);
  const big = (d: Decimal, neg: boolean) => {
    if (!d.digits) return 0n;
    const v = BigInt(d.digits) * 10n ** BigInt(scale(d) - s);
    return neg ? -v : v;
  };
  const sum = big(x, x.neg) + big(y, subtract ? !y.neg : y.neg);
  if (sum === 0n) return '0';
  const neg = sum < 0n;
  const digits = (neg ? -sum : sum).toString();
  return normalizeNumber(`${neg ? '-' : ''}${digits}e${s}`);
}

/**
 * Numeric comparison. Canonical numbers (plain notation) of at most 15 characters compare exactly as
 * doubles (distinct ≤15-digit decimals map to distinct, order-preserving doubles), which is the
 * fast path for filters; anything longer uses the exact byte encoding.
 */
export function compareNumbersFast(a: string, b: string): number {
  if (a.length <= 15 && b.length <= 15) {
    const x = Number(a), y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compareNumbers(a, b);
}
