/**
 * PartiQL tokens (chevrotain): keywords are case-insensitive and fall back to identifiers when
 * longer (`selection` is a name, `SELECT` a keyword); "double quotes" quote identifiers,
 * 'single quotes' strings ('' escapes a quote); `--` starts a line comment and block comments are
 * allowed; `<<` and `>>` delimit bags (sets).
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_$]*/ });

const keyword = (word: string): TokenType =>
  createToken({ name: word, pattern: new RegExp(word, 'i'), longer_alt: Identifier, categories: [Keyword] });

export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA });
export const Select = keyword('SELECT');
export const From = keyword('FROM');
export const Where = keyword('WHERE');
export const And = keyword('AND');
export const Or = keyword('OR');
export const Not = keyword('NOT');
export const Between = keyword('BETWEEN');
export const In = keyword('IN');
export const Is = keyword('IS');
export const Missing = keyword('MISSING');
export const Null = keyword('NULL');
export const True = keyword('TRUE');
export const False = keyword('FALSE');
export const Insert = keyword('INSERT');
export const Into = keyword('INTO');
export const Value = keyword('VALUE');
export const Update = keyword('UPDATE');
export const Set = keyword('SET');
export const Remove = keyword('REMOVE');
export const Delete = keyword('DELETE');
export const Returning = keyword('RETURNING');
export const All = keyword('ALL');
export const Modified = keyword('MODIFIED');
export const Old = keyword('OLD');
export const New = keyword('NEW');
export const Order = keyword('ORDER');
export const By = keyword('BY');
export const Asc = keyword('ASC');
export const Desc = keyword('DESC');
export const Exists = keyword('EXISTS');
export const As = keyword('AS');

export const QuotedIdentifier = createToken({ name: 'QuotedIdentifier', pattern: /"(?:[^"]|"")*"/ });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /'(?:[^']|'')*'/ });
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/ });

export const LBag = createToken({ name: 'LBag', pattern: /<</ });
export const RBag = createToken({ name: 'RBag', pattern: />>/ });
export const NotEqual = createToken({ name: 'NotEqual', pattern: /<>|!=/ });
export const LessEq = createToken({ name: 'LessEq', pattern: /<=/ });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: />=/ });
export const Less = createToken({ name: 'Less', pattern: /</ });
export const Greater = createToken({ name: 'Greater', pattern: />/ });
export const Equal = createToken({ name: 'Equal', pattern: /=/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/ });
export const LBrace = createToken({ name: 'LBrace', pattern: /{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /}/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/ });
export const Question = createToken({ name: 'Question', pattern: /\?/ });

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n\r]*/, group: Lexer.SKIPPED });
const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });

const keywords = [Select, From, Where, And, Or, Not, Between, In, Is, Missing, Null, True, False, Insert, Into, Value, Update, Set, Remove, Delete,
  Returning, All, Modified, Old, New, Order, By, Asc, Desc, Exists, As];

export const allTokens: TokenType[] = [
  WhiteSpace, LineComment, BlockComment, Keyword,
  // longest first, so that OR does not take the start of ORDER
  ...keywords.sort((a, b) => b.name.length - a.name.length),
  Identifier, QuotedIdentifier, StringLiteral, NumberLiteral,
  LBag, RBag, NotEqual, LessEq, GreaterEq, Less, Greater, Equal, Plus, Minus, Star,
  LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma, Dot, Colon, Semicolon, Question,
];

export const lexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });
