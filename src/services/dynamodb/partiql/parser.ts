/**
 * PartiQL for DynamoDB: a chevrotain grammar for SELECT (projection, FROM "table"."index", WHERE,
 * ORDER BY), INSERT INTO … VALUE, UPDATE … SET/REMOVE … WHERE … RETURNING, DELETE FROM … WHERE …
 * RETURNING and EXISTS(SELECT …). Syntax errors carry DynamoDB's wording ("Statement wasn't well
 * formed, can't be processed: …"), chosen from where the parse stopped.
 */
import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import { AwsError } from '../../../core/errors.js';
import * as L from './lexer.js';
import type { At, Expr, Returning, SelectStatement, Statement, Step, UpdateClause } from './ast.js';
import { detail, malformed } from './errors.js';

export { malformed, NOT_WELL_FORMED } from './errors.js';


// (tokens are fakes without an image while chevrotain records the grammar)
const at = (t: IToken): At => ({ line: t.startLine ?? 1, col: t.startColumn ?? 1, len: t.image?.length ?? 0 });
const unquote = (t: IToken) => (t.image ?? '').slice(1, -1).replace(t.tokenType === L.QuotedIdentifier ? /""/g : /''/g, t.tokenType === L.QuotedIdentifier ? '"' : "'");

class PartiqlParser extends EmbeddedActionsParser {
  params = 0;
  alias = false;

  constructor() {
    super(L.allTokens, { maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  statement = this.RULE('statement', (): Statement => {
    const s = this.OR([
      { ALT: () => this.SUBRULE(this.select) },
      { ALT: () => this.SUBRULE(this.insert) },
      { ALT: () => this.SUBRULE(this.update) },
      { ALT: () => this.SUBRULE(this.remove) },
      { ALT: () => this.SUBRULE(this.exists) },
    ]);
    this.OPTION(() => this.CONSUME(L.Semicolon));
    return s;
  });

  select = this.RULE('select', (): SelectStatement => {
    this.CONSUME(L.Select);
    let projection: Expr[] | undefined;
    this.OR([
      { ALT: () => this.CONSUME(L.Star) },
      {
        ALT: () => {
          projection = [];
          this.AT_LEAST_ONE_SEP({ SEP: L.Comma, DEF: () => projection!.push(this.SUBRULE(this.path)) });
        },
      },
    ]);
    this.CONSUME(L.From);
    const table = this.SUBRULE(this.name);
    let index: string | undefined;
    this.OPTION(() => {
      this.CONSUME(L.Dot);
      index = this.SUBRULE2(this.name);
    });
    this.SUBRULE(this.aliasCheck);
    let where: Expr | undefined;
    this.OPTION2(() => {
      this.CONSUME(L.Where);
      where = this.SUBRULE(this.expr);
    });
    let orderBy: { path: Expr; desc: boolean }[] | undefined;
    this.OPTION3(() => {
      this.CONSUME(L.Order);
      this.CONSUME(L.By);
      orderBy = [];
      this.AT_LEAST_ONE_SEP2({
        SEP: L.Comma,
        DEF: () => {
          const path = this.SUBRULE2(this.path);
          let desc = false;
          this.OPTION4(() => this.OR2([{ ALT: () => this.CONSUME(L.Asc) }, { ALT: () => { this.CONSUME(L.Desc); desc = true; } }]));
          orderBy!.push({ path, desc });
        },
      });
    });
    return { k: 'select', table, ...(index !== undefined ? { index } : {}), ...(projection ? { projection } : {}), ...(where ? { where } : {}), ...(orderBy ? { orderBy } : {}) };
  });

  insert = this.RULE('insert', (): Statement => {
    this.CONSUME(L.Insert);
    this.CONSUME(L.Into);
    const table = this.SUBRULE(this.tableName);
    this.CONSUME(L.Value);
    return { k: 'insert', table, value: this.SUBRULE(this.expr) };
  });

  update = this.RULE('update', (): Statement => {
    this.CONSUME(L.Update);
    const table = this.SUBRULE(this.tableName);
    this.SUBRULE(this.aliasCheck);
    const clauses: UpdateClause[] = [];
    this.AT_LEAST_ONE(() => this.OR([
      {
        ALT: () => {
          this.CONSUME(L.Set);
          this.AT_LEAST_ONE_SEP({
            SEP: L.Comma,
            DEF: () => {
              const path = this.SUBRULE(this.path);
              this.CONSUME(L.Equal);
              clauses.push({ k: 'set', path, value: this.SUBRULE(this.expr) });
            },
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(L.Remove);
          this.AT_LEAST_ONE_SEP2({ SEP: L.Comma, DEF: () => clauses.push({ k: 'remove', path: this.SUBRULE2(this.path) }) });
        },
      },
    ]));
    this.CONSUME(L.Where);
    const where = this.SUBRULE2(this.expr);
    const returning = this.OPTION(() => this.SUBRULE(this.returning));
    return { k: 'update', table, clauses, where, ...(returning ? { returning } : {}) };
  });

  remove = this.RULE('remove', (): Statement => {
    this.CONSUME(L.Delete);
    this.CONSUME(L.From);
    const table = this.SUBRULE(this.tableName);
    this.SUBRULE(this.aliasCheck);
    this.CONSUME(L.Where);
    const where = this.SUBRULE(this.expr);
    const returning = this.OPTION(() => this.SUBRULE(this.returning));
    return { k: 'delete', table, where, ...(returning ? { returning } : {}) };
  });

  exists = this.RULE('exists', (): Statement => {
    this.CONSUME(L.Exists);
    this.CONSUME(L.LParen);
    const select = this.SUBRULE(this.select);
    this.CONSUME(L.RParen);
    return { k: 'exists', select };
  });

  returning = this.RULE('returning', (): Returning => {
    this.CONSUME(L.Returning);
    const which = this.OR([{ ALT: () => this.CONSUME(L.All).image }, { ALT: () => this.CONSUME(L.Modified).image }]);
    const when = this.OR2([{ ALT: () => this.CONSUME(L.Old).image }, { ALT: () => this.CONSUME(L.New).image }]);
    this.CONSUME(L.Star);
    return this.ACTION(() => `${which.toUpperCase()} ${when.toUpperCase()}` as Returning);
  });

  /** A table alias (`t`, `AS t`) is refused after the parse with its own message. */
  aliasCheck = this.RULE('aliasCheck', () => {
    this.OPTION(() => {
      this.OPTION2(() => this.CONSUME(L.As));
      this.CONSUME(L.Identifier);
      this.ACTION(() => (this.alias = true));
    });
  });

  tableName = this.RULE('tableName', (): string => this.SUBRULE(this.name));

  name = this.RULE('name', (): string => this.OR([
    { ALT: () => this.CONSUME(L.Identifier).image },
    { ALT: () => unquote(this.CONSUME(L.QuotedIdentifier)) },
  ]));

  path = this.RULE('path', (): Expr => {
    const first = this.OR([{ ALT: () => this.CONSUME(L.Identifier) }, { ALT: () => this.CONSUME(L.QuotedIdentifier) }]);
    const steps: Step[] = [{ name: first.tokenType === L.QuotedIdentifier ? unquote(first) : first.image }];
    this.MANY(() => steps.push(this.SUBRULE(this.step)));
    return { k: 'path', steps, at: at(first) };
  });

  step = this.RULE('step', (): Step => this.OR([
    {
      ALT: () => {
        this.CONSUME(L.Dot);
        return { name: this.SUBRULE(this.name) };
      },
    },
    {
      ALT: () => {
        this.CONSUME(L.LBracket);
        const s = this.OR2([
          { ALT: (): Step => ({ index: Number(this.CONSUME(L.NumberLiteral).image) }) },
          { ALT: (): Step => ({ name: unquote(this.CONSUME(L.StringLiteral)) }) },
        ]);
        this.CONSUME(L.RBracket);
        return s;
      },
    },
  ]));

  expr = this.RULE('expr', (): Expr => {
    let e = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      const t = this.CONSUME(L.Or);
      const b = this.SUBRULE2(this.andExpr);
      e = { k: 'or', a: e, b, at: at(t) };
    });
    return e;
  });

  andExpr = this.RULE('andExpr', (): Expr => {
    let e = this.SUBRULE(this.notExpr);
    this.MANY(() => {
      const t = this.CONSUME(L.And);
      const b = this.SUBRULE2(this.notExpr);
      e = { k: 'and', a: e, b, at: at(t) };
    });
    return e;
  });

  notExpr = this.RULE('notExpr', (): Expr => this.OR([
    {
      ALT: () => {
        const t = this.CONSUME(L.Not);
        return { k: 'not', a: this.SUBRULE(this.notExpr), at: at(t) } as Expr;
      },
    },
    { ALT: () => this.SUBRULE(this.predicate) },
  ]));

  predicate = this.RULE('predicate', (): Expr => {
    const a = this.SUBRULE(this.additive);
    let e = a;
    this.OPTION(() => this.OR([
      {
        ALT: () => {
          const t = this.OR2([
            { ALT: () => this.CONSUME(L.Equal) }, { ALT: () => this.CONSUME(L.NotEqual) }, { ALT: () => this.CONSUME(L.LessEq) },
            { ALT: () => this.CONSUME(L.GreaterEq) }, { ALT: () => this.CONSUME(L.Less) }, { ALT: () => this.CONSUME(L.Greater) },
          ]);
          const b = this.SUBRULE2(this.additive);
          const op = this.ACTION(() => (t.image === '!=' ? '<>' : t.image) as '=' | '<>' | '<' | '<=' | '>' | '>=');
          e = { k: 'cmp', op, a, b, at: at(t) };
        },
      },
      {
        ALT: () => {
          let not = false;
          this.OPTION2(() => { this.CONSUME(L.Not); not = true; });
          this.OR3([
            {
              ALT: () => {
                const t = this.CONSUME(L.Between);
                const lo = this.SUBRULE3(this.additive);
                this.CONSUME(L.And);
                const hi = this.SUBRULE4(this.additive);
                e = { k: 'between', a, lo, hi, not, at: at(t) };
              },
            },
            {
              ALT: () => {
                const t = this.CONSUME(L.In);
                const list: Expr[] = [];
                this.OR4([
                  { ALT: () => { this.CONSUME(L.LBracket); this.MANY_SEP({ SEP: L.Comma, DEF: () => list.push(this.SUBRULE(this.expr)) }); this.CONSUME(L.RBracket); } },
                  { ALT: () => { this.CONSUME(L.LParen); this.MANY_SEP2({ SEP: L.Comma, DEF: () => list.push(this.SUBRULE2(this.expr)) }); this.CONSUME(L.RParen); } },
                ]);
                e = { k: 'in', a, list, not, at: at(t) };
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(L.Is);
          let not = false;
          this.OPTION3(() => { this.CONSUME2(L.Not); not = true; });
          const what = this.OR5([
            { ALT: () => this.CONSUME(L.Missing).image },
            { ALT: () => this.CONSUME(L.Null).image },
            { ALT: () => this.CONSUME(L.Identifier).image },
          ]);
          e = { k: 'is', a, what: this.ACTION(() => what.toUpperCase()), not, at: at(t) };
        },
      },
    ]));
    return e;
  });

  additive = this.RULE('additive', (): Expr => {
    let e = this.SUBRULE(this.primary);
    this.MANY(() => {
      const t = this.OR([{ ALT: () => this.CONSUME(L.Plus) }, { ALT: () => this.CONSUME(L.Minus) }]);
      const b = this.SUBRULE2(this.primary);
      e = { k: 'arith', op: t.image as '+' | '-', a: e, b, at: at(t) };
    });
    return e;
  });

  primary = this.RULE('primary', (): Expr => this.OR([
    { ALT: () => { const t = this.CONSUME(L.StringLiteral); return { k: 'str', v: unquote(t), at: at(t) } as Expr; } },
    { ALT: () => { const t = this.CONSUME(L.NumberLiteral); return { k: 'num', text: t.image, at: at(t) } as Expr; } },
    {
      ALT: () => {
        const m = this.CONSUME(L.Minus);
        const t = this.CONSUME2(L.NumberLiteral);
        return { k: 'num', text: '-' + t.image, at: at(m) } as Expr;
      },
    },
    { ALT: () => { const t = this.CONSUME(L.True); return { k: 'bool', v: true, at: at(t) } as Expr; } },
    { ALT: () => { const t = this.CONSUME(L.False); return { k: 'bool', v: false, at: at(t) } as Expr; } },
    { ALT: () => { const t = this.CONSUME(L.Null); return { k: 'null', at: at(t) } as Expr; } },
    { ALT: () => { const t = this.CONSUME(L.Missing); return { k: 'missing', at: at(t) } as Expr; } },
    {
      ALT: () => {
        const t = this.CONSUME(L.Question);
        let i = 0;
        this.ACTION(() => (i = this.params++));
        return { k: 'param', i, at: at(t) } as Expr;
      },
    },
    { GATE: () => this.LA(2).tokenType === L.LParen, ALT: () => this.SUBRULE(this.call) },
    { ALT: () => this.SUBRULE(this.path) },
    {
      ALT: () => {
        this.CONSUME(L.LParen);
        const e = this.SUBRULE(this.expr);
        this.CONSUME(L.RParen);
        return e;
      },
    },
    { ALT: () => this.SUBRULE(this.collection) },
  ]));

  call = this.RULE('call', (): Expr => {
    const t = this.OR([{ ALT: () => this.CONSUME(L.Identifier) }, { ALT: () => this.CONSUME(L.Exists) }]);
    this.CONSUME(L.LParen);
    const args: Expr[] = [];
    this.MANY_SEP({ SEP: L.Comma, DEF: () => args.push(this.SUBRULE(this.expr)) });
    this.CONSUME(L.RParen);
    return { k: 'call', name: (t.image ?? '').toLowerCase(), args, at: at(t) };
  });

  collection = this.RULE('collection', (): Expr => this.OR([
    {
      ALT: () => {
        const t = this.CONSUME(L.LBrace);
        const entries: [string, Expr][] = [];
        this.MANY_SEP({
          SEP: L.Comma,
          DEF: () => {
            const k = unquote(this.CONSUME(L.StringLiteral));
            this.CONSUME(L.Colon);
            entries.push([k, this.SUBRULE(this.expr)]);
          },
        });
        this.CONSUME(L.RBrace);
        return { k: 'tuple', entries, at: at(t) } as Expr;
      },
    },
    {
      ALT: () => {
        const t = this.CONSUME(L.LBracket);
        const items: Expr[] = [];
        this.MANY_SEP2({ SEP: L.Comma, DEF: () => items.push(this.SUBRULE2(this.expr)) });
        this.CONSUME(L.RBracket);
        return { k: 'list', items, at: at(t) } as Expr;
      },
    },
    {
      ALT: () => {
        const t = this.CONSUME(L.LBag);
        const items: Expr[] = [];
        this.MANY_SEP3({ SEP: L.Comma, DEF: () => items.push(this.SUBRULE3(this.expr)) });
        this.CONSUME(L.RBag);
        return { k: 'bag', items, at: at(t) } as Expr;
      },
    },
  ]));
}

let parser: PartiqlParser | undefined;

export function parseStatement(text: string): { statement: Statement; params: number } {
  parser ??= new PartiqlParser();
  const lexed = L.lexer.tokenize(text);
  if (lexed.errors.length) throw malformed('');
  parser.input = lexed.tokens;
  parser.params = 0;
  parser.alias = false;
  const statement = parser.statement();
  if (parser.alias) throw new AwsError('ValidationException', 'Aliasing is not supported', 400);
  if (parser.errors.length) throw malformed(detail(parser.errors[0]!));
  return { statement, params: parser.params };
}
