/** ListFunctions (more function operations arrive with CreateFunction). */
import { AwsError } from '../../../core/errors.js';
import { scopeOf } from '../../../gateway/context.js';
import type { LambdaHandlers } from '../generated/types.js';
import type { LambdaState } from '../state.js';

type Handlers = Pick<Required<LambdaHandlers>, 'ListFunctions'>;

const validation = (msg: string) => new AwsError('ValidationException', `1 validation error detected: ${msg}`, 400);

/** Markers are opaque to clients: the last name of the previous page, base64. */
const marker = {
  encode: (name: string) => Buffer.from(`gureum1:${name}`, 'utf8').toString('base64'),
  decode(m: string): string {
    const s = Buffer.from(m, 'base64').toString('utf8');
    if (!s.startsWith('gureum1:')) throw new AwsError('InvalidParameterValueException', `Invalid marker: ${m}`, 400);
    return s.slice('gureum1:'.length);
  },
};

export function functionHandlers(state: LambdaState): Handlers {
  return {
    ListFunctions(input, ctx) {
      const max = input.MaxItems ?? 50;
      if (!Number.isInteger(max) || max < 1) throw validation(`Value '${input.MaxItems}' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1`);
      if (max > 10000) throw validation(`Value '${input.MaxItems}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000`);
      if (input.FunctionVersion !== undefined && input.FunctionVersion !== 'ALL') {
        throw validation(`Value '${input.FunctionVersion}' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]`);
      }
      const after = input.Marker !== undefined ? marker.decode(input.Marker) : undefined;
      const all = [...state.functions.values(scopeOf(ctx))]
        .map((f) => f.configuration)
        .filter((c) => after === undefined || c.FunctionName! > after)
        .sort((a, b) => (a.FunctionName! < b.FunctionName! ? -1 : 1));
      const page = all.slice(0, max);
      return {
        Functions: page,
        ...(all.length > page.length ? { NextMarker: marker.encode(page[page.length - 1]!.FunctionName!) } : {}),
      };
    },
  };
}
