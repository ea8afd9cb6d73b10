/**
 * ECDSA over a precomputed digest (Sign/Verify with MessageType DIGEST). node:crypto only
 * signs messages it hashes itself, so this does the curve arithmetic with bigint (Jacobian
 * coordinates). Signatures are DER, as KMS returns them; they verify with node:crypto.
 */
import { createECDH, randomBytes } from 'node:crypto';

interface Curve { p: bigint; a: bigint; n: bigint; g: Point; bytes: number }
type Point = { x: bigint; y: bigint } | null;

const hex = (s: string) => BigInt('0x' + s);
const PARAMS: Record<string, { p: bigint; a?: bigint; n: bigint }> = {
  prime256v1: { p: hex('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff'), n: hex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551') },
  secp384r1: {
    p: hex('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff'),
    n: hex('ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'),
  },
  secp521r1: {
    p: (1n << 521n) - 1n,
    n: hex('01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409'),
  },
  secp256k1: { p: hex('fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f'), a: 0n, n: hex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141') },
};

const curves = new Map<string, Curve>();
function curve(name: string): Curve {
  let c = curves.get(name);
  if (c) return c;
  const prm = PARAMS[name]!;
  const bytes = Math.ceil(prm.p.toString(2).length / 8);
  // The generator is the public key of private key 1.
  const ecdh = createECDH(name);
  const one = Buffer.alloc(bytes);
  one[bytes - 1] = 1;
  ecdh.setPrivateKey(one);
  const g = ecdh.getPublicKey();
  c = { p: prm.p, a: prm.a ?? prm.p - 3n, n: prm.n, bytes, g: { x: toBig(g.subarray(1, 1 + bytes)), y: toBig(g.subarray(1 + bytes)) } };
  curves.set(name, c);
  return c;
}

const toBig = (b: Uint8Array) => (b.length ? BigInt('0x' + Buffer.from(b).toString('hex')) : 0n);
const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
function inv(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

type J = [bigint, bigint, bigint]; // Jacobian (X, Y, Z); Z = 0 is infinity

function dbl(c: Curve, [X, Y, Z]: J): J {
  if (Z === 0n || Y === 0n) return [0n, 1n, 0n];
  const { p } = c;
  const YY = (Y * Y) % p;
  const S = (4n * X * YY) % p;
  const ZZ = (Z * Z) % p;
  const M = mod(3n * X * X + c.a * ZZ * ZZ, p);
  const X3 = mod(M * M - 2n * S, p);
  const Y3 = mod(M * (S - X3) - 8n * YY * YY, p);
  return [X3, Y3, (2n * Y * Z) % p];
}

function add(c: Curve, P: J, Q: J): J {
  if (P[2] === 0n) return Q;
  if (Q[2] === 0n) return P;
  const { p } = c;
  const Z1Z1 = (P[2] * P[2]) % p, Z2Z2 = (Q[2] * Q[2]) % p;
  const U1 = (P[0] * Z2Z2) % p, U2 = (Q[0] * Z1Z1) % p;
  const S1 = (P[1] * Q[2] * Z2Z2) % p, S2 = (Q[1] * P[2] * Z1Z1) % p;
  if (U1 === U2) return S1 === S2 ? dbl(c, P) : [0n, 1n, 0n];
  const H = mod(U2 - U1, p), R = mod(S2 - S1, p);
  const HH = (H * H) % p, HHH = (H * HH) % p, V = (U1 * HH) % p;
  const X3 = mod(R * R - HHH - 2n * V, p);
  const Y3 = mod(R * (V - X3) - S1 * HHH, p);
  return [X3, Y3, (H * P[2] * Q[2]) % p];
}

function mul(c: Curve, P: Point, k: bigint): J {
  let R: J = [0n, 1n, 0n];
  if (!P) return R;
  const A: J = [P.x, P.y, 1n];
  for (let i = k.toString(2).length - 1; i >= 0; i--) {
    R = dbl(c, R);
    if ((k >> BigInt(i)) & 1n) R = add(c, R, A);
  }
  return R;
}

function affineX(c: Curve, P: J): bigint | undefined {
  if (P[2] === 0n) return undefined;
  const zi = inv(P[2], c.p);
  return (P[0] * zi * zi) % c.p;
}

/** The leftmost bits of the digest, as many as the order has (SEC 1, 4.1.3 step 5). */
function digestInt(c: Curve, digest: Uint8Array): bigint {
  const nBits = c.n.toString(2).length;
  let e = toBig(digest);
  const eBits = digest.length * 8;
  if (eBits > nBits) e >>= BigInt(eBits - nBits);
  return e;
}

export function ecdsaSignDigest(curveName: string, d: bigint, digest: Uint8Array): Buffer {
  const c = curve(curveName);
  const e = digestInt(c, digest);
  for (;;) {
    const k = mod(toBig(randomBytes(c.bytes + 8)), c.n - 1n) + 1n;
    const x = affineX(c, mul(c, c.g, k));
    if (x === undefined) continue;
    const r = x % c.n;
    if (r === 0n) continue;
    const s = (inv(k, c.n) * (e + r * d)) % c.n;
    if (s === 0n) continue;
    return derSignature(r, s);
  }
}

export function ecdsaVerifyDigest(curveName: string, q: { x: bigint; y: bigint }, digest: Uint8Array, signature: Uint8Array): boolean {
  const c = curve(curveName);
  const rs = parseDerSignature(signature);
  if (!rs) return false;
  const [r, s] = rs;
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  const w = inv(s, c.n);
  const e = digestInt(c, digest);
  const X = add(c, mul(c, c.g, (e * w) % c.n), mul(c, q, (r * w) % c.n));
  const x = affineX(c, X);
  return x !== undefined && x % c.n === r;
}

export const bigFromB64url = (s: string) => toBig(Buffer.from(s, 'base64url'));

function derInt(v: bigint): Buffer {
  let h = v.toString(16);
  if (h.length % 2) h = '0' + h;
  let b = Buffer.from(h, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02]), derLen(b.length), b]);
}
function derLen(n: number): Buffer {
  return n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
}
function derSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInt(r), derInt(s)]);
  return Buffer.concat([Buffer.from([0x30]), derLen(body.length), body]);
}
function parseDerSignature(sig: Uint8Array): [bigint, bigint] | undefined {
  const b = Buffer.from(sig);
  let i = 0;
  const len = (): number | undefined => {
    const first = b[i++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    const n = first & 0x7f;
    let v = 0;
    for (let j = 0; j < n; j++) v = (v << 8) | (b[i++] ?? 0);
    return v;
  };
  if (b[i++] !== 0x30) return undefined;
  const total = len();
  if (total === undefined || i + total !== b.length) return undefined;
  const out: bigint[] = [];
  for (let k = 0; k < 2; k++) {
    if (b[i++] !== 0x02) return undefined;
    const l = len();
    if (l === undefined || l === 0 || i + l > b.length) return undefined;
    out.push(toBig(b.subarray(i, i + l)));
    i += l;
  }
  return i === b.length ? [out[0]!, out[1]!] : undefined;
}
