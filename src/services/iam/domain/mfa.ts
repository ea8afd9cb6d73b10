/**
 * Virtual MFA devices: RFC 6238 TOTP (SHA-1, 6 digits, 30-second steps) over a 20-byte seed,
 * computed with `otpauth` at virtual-clock instants. A device may run ahead of or behind the
 * clock: Enable and Resync learn its drift from two consecutive codes, later checks allow one
 * step either side of it, and a code (a step) is accepted only once.
 */
import { HOTP, Secret } from 'otpauth';
import type { MfaDeviceRec } from '../state.js';

export const STEP_MS = 30_000;
/** how far (in steps) Enable looks for the two codes, and Resync (AWS resyncs larger drifts) */
const ENABLE_WINDOW = 4;
const RESYNC_WINDOW = 40;

export const newSeed = (): string => new Secret({ size: 20 }).base32;
export const stepAt = (now: number): number => Math.floor(now / STEP_MS);
export const codeAt = (seed: string, step: number): string => HOTP.generate({ secret: Secret.fromBase32(seed), counter: step });

/** The otpauth URI a QR code carries (AWS: `otpauth://totp/$name@$account?secret=$seed`). */
export const otpauthUri = (name: string, account: string, seed: string): string =>
  `otpauth://totp/${encodeURIComponent(name)}@${encodeURIComponent(account)}?secret=${seed}`;

/** The step s near the clock at which the device showed `code1` then `code2` (s, s+1), or undefined. */
export function consecutiveStep(seed: string, code1: string, code2: string, now: number, resync = false): number | undefined {
  const cur = stepAt(now);
  const w = resync ? RESYNC_WINDOW : ENABLE_WINDOW;
  for (let d = 0; d <= w; d++) {
    for (const s of d === 0 ? [cur - 1] : [cur - 1 - d, cur - 1 + d]) {
      if (codeAt(seed, s) === code1 && codeAt(seed, s + 1) === code2) return s + 1;
    }
  }
  return undefined;
}

export type TokenCheck = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'reused' };

/** Is `token` the device's current code (one step of slack either side of its drift)? */
export function checkToken(device: MfaDeviceRec, token: string, now: number): TokenCheck {
  const cur = stepAt(now) + device.drift;
  for (const s of [cur, cur - 1, cur + 1]) {
    if (codeAt(device.seed, s) !== token) continue;
    if (device.lastStep !== undefined && s <= device.lastStep) return { ok: false, reason: 'reused' };
    return { ok: true, step: s };
  }
  return { ok: false, reason: 'invalid' };
}
