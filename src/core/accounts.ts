/**
 * Which account a request belongs to. A 12-digit access key id is that account. Keys minted
 * by gureum (STS temporary "ASIA…" keys, IAM "AKIA…" keys) carry their account inside the key,
 * as AWS's do, plus a 16-bit check so that foreign keys (AKIAIOSFODNN7EXAMPLE) do not decode
 * by accident. Any other key maps to the default account.
 */
import { createHash, randomBytes } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function accountForAccessKey(accessKeyId: string | undefined, defaultAccount: string): string {
  if (!accessKeyId) return defaultAccount;
  if (/^\d{12}$/.test(accessKeyId)) return accessKeyId;
  return decodeAccessKeyAccount(accessKeyId) ?? defaultAccount;
}

/** 20-character key: 4-letter prefix + 16 base32 chars = 40 bits account, 24 random, 16 check. */
export function makeAccessKeyId(prefix: 'ASIA' | 'AKIA', account: string): string {
  const acct = BigInt(account);
  const rnd = BigInt('0x' + randomBytes(3).toString('hex'));
  const body = (acct << 24n) | rnd;
  let v = (body << 16n) | check(body);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = B32[Number(v & 31n)] + out;
    v >>= 5n;
  }
  return prefix + out;
}

export function decodeAccessKeyAccount(accessKeyId: string): string | undefined {
  if (!/^(ASIA|AKIA)[A-Z2-7]{16}$/.test(accessKeyId)) return undefined;
  let v = 0n;
  for (const ch of accessKeyId.slice(4)) v = (v << 5n) | BigInt(B32.indexOf(ch));
  const body = v >> 16n;
  if ((v & 0xffffn) !== check(body)) return undefined;
  const acct = body >> 24n;
  if (acct >= 10n ** 12n) return undefined;
  return acct.toString().padStart(12, '0');
}

function check(body: bigint): bigint {
  const h = createHash('sha256').update('gureum-key:' + body.toString(16)).digest();
  return BigInt(h.readUInt16BE(0));
}

export function isValidAccountId(s: string): boolean {
  return /^\d{12}$/.test(s);
}
