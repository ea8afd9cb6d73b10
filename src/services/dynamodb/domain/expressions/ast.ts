/** The parsed forms of DynamoDB expressions (plain data). */
import type { AttributeValue } from '../../generated/types.js';

export type PathPart = { name: string } | { index: number };
export type Path = PathPart[];

export type Operand =
  | { k: 'path'; path: Path }
  | { k: 'value'; v: AttributeValue; ref: string }
  | { k: 'fn'; name: string; args: Operand[] }
  | { k: 'plus' | 'minus'; a: Operand; b: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { k: 'cmp'; op: Comparator; a: Operand; b: Operand }
  | { k: 'between'; a: Operand; lo: Operand; hi: Operand }
  | { k: 'in'; a: Operand; list: Operand[] }
  | { k: 'call'; name: string; args: Operand[] }
  | { k: 'and' | 'or'; a: Condition; b: Condition }
  | { k: 'not'; a: Condition };

export type UpdateAction =
  | { k: 'SET'; path: Path; value: Operand }
  | { k: 'REMOVE'; path: Path }
  | { k: 'ADD' | 'DELETE'; path: Path; value: AttributeValue };

export const pathText = (p: Path) => `[${p.map((x) => ('name' in x ? x.name : `[${x.index}]`)).join(', ')}]`;
