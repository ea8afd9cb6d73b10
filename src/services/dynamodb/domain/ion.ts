/**
 * Reading Amazon Ion text as DynamoDB writes it in exports (with `ion-js`, Amazon's Ion
 * library): a stream of top-level values, each a struct `{Item:{…}}`; strings → S, ints,
 * decimals (`5.`, `1.25`, `1d3`) and floats → N (decimals exactly, from coefficient and
 * exponent), bools → BOOL, null / null.<type> → NULL, blobs → B, lists → L (or SS/NS/BS with a
 * `$dynamodb_SS::`-style annotation), structs → M.
 */
import { dom, IonTypes } from 'ion-js';
import type * as T from '../generated/types.js';
import { checkItem, type Item } from './values.js';

/** coefficient × 10^exponent as a plain decimal string. */
function decimalText(coefficient: string, exponent: number): string {
  const neg = coefficient.startsWith('-');
  let digits = neg ? coefficient.slice(1) : coefficient;
  if (exponent >= 0) digits = digits === '0' ? '0' : digits + '0'.repeat(exponent);
  else {
    const point = digits.length + exponent;
    digits = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return (neg ? '-' : '') + digits;
}

function number(v: dom.Value): string {
  if (v.getType() === IonTypes.INT) return v.bigIntValue()!.toString();
  if (v.getType() === IonTypes.DECIMAL) {
    const d = v.decimalValue()!;
    return decimalText(d.getCoefficient().toString(), d.getExponent());
  }
  return String(v.numberValue());
}

function attribute(v: dom.Value): T.AttributeValue {
  if (v.isNull()) return { NULL: true };
  const type = v.getType();
  switch (type) {
    case IonTypes.STRING:
      return { S: v.stringValue()! };
    case IonTypes.INT:
    case IonTypes.DECIMAL:
    case IonTypes.FLOAT:
      return { N: number(v) };
    case IonTypes.BOOL:
      return { BOOL: v.booleanValue()! };
    case IonTypes.BLOB:
      return { B: Buffer.from(v.uInt8ArrayValue()!) };
    case IonTypes.STRUCT:
      return { M: Object.fromEntries(v.fields().map(([k, x]) => [k, attribute(x)])) };
    case IonTypes.LIST: {
      const items = v.elements().map(attribute);
      const ann = v.getAnnotations()[0];
      if (ann === '$dynamodb_SS') return { SS: items.map((i) => i.S!) };
      if (ann === '$dynamodb_NS') return { NS: items.map((i) => i.N!) };
      if (ann === '$dynamodb_BS') return { BS: items.map((i) => i.B!) };
      return { L: items };
    }
    default:
      throw new Error(`unexpected Ion ${type.name}`);
  }
}

/** The items of an Ion export file; a value that is not `{Item: {…}}` (or unreadable text) counts as an error. */
export function ionItems(source: string): { items: Item[]; errors: number } {
  let values: dom.Value[];
  try {
    values = dom.loadAll(source);
  } catch {
    return { items: [], errors: 1 };
  }
  let errors = 0;
  const items: Item[] = [];
  for (const v of values) {
    try {
      const item = v.getType() === IonTypes.STRUCT ? v.get('Item') : null;
      if (!item || item.getType() !== IonTypes.STRUCT) throw new Error('not an item');
      items.push(checkItem(attribute(item).M as Record<string, T.AttributeValue>));
    } catch {
      errors++;
    }
  }
  return { items, errors };
}
