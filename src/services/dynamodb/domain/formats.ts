/**
 * The file formats of DynamoDB's S3 exports and imports: DynamoDB JSON (one `{"Item": …}` per
 * line, binary as base64), Amazon Ion text (`$ion_1_0 {Item:{…}}`, numbers as decimals, sets as
 * `$dynamodb_SS::[…]`-style annotated lists, binary as `{{base64}}`), and CSV for imports
 * (RFC 4180 quoting; every value a string except the key attributes, typed by their definitions).
 */
import { parse as parseCsvText } from 'csv-parse/sync';
import { Decimal, IonTypes, makeTextWriter, type Writer } from 'ion-js';
import type * as T from '../generated/types.js';
import { checkItem, type Item } from './values.js';

/** An AttributeValue as DynamoDB JSON (binary base64-encoded). */
export function toJsonValue(v: T.AttributeValue): unknown {
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') };
  if (v.BS) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (v.L) return { L: v.L.map(toJsonValue) };
  if (v.M) return { M: toJsonItem(v.M as Item) };
  return v;
}

export const toJsonItem = (item: Item): Record<string, unknown> => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toJsonValue(v)]));

/** DynamoDB JSON back to an AttributeValue (validated as any request value). */
function fromJsonValue(v: Record<string, unknown>): T.AttributeValue {
  if (typeof v.B === 'string') return { B: Buffer.from(v.B, 'base64') };
  if (Array.isArray(v.BS)) return { BS: (v.BS as string[]).map((b) => Buffer.from(b, 'base64')) };
  if (Array.isArray(v.L)) return { L: (v.L as Record<string, unknown>[]).map(fromJsonValue) };
  if (v.M && typeof v.M === 'object') return { M: Object.fromEntries(Object.entries(v.M as Record<string, Record<string, unknown>>).map(([k, x]) => [k, fromJsonValue(x)])) };
  return v as T.AttributeValue;
}

/** One line of a DynamoDB JSON export file. */
export function fromJsonLine(line: string): Item {
  const parsed = JSON.parse(line) as { Item?: Record<string, Record<string, unknown>> };
  if (!parsed.Item || typeof parsed.Item !== 'object') throw new Error('line has no Item');
  return checkItem(Object.fromEntries(Object.entries(parsed.Item).map(([k, v]) => [k, fromJsonValue(v)])));
}

/** One AttributeValue through ion-js's text writer (numbers as Ion decimals, sets annotated). */
function writeIon(w: Writer, v: T.AttributeValue): void {
  const list = (annotation: string | undefined, write: () => void) => {
    if (annotation) w.setAnnotations([annotation]);
    w.stepIn(IonTypes.LIST);
    write();
    w.stepOut();
  };
  if (v.S !== undefined) w.writeString(v.S);
  else if (v.N !== undefined) w.writeDecimal(Decimal.parse(v.N));
  else if (v.B !== undefined) w.writeBlob(v.B);
  else if (v.BOOL !== undefined) w.writeBoolean(v.BOOL);
  else if (v.NULL) w.writeNull(IonTypes.NULL);
  else if (v.SS) list('$dynamodb_SS', () => v.SS!.forEach((x) => w.writeString(x)));
  else if (v.NS) list('$dynamodb_NS', () => v.NS!.forEach((x) => w.writeDecimal(Decimal.parse(x))));
  else if (v.BS) list('$dynamodb_BS', () => v.BS!.forEach((x) => w.writeBlob(x)));
  else if (v.L) list(undefined, () => v.L!.forEach((x) => writeIon(w, x)));
  else writeStruct(w, v.M as Item);
}

function writeStruct(w: Writer, fields: Record<string, T.AttributeValue>): void {
  w.stepIn(IonTypes.STRUCT);
  for (const [k, x] of Object.entries(fields)) {
    w.writeFieldName(k);
    writeIon(w, x);
  }
  w.stepOut();
}

/** One export record (`{Item:{…}}`, or Metadata/Keys/NewImage/OldImage) as a line of Ion text. */
export function toIonLine(record: Record<string, Item>): string {
  const w = makeTextWriter();
  w.stepIn(IonTypes.STRUCT);
  for (const [k, item] of Object.entries(record)) {
    w.writeFieldName(k);
    writeStruct(w, item);
  }
  w.stepOut();
  w.close();
  return '$ion_1_0 ' + Buffer.from(w.getBytes()).toString('utf8');
}

/** Rows of a CSV text (csv-parse: quoted fields may hold the delimiter, doubled quotes, line breaks). */
export function parseCsv(text: string, delimiter = ','): string[][] {
  return parseCsvText(text, { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
}

/** An item from a CSV row: strings, except key attributes of type N or B. */
export function csvItem(header: string[], row: string[], types: Record<string, string>): Item {
  const item: Record<string, T.AttributeValue> = {};
  header.forEach((name, i) => {
    const v = row[i];
    if (v === undefined || v === '') return;
    const t = types[name];
    item[name] = t === 'N' ? { N: v } : t === 'B' ? { B: Buffer.from(v, 'base64') } : { S: v };
  });
  return checkItem(item);
}
