/**
 * Applying an UpdateExpression: every SET value is computed from the item as it was before the
 * update (as DynamoDB does), then the actions are applied in order to a copy. List elements
 * removed by index refer to the original positions; SET past the end of a list appends.
 */
import type { AttributeValue } from '../../generated/types.js';
import { addNumbers } from '../numbers.js';
import { typeOf, type Item } from '../values.js';
import type { Operand, Path, UpdateAction } from './ast.js';
import { valueAt } from './eval.js';
import { invalid } from './lexer.js';

const MISSING = 'The provided expression refers to an attribute that does not exist in the item';
const BAD_TYPE = 'An operand in the update expression has an incorrect data type';
const BAD_PATH = 'The document path provided in the update expression is invalid for update';

/** DynamoDB refuses updates of key attributes before it reads the item. */
export function checkKeyUpdates(actions: UpdateAction[], keyNames: string[]): void {
  for (const a of actions) {
    const head = (a.path[0] as { name: string }).name;
    if (keyNames.includes(head)) throw invalid(`One or more parameter values were invalid: Cannot update attribute ${head}. This attribute is part of the key`);
  }
}

function resolve(o: Operand, item: Item): AttributeValue {
  switch (o.k) {
    case 'path': {
      const v = valueAt(item, o.path);
      if (!v) throw invalid(MISSING);
      return v;
    }
    case 'value': return o.v;
    case 'plus':
    case 'minus': {
      const a = resolve(o.a, item), b = resolve(o.b, item);
      if (a.N === undefined || b.N === undefined) throw invalid(BAD_TYPE);
      return { N: addNumbers(a.N, b.N, o.k === 'minus') };
    }
    case 'fn': {
      if (o.name === 'if_not_exists') return valueAt(item, (o.args[0] as { path: Path }).path) ?? resolve(o.args[1]!, item);
      const a = resolve(o.args[0]!, item), b = resolve(o.args[1]!, item);
      if (!a.L || !b.L) throw invalid(BAD_TYPE);
      return { L: [...a.L, ...b.L] };
    }
  }
}

function clone(v: AttributeValue): AttributeValue {
  if (v.M) {
    const m: Record<string, AttributeValue> = {};
    for (const [k, x] of Object.entries(v.M)) m[k] = clone(x);
    return { M: m };
  }
  if (v.L) return { L: v.L.map(clone) };
  return v;
}

/** Set member identity: stored numbers are canonical, so NS members compare as strings. */
const setKey = (t: string, x: unknown) => (t === 'BS' ? Buffer.from(x as Uint8Array).toString('base64') : (x as string));

export function applyUpdate(original: Item | undefined, key: Item, actions: UpdateAction[]): Item {
  const base = original ?? key;
  const values = actions.map((a) => (a.k === 'SET' ? resolve(a.value, base) : undefined));
  const root: AttributeValue = clone({ M: base });
  const removals = new Map<AttributeValue[], number[]>();

  actions.forEach((a, i) => {
    const last = a.path[a.path.length - 1]!;
    let parent: AttributeValue | undefined = root;
    for (let j = 0; j < a.path.length - 1 && parent; j++) {
      const part = a.path[j]!;
      parent = 'name' in part ? parent.M?.[part.name] : parent.L?.[part.index];
    }
    const container = parent && ('name' in last ? parent.M : parent.L);
    if (!container) throw invalid(BAD_PATH);
    const get = (): AttributeValue | undefined => ('name' in last ? parent!.M![last.name] : parent!.L![last.index]);
    const put = (v: AttributeValue) => {
      if ('name' in last) parent!.M![last.name] = v;
      else if (last.index >= parent!.L!.length) parent!.L!.push(v);
      else parent!.L![last.index] = v;
    };
    const drop = () => {
      if ('name' in last) delete parent!.M![last.name];
      else if (last.index < parent!.L!.length) {
        const list = removals.get(parent!.L!) ?? [];
        list.push(last.index);
        removals.set(parent!.L!, list);
      }
    };
    switch (a.k) {
      case 'SET': put(values[i]!); break;
      case 'REMOVE': drop(); break;
      case 'ADD': {
        const cur = get();
        const t = typeOf(a.value);
        if (!cur) put(a.value);
        else if (t === 'N') {
          if (cur.N === undefined) throw invalid(BAD_TYPE);
          put({ N: addNumbers(cur.N, a.value.N!) });
        } else {
          if (typeOf(cur) !== t) throw invalid(BAD_TYPE);
          const have = (cur as Record<string, unknown[]>)[t]!;
          const seen = new Set(have.map((x) => setKey(t, x)));
          const add = (a.value as Record<string, unknown[]>)[t]!.filter((x) => !seen.has(setKey(t, x)));
          put({ [t]: [...have, ...add] } as AttributeValue);
        }
        break;
      }
      case 'DELETE': {
        const cur = get();
        if (!cur) break;
        const t = typeOf(a.value);
        if (typeOf(cur) !== t) throw invalid(BAD_TYPE);
        const gone = new Set((a.value as Record<string, unknown[]>)[t]!.map((x) => setKey(t, x)));
        const left = (cur as Record<string, unknown[]>)[t]!.filter((x) => !gone.has(setKey(t, x)));
        if (left.length) put({ [t]: left } as AttributeValue);
        else drop();
        break;
      }
    }
  });
  for (const [list, idx] of removals) for (const i of [...new Set(idx)].sort((x, y) => y - x)) list.splice(i, 1);
  return root.M as Item;
}
