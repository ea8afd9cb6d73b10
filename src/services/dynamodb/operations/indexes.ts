/**
 * Query/Scan on a secondary index: the index's own sorted map (TableData.index: built on first
 * use, then maintained on every write; sparse — items without the index keys are absent), its
 * key schema, and its projection (KEYS_ONLY, INCLUDE, ALL).
 */
import type * as T from '../generated/types.js';
import type { IndexRecord, StoredItem, TableData } from '../domain/table.js';
import { indexKeyOf } from '../domain/table.js';
import type { SortedMap } from '../domain/sorted.js';
import { typeOf, type Item } from '../domain/values.js';
import { invalid } from './common.js';

export interface IndexView {
  def: IndexRecord;
  map: SortedMap<StoredItem>;
  hashKey: string;
  rangeKey: string | undefined;
  /** the index's key attributes (added to LastEvaluatedKey) */
  keyNames: string[];
  project(item: Item): Item;
  /** position of an ExclusiveStartKey in the index */
  startKey(esk: Record<string, T.AttributeValue>): string;
}

export function indexView(t: TableData, name: string, consistent: boolean | undefined, select: string | undefined, now = 0): IndexView {
  const gsi = t.rec.gsis?.find((i) => i.IndexName === name);
  const def: IndexRecord | undefined = gsi ?? t.rec.lsis?.find((i) => i.IndexName === name);
  if (!def) throw invalid(`The table does not have the specified index: ${name}`);
  if (gsi?.activeAt !== undefined && now < gsi.activeAt) throw invalid(`Cannot read from backfilling global secondary index: ${name}`);
  if (gsi && consistent) throw invalid('Consistent reads are not supported on global secondary indexes');
  const type = def.Projection.ProjectionType ?? 'ALL';
  if (gsi && select === 'ALL_ATTRIBUTES' && type !== 'ALL') {
    throw invalid(`One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${name} because its projection type is not ALL`);
  }
  const keyNames = def.KeySchema.map((k) => k.AttributeName);
  const tableKeys = [t.hashKey, ...(t.rangeKey ? [t.rangeKey] : [])];
  const kept = new Set([...tableKeys, ...keyNames, ...(type === 'INCLUDE' ? def.Projection.NonKeyAttributes ?? [] : [])]);
  const full = type === 'ALL' || select === 'ALL_ATTRIBUTES';
  return {
    def,
    map: t.index(def),
    hashKey: keyNames[0]!,
    rangeKey: keyNames[1],
    keyNames,
    project(item) {
      if (full) return item;
      const out: Item = {};
      for (const k of kept) if (item[k]) out[k] = item[k]!;
      return out;
    },
    startKey(esk) {
      const names = [...new Set([...tableKeys, ...keyNames])];
      if (Object.keys(esk).length !== names.length || names.some((n) => !esk[n] || typeOf(esk[n]!) !== t.types[n])) throw invalid('The provided starting key is invalid');
      const k = indexKeyOf(def, esk as Item, t.keyOf(esk as Item));
      if (k === undefined) throw invalid('The provided starting key is invalid');
      return k;
    },
  };
}
