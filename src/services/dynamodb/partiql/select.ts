/**
 * Running a PartiQL SELECT: a Query of each partition the WHERE clause pins the partition key to
 * (`pk = v`, `pk IN [..]`, or every OR branch naming one), narrowed to a sort-key range when there
 * is one, otherwise a Scan; the whole WHERE then filters what was read. Limit counts items read,
 * a page also ends after 1 MB; NextToken resumes after the last item read.
 */
import { AwsError } from '../../../core/errors.js';
import type * as T from '../generated/types.js';
import { indexKeyOf, type IndexRecord, type StoredItem, type TableData } from '../domain/table.js';
import { itemSize, typeOf, type Item } from '../domain/values.js';
import { evaluate, valueAt, type Condition } from '../domain/expressions/index.js';
import { rangeWalk, type KeyCond } from '../domain/ranges.js';
import { indexView, type IndexView } from '../operations/indexes.js';
import type { SelectStatement, Step } from './ast.js';
import { accessPlan, pathOf, WhereCompiler } from './where.js';

const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);
const PAGE_BYTES = 1024 * 1024;

export interface SelectOptions { limit?: number; nextToken?: string; consistent?: boolean; now: number }
export interface SelectResult { items: Item[]; bytes: number; index?: IndexRecord; nextToken?: string; lastKey?: Record<string, T.AttributeValue> }

interface Token { p: number; k: string }

function decode(token: string | undefined): Token | undefined {
  if (token === undefined) return undefined;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Token;
    if (typeof t.p === 'number' && typeof t.k === 'string') return { p: t.p, k: Buffer.from(t.k, 'base64').toString('latin1') };
  } catch {
    /* fall through */
  }
  throw invalid('Invalid NextToken');
}

const encode = (t: Token) => Buffer.from(JSON.stringify({ p: t.p, k: Buffer.from(t.k, 'latin1').toString('base64') })).toString('base64url');

/** The name a projected path answers under: its last named step (`a.b` → `b`). */
function alias(steps: Step[]): string {
  for (let i = steps.length - 1; i >= 0; i--) if ('name' in steps[i]!) return (steps[i] as { name: string }).name;
  return '';
}

function gsiProjectionCheck(t: TableData, view: IndexView, s: SelectStatement): void {
  const def = view.def;
  const type = def.Projection.ProjectionType ?? 'ALL';
  if (!t.rec.gsis?.includes(def as never) || type === 'ALL' || !s.projection) return;
  const kept = new Set([t.hashKey, t.rangeKey, ...def.KeySchema.map((k) => k.AttributeName), ...(type === 'INCLUDE' ? def.Projection.NonKeyAttributes ?? [] : [])]);
  const missing = [...new Set(s.projection.map((p) => (pathOf(p)[0] as { name: string }).name).filter((n) => !kept.has(n)))];
  if (missing.length) throw invalid(`One or more parameter values were invalid: Global secondary index ${def.IndexName} does not project [${missing.join(', ')}]`);
}

export function runSelect(t: TableData, s: SelectStatement, params: T.AttributeValue[], o: SelectOptions): SelectResult {
  const view = s.index !== undefined ? indexView(t, s.index, o.consistent, undefined, o.now) : undefined;
  if (view) gsiProjectionCheck(t, view, s);
  const cond: Condition | undefined = s.where ? new WhereCompiler(params).condition(s.where) : undefined;
  const hashKey = view ? view.hashKey : t.hashKey;
  const rangeKey = view ? view.rangeKey : t.rangeKey;
  const plan = accessPlan(cond, hashKey, rangeKey);
  let forward = true;
  for (const ob of s.orderBy ?? []) {
    if (!plan) throw invalid('Must have WHERE clause in the statement when using ORDER BY clause.');
    const name = (pathOf(ob.path)[0] as { name: string }).name;
    if (name !== hashKey && name !== rangeKey) throw invalid(`Variable reference [${name}] must refer to a key attribute of the table or index in ORDER BY clause.`);
    if (name === rangeKey) forward = !ob.desc;
  }
  const map = view ? view.map : t.items;
  const token = decode(o.nextToken);
  const limit = o.limit ?? Infinity;
  const fits = (v: T.AttributeValue, name: string) => typeOf(v) === t.types[name];

  function* source(): Iterable<[number, StoredItem, string]> {
    if (!plan) {
      for (const [k, v] of map.entries(token?.k, token !== undefined)) yield [0, v, k];
      return;
    }
    const range: KeyCond | undefined = plan.range && rangeKey && plan.range.vals.every((v) => fits(v, rangeKey)) ? plan.range : undefined;
    for (let p = token?.p ?? 0; p < plan.partitions.length; p++) {
      const pv = plan.partitions[p]!;
      if (!fits(pv, hashKey)) continue;
      const start = token && p === token.p ? token.k : undefined;
      for (const s of rangeWalk(map, pv, range, forward, start, !!view)) yield [p, s, view ? indexKeyOf(view.def, s.item, s.key)! : s.key];
    }
  }

  const keyNames = [...new Set([t.hashKey, ...(t.rangeKey ? [t.rangeKey] : []), ...(view ? view.keyNames : [])])];
  const keysOf = (item: Item) => Object.fromEntries(keyNames.filter((n) => item[n]).map((n) => [n, item[n]!]));
  const items: Item[] = [];
  let scanned = 0, bytes = 0;
  let last: [number, string, Item] | undefined;
  let more = false;
  for (const [p, st, k] of source()) {
    if (scanned >= limit || bytes >= PAGE_BYTES) {
      more = true;
      break;
    }
    scanned++;
    const visible = view && t.rec.gsis?.some((g) => g.IndexName === view.def.IndexName) ? view.project(st.item) : st.item;
    bytes += visible === st.item ? st.size : itemSize(visible);
    last = [p, k, st.item];
    if (cond && !evaluate(cond, visible)) continue;
    if (!s.projection) items.push(visible);
    else {
      const out: Item = {};
      for (const path of s.projection) {
        const steps = (path as { steps: Step[] }).steps;
        const v = valueAt(visible, pathOf(path));
        if (v) out[alias(steps)] = v;
      }
      items.push(out);
    }
  }
  if (!more && last && (scanned >= limit || bytes >= PAGE_BYTES)) more = true;
  const paged = more && last ? { nextToken: encode({ p: last[0], k: last[1] }), lastKey: keysOf(last[2]) } : {};
  return { items, bytes, ...(view ? { index: view.def } : {}), ...paged };
}
