/** Offset paging with an opaque token (`Limit` 1–100, default 100). */
import { validationError } from '../../../core/errors.js';

export function page<T>(items: T[], limit: number | undefined, token: string | undefined): { items: T[]; next?: string } {
  let start = 0;
  if (token) {
    const m = /^o(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
    if (!m) throw validationError('The NextToken provided is invalid.');
    start = Number(m[1]);
  }
  const n = limit ?? 100;
  const slice = items.slice(start, start + n);
  return start + n < items.length ? { items: slice, next: Buffer.from(`o${start + n}`).toString('base64url') } : { items: slice };
}
