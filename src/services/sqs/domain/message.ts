/** Message bodies and message attributes: AWS's validation rules and size accounting. */
import { AwsError } from '../../../core/errors.js';
import type { AttributeValue } from './md5.js';

// #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF; the `u` flag makes a
// lone surrogate (which JSON can carry) fail too.
const ALLOWED = /^[\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

export function validateBody(body: string, attrs: Record<string, AttributeValue> | undefined, maxSize: number): void {
  if (body.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter MessageBody.', 400);
  if (!ALLOWED.test(body)) {
    throw new AwsError('InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF', 400);
  }
  const size = Buffer.byteLength(body, 'utf8') + attributesSize(attrs);
  if (size > maxSize) throw new AwsError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${maxSize} bytes.`, 400);
}

export function attributesSize(attrs: Record<string, AttributeValue> | undefined): number {
  if (!attrs) return 0;
  let n = 0;
  for (const [name, v] of Object.entries(attrs)) {
    n += Buffer.byteLength(name) + Buffer.byteLength(v.DataType);
    if (v.StringValue !== undefined) n += Buffer.byteLength(v.StringValue);
    if (v.BinaryValue !== undefined) n += v.BinaryValue.byteLength;
  }
  return n;
}

const ATTR_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Validates message (user) attributes; returns a clean copy holding only the value field used. */
export function validateMessageAttributes(attrs: Record<string, AttributeValue> | undefined): Record<string, AttributeValue> | undefined {
  if (!attrs) return undefined;
  const names = Object.keys(attrs);
  if (!names.length) return undefined;
  if (names.length > 10) throw new AwsError('InvalidParameterValue', `Number of message attributes [${names.length}] exceeds the allowed maximum [10].`, 400);
  const out: Record<string, AttributeValue> = {};
  for (const name of names) {
    const v = attrs[name];
    if (!ATTR_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
      throw new AwsError('InvalidParameterValue', `Message (user) attribute name '${name}' is invalid. Message attribute names can contain only alphanumeric characters, hyphens, underscores, or periods. They can't start or end with a period or have consecutive periods, and they can be up to 256 characters long.`, 400);
    }
    if (/^(aws\.|amazon\.)/i.test(name)) throw new AwsError('InvalidParameterValue', `Message (user) attribute name '${name}' is reserved for use by AWS.`, 400);
    out[name] = checkValue(name, v, 'message (user)');
  }
  return out;
}

export function validateSystemAttributes(attrs: Record<string, AttributeValue> | undefined): Record<string, AttributeValue> | undefined {
  if (!attrs) return undefined;
  const names = Object.keys(attrs);
  if (!names.length) return undefined;
  const out: Record<string, AttributeValue> = {};
  for (const name of names) {
    if (name !== 'AWSTraceHeader') throw new AwsError('InvalidParameterValue', `Message system attribute name '${name}' is invalid.`, 400);
    const v = checkValue(name, attrs[name], 'message system');
    if (v.DataType !== 'String' || v.StringValue === undefined) throw new AwsError('InvalidParameterValue', `Message system attribute '${name}' must have type 'String'.`, 400);
    out[name] = v;
  }
  return out;
}

function checkValue(name: string, v: AttributeValue | undefined, kind: string): AttributeValue {
  const type = v?.DataType ?? '';
  if (!v || !type) throw new AwsError('InvalidParameterValue', `The message attribute '${name}' must contain non-empty message attribute type.`, 400);
  const base = type.split('.', 1)[0]!;
  if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
    throw new AwsError('InvalidParameterValue', `The type of ${kind} attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`, 400);
  }
  if (type.length > 256) throw new AwsError('InvalidParameterValue', `Message attribute type of '${name}' exceeds the allowed maximum length of 256 characters.`, 400);
  if (base === 'Binary') {
    if (v.BinaryValue === undefined) throw new AwsError('InvalidParameterValue', `The message attribute '${name}' with type 'Binary' must use field 'Binary'.`, 400);
    if (v.BinaryValue.byteLength === 0) throw new AwsError('InvalidParameterValue', `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`, 400);
    return { DataType: type, BinaryValue: Buffer.from(v.BinaryValue) };
  }
  if (v.StringValue === undefined) throw new AwsError('InvalidParameterValue', `The message attribute '${name}' with type '${base}' must use field 'String'.`, 400);
  if (v.StringValue === '') throw new AwsError('InvalidParameterValue', `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`, 400);
  if (!ALLOWED.test(v.StringValue)) throw new AwsError('InvalidParameterValue', `Message attribute '${name}' contains invalid characters.`, 400);
  if (base === 'Number' && !isSqsNumber(v.StringValue)) throw new AwsError('InvalidParameterValue', `Can't cast the value of ${kind} attribute '${name}' to a number.`, 400);
  return { DataType: type, StringValue: v.StringValue };
}

/** Numbers: up to 38 significant digits, magnitude 10^-128 … 10^+126 (as SQS documents). */
function isSqsNumber(s: string): boolean {
  const t = s.trim();
  if (!NUMBER.test(t)) return false;
  const m = /^[+-]?0*(\d*?)\.?(\d*?)0*(?:[eE]([+-]?\d+))?$/.exec(t);
  if (!m) return false;
  const digits = (m[1]! + m[2]!).replace(/^0+/, '');
  return digits.length <= 38;
}

/** MessageAttributeNames filter: "All", ".*", exact names, or "prefix.*". */
export function selectAttributes(attrs: Record<string, AttributeValue> | undefined, names: string[] | undefined): Record<string, AttributeValue> | undefined {
  if (!attrs || !names?.length) return undefined;
  const all = names.some((n) => n === 'All' || n === '.*');
  const out: Record<string, AttributeValue> = {};
  let any = false;
  for (const [k, v] of Object.entries(attrs)) {
    if (all || names.some((n) => n === k || (n.endsWith('.*') && k.startsWith(n.slice(0, -1))))) {
      out[k] = v;
      any = true;
    }
  }
  return any ? out : undefined;
}
