/**
 * Receipt handles name the message and which receive issued them, so a handle stays
 * meaningful across restarts without storing every handle ever issued. A random part keeps
 * them unique (and opaque-looking, like AWS's).
 */
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';

export interface Receipt { messageId: string; receive: number }

export function makeReceipt(messageId: string, receive: number): string {
  return Buffer.from(`gr1:${messageId}:${receive}:${randomBytes(24).toString('base64url')}`).toString('base64');
}

export function parseReceipt(handle: string): Receipt {
  const text = /^[A-Za-z0-9+/=]+$/.test(handle) ? Buffer.from(handle, 'base64').toString('utf8') : '';
  const m = /^gr1:([0-9a-f-]{36}):(\d+):[A-Za-z0-9_-]+$/.exec(text);
  if (!m) throw new AwsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, 404);
  return { messageId: m[1]!, receive: Number(m[2]) };
}
