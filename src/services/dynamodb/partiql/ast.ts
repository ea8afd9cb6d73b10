/** The parsed form of a PartiQL statement (plain data; `at` is a token position for messages). */
export interface At { line: number; col: number; len: number }

export type Step = { name: string } | { index: number };

export type Expr =
  | { k: 'str'; v: string; at: At }
  | { k: 'num'; text: string; at: At }
  | { k: 'bool'; v: boolean; at: At }
  | { k: 'null'; at: At }
  | { k: 'missing'; at: At }
  | { k: 'param'; i: number; at: At }
  | { k: 'path'; steps: Step[]; at: At }
  | { k: 'call'; name: string; args: Expr[]; at: At }
  | { k: 'tuple'; entries: [string, Expr][]; at: At }
  | { k: 'list'; items: Expr[]; at: At }
  | { k: 'bag'; items: Expr[]; at: At }
  | { k: 'cmp'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; a: Expr; b: Expr; at: At }
  | { k: 'arith'; op: '+' | '-'; a: Expr; b: Expr; at: At }
  | { k: 'and' | 'or'; a: Expr; b: Expr; at: At }
  | { k: 'not'; a: Expr; at: At }
  | { k: 'between'; a: Expr; lo: Expr; hi: Expr; not: boolean; at: At }
  | { k: 'in'; a: Expr; list: Expr[]; not: boolean; at: At }
  | { k: 'is'; a: Expr; what: string; not: boolean; at: At };

export type Returning = 'ALL OLD' | 'MODIFIED OLD' | 'ALL NEW' | 'MODIFIED NEW';

export type UpdateClause = { k: 'set'; path: Expr; value: Expr } | { k: 'remove'; path: Expr };

export interface SelectStatement {
  k: 'select';
  table: string;
  index?: string;
  /** undefined: `*` */
  projection?: Expr[];
  where?: Expr;
  orderBy?: { path: Expr; desc: boolean }[];
}

export type Statement =
  | SelectStatement
  | { k: 'insert'; table: string; value: Expr }
  | { k: 'update'; table: string; clauses: UpdateClause[]; where: Expr; returning?: Returning }
  | { k: 'delete'; table: string; where: Expr; returning?: Returning }
  | { k: 'exists'; select: SelectStatement };

export const isRead = (s: Statement) => s.k === 'select';
