import { randomBytes, randomUUID } from 'node:crypto';

/** AWS-style request id (UUID v4). */
export const requestId = (): string => randomUUID();

/** S3's x-amz-id-2: base64 of random bytes (from a pool: one randomBytes call per 128 ids). */
export function hostId(): string {
  if (hostIdAt + 48 > hostIdPool.length) {
    hostIdPool = randomBytes(48 * 128);
    hostIdAt = 0;
  }
  const id = hostIdPool.toString('base64', hostIdAt, hostIdAt + 48);
  hostIdAt += 48;
  return id;
}
let hostIdPool: Buffer = Buffer.alloc(0);
let hostIdAt = 0;

/** Random lower-case hex of n characters (resource ids: vpc-0abc…, i-0abc…). */
export function hexId(n: number): string {
  return randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
}

/** Random upper-case alphanumeric (access key ids, etc.). */
export function alnumId(n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'): string {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

export const uuid = (): string => randomUUID();
