/**
 * Opaque offset-based NextToken values, for list operations whose order is stable. Each service
 * supplies the error AWS answers for a token it did not issue.
 */
import type { AwsError } from './errors.js';

export function encodeOffsetToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64');
}

/** 0 for no token; `invalid()` for anything this module did not produce. */
export function decodeOffsetToken(token: string | undefined, invalid: () => AwsError): number {
  if (token === undefined) return 0;
  try {
    const o = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    /* not ours */
  }
  throw invalid();
}
