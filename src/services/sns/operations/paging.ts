/** NextToken paging of 100, as SNS lists do: the token is opaque (base64 of the next item's key). */
import { invalidParameter } from '../domain/errors.js';

export const PAGE_SIZE = 100;

export function page<T>(items: T[], token: string | undefined, key: (x: T) => string, size = PAGE_SIZE): { items: T[]; next?: string } {
  const all = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  let start = 0;
  if (token) {
    const after = Buffer.from(token, 'base64').toString('utf8');
    if (!after || Buffer.from(after, 'utf8').toString('base64') !== token) throw invalidParameter('Invalid parameter: NextToken');
    start = all.findIndex((x) => key(x) >= after);
    if (start < 0) start = all.length;
  }
  const out = all.slice(start, start + size);
  const following = all[start + size];
  return { items: out, ...(following !== undefined ? { next: Buffer.from(key(following), 'utf8').toString('base64') } : {}) };
}
