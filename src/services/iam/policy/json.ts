/**
 * A small JSON reader that also remembers where each object starts and ends in the text, so
 * that a simulation can report a statement's StartPosition/EndPosition as AWS does: 1-based
 * line, and the 1-based column just after the `{` (start) and just after the `}` (end) —
 * AWS's example `{"Version":"2012-10-17","Statement":{…}}` reports the statement at
 * Line 1 Column 38 … Line 1 Column 167.
 */

export interface Position { Line: number; Column: number }
export interface Span { start: Position; end: Position }

export class JsonSyntaxError extends Error {}

/** JSON.parse plus the span of every object (keyed by the parsed object itself). */
export function parseWithSpans(text: string): { value: unknown; spans: WeakMap<object, Span> } {
  const spans = new WeakMap<object, Span>();
  let i = 0;
  const lineStarts: number[] = [0];
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lineStarts.push(k + 1);
  const pos = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { Line: lo + 1, Column: offset - lineStarts[lo]! + 1 };
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw new JsonSyntaxError(`Unexpected character at ${i}`);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      const open = i;
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          ws();
          if (text[i] !== '"') fail();
          const k = str();
          ws();
          if (text[i] !== ':') fail();
          i++;
          const v = value();
          Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === '}') {
            i++;
            break;
          }
          fail();
        }
      }
      spans.set(obj, { start: pos(open + 1), end: pos(i) });
      return obj;
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail();
      }
    }
    if (c === '"') return str();
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) return fail();
    i += m[0].length;
    return JSON.parse(m[0]);
  };
  const v = value();
  ws();
  if (i !== text.length) fail();
  return { value: v, spans };
}
