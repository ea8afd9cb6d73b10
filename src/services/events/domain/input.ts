/**
 * What a target receives: the whole event (default), a constant `Input`, the part of the event
 * an `InputPath` selects, or an `InputTransformer` (InputPathsMap + InputTemplate).
 *
 * JSONPath: `$`, `$.a.b`, `$.a[0]`, `$['a-b']` — the subset EventBridge accepts.
 * Template placeholders `<name>`: inside a JSON string a string value is inserted as its
 * (escaped) text; elsewhere the value's JSON is inserted (strings with their quotes). A path
 * that selects nothing inserts an empty string inside quotes and `null` elsewhere. Predefined:
 * `<aws.events.rule-arn>`, `<aws.events.rule-name>`, `<aws.events.event>`,
 * `<aws.events.event.json>`, `<aws.events.event.ingestion-time>`.
 */
import { validationError } from '../../../core/errors.js';

export interface TargetInput {
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
}

const PATH = /^\$(?:\.[A-Za-z0-9_\-@]+|\[\d+\]|\['[^']*'\]|\["[^"]*"\])*$/;

export function validJsonPath(p: string): boolean {
  return PATH.test(p);
}

export function selectPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  const re = /\.([A-Za-z0-9_\-@]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/g;
  for (let m; (m = re.exec(path.slice(1))); ) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const key = m[1] ?? m[3] ?? m[4];
    cur = key !== undefined ? (cur as Record<string, unknown>)[key] : (cur as unknown[])[Number(m[2])];
  }
  return cur;
}

export function validateTargetInput(t: TargetInput, id: string): void {
  const given = [t.Input, t.InputPath, t.InputTransformer].filter((x) => x !== undefined).length;
  if (given > 1) throw validationError('Only one of Input, InputPath, or InputTransformer must be provided.');
  if (t.Input !== undefined) {
    try {
      JSON.parse(t.Input);
    } catch {
      throw validationError(`Input for target ${id} must be a valid JSON text.`);
    }
  }
  if (t.InputPath !== undefined && !validJsonPath(t.InputPath)) throw validationError(`InputPath for target ${id} is invalid.`);
  if (t.InputTransformer) {
    for (const [k, p] of Object.entries(t.InputTransformer.InputPathsMap ?? {})) {
      if (k.startsWith('aws.')) throw validationError(`Input transformer key ${k} is reserved.`);
      if (!validJsonPath(p)) throw validationError(`Invalid JSONPath for key ${k}: ${p}`);
    }
  }
}

/** The string a target receives for `event` (already a plain JSON object). */
export function renderInput(t: TargetInput, event: Record<string, unknown>, predefined: Record<string, unknown> = {}): string {
  if (t.Input !== undefined) return t.Input;
  if (t.InputPath !== undefined) {
    const v = selectPath(event, t.InputPath);
    return v === undefined ? '' : JSON.stringify(v);
  }
  if (t.InputTransformer) {
    const values: Record<string, unknown> = {
      'aws.events.event': event,
      'aws.events.event.json': event,
      ...predefined,
    };
    for (const [k, p] of Object.entries(t.InputTransformer.InputPathsMap ?? {})) values[k] = selectPath(event, p);
    return renderTemplate(t.InputTransformer.InputTemplate, values);
  }
  return JSON.stringify(event);
}

/** Substitutes `<name>` placeholders known in `values`, JSON-aware (see the file comment). */
export function renderTemplate(template: string, values: Record<string, unknown>): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '<') {
      const end = template.indexOf('>', i + 1);
      const name = end > 0 ? template.slice(i + 1, end) : '';
      if (end > 0 && name in values) {
        const v = values[name];
        if (inString) out += v === undefined || v === null ? '' : typeof v === 'string' ? JSON.stringify(v).slice(1, -1) : JSON.stringify(JSON.stringify(v)).slice(1, -1);
        else out += v === undefined ? 'null' : JSON.stringify(v);
        i = end;
        continue;
      }
    }
    if (c === '\\' && inString) {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    out += c;
  }
  return out;
}
