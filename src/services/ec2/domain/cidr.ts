/**
 * IPv4 CIDR arithmetic by hand (32-bit unsigned numbers) and Amazon-provided IPv6 /56 blocks.
 */
export interface Cidr4 {
  base: number; // network address, unsigned
  prefix: number;
}

export function parseIp4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    n = n * 256 + o;
  }
  return n;
}

export function formatIp4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** Parses `a.b.c.d/n`; undefined when malformed. Host bits set are cleared when `strict` is false. */
export function parseCidr4(s: string | undefined, strict = false): Cidr4 | undefined {
  if (!s) return undefined;
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const ip = parseIp4(m[1]!);
  const prefix = Number(m[2]);
  if (ip === undefined || prefix > 32) return undefined;
  const base = (ip & maskOf(prefix)) >>> 0;
  if (strict && base !== ip) return undefined;
  return { base, prefix };
}

export const formatCidr4 = (c: Cidr4) => `${formatIp4(c.base)}/${c.prefix}`;
export const size4 = (c: Cidr4) => 2 ** (32 - c.prefix);
export const last4 = (c: Cidr4) => c.base + size4(c) - 1;

export function contains4(outer: Cidr4, inner: Cidr4): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && last4(inner) <= last4(outer);
}

export function overlaps4(a: Cidr4, b: Cidr4): boolean {
  return a.base <= last4(b) && b.base <= last4(a);
}

export function containsIp4(c: Cidr4, ip: number): boolean {
  return ip >= c.base && ip <= last4(c);
}

/** The RFC 1918 block a CIDR lies in (for the secondary-CIDR restrictions), else undefined. */
export function privateRange(c: Cidr4): string | undefined {
  for (const r of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']) if (contains4(parseCidr4(r)!, c)) return r;
  return undefined;
}

/** An Amazon-provided IPv6 /56 (2600:1f18:xxxx:xx00::/56), random but well-formed. */
export function amazonIpv6Block(rand: () => number = Math.random): string {
  const g3 = (0x1000 + Math.floor(rand() * 0xefff)).toString(16);
  const g4 = (0x10 + Math.floor(rand() * 0xef)).toString(16);
  return `2600:1f${(0x10 + Math.floor(rand() * 0x10)).toString(16)}:${g3}:${g4}00::/56`;
}

/** Validates an IPv6 CIDR loosely (hex groups, `::`, prefix 0–128). */
export function isIpv6Cidr(s: string | undefined): boolean {
  if (!s) return false;
  const m = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(s);
  if (!m || Number(m[2]) > 128) return false;
  const addr = m[1]!;
  const dbl = addr.split('::');
  if (dbl.length > 2) return false;
  const groups = dbl.flatMap((p) => (p ? p.split(':') : []));
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return dbl.length === 2 ? groups.length < 8 : groups.length === 8;
}
