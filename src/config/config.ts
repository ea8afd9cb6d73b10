/**
 * The one schema of settings. Sources, later wins: defaults → environment (GUREUM_*, and
 * LocalStack's names where they mean something here) → explicit options (CLI flags or the
 * in-process API).
 */
import { resolve as resolvePath } from 'node:path';
import { parseDuration } from '../core/clock.js';

export interface GureumConfig {
  host: string;
  port: number;
  /** data directory; undefined when ephemeral */
  dataDir: string | undefined;
  ephemeral: boolean;
  accountId: string;
  defaultRegion: string;
  /** no per-request log lines */
  quiet: boolean;
  /** largest non-streaming request body accepted (bytes) */
  maxBodyBytes: number;
  /** recent requests kept for /_gureum/requests */
  requestLogSize: number;
  /** virtual time a DynamoDB table stays CREATING/DELETING (AWS: seconds; default 0, see services/dynamodb/README.md) */
  dynamodbTableDelayMs: number;
  /** IAM policy evaluation of every request: off (default), soft (decide and log, never deny), enforce */
  iamEnforcement: IamEnforcement;
  /**
   * What an acknowledged write survives: 'process' (default) a kill -9 of gureum — the data is in
   * the kernel when the client gets its answer; 'disk' also a crash of the machine — every commit
   * and every blob file is fsynced first (much slower writes).
   */
  durability: Durability;
}

export type Durability = 'process' | 'disk';
const DURABILITIES: readonly Durability[] = ['process', 'disk'];

export type IamEnforcement = 'off' | 'soft' | 'enforce';
const IAM_MODES: readonly IamEnforcement[] = ['off', 'soft', 'enforce'];

export const DEFAULTS: GureumConfig = {
  host: '127.0.0.1',
  port: 4566,
  dataDir: '.gureum',
  ephemeral: false,
  accountId: '000000000000',
  defaultRegion: 'us-east-1',
  quiet: false,
  maxBodyBytes: 64 * 1024 * 1024,
  requestLogSize: 500,
  dynamodbTableDelayMs: 0,
  iamEnforcement: 'off',
  durability: 'process',
};

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
const falsy = (v: string | undefined) => v !== undefined && /^(0|false|no|off)$/i.test(v.trim());

/** Settings named by the environment. */
export function fromEnv(env: NodeJS.ProcessEnv = process.env): Partial<GureumConfig> {
  const out: Partial<GureumConfig> = {};
  // LocalStack names first, so GUREUM_* wins when both are set.
  if (env.GATEWAY_LISTEN) {
    const first = env.GATEWAY_LISTEN.split(',')[0]!.trim();
    const m = /^(?:(.*):)?(\d+)$/.exec(first);
    if (m) {
      if (m[1]) out.host = m[1];
      out.port = Number(m[2]);
    }
  }
  if (env.EDGE_PORT) out.port = Number(env.EDGE_PORT);
  if (falsy(env.PERSISTENCE)) out.ephemeral = true;
  if (truthy(env.PERSISTENCE)) out.ephemeral = false;
  if (env.DATA_DIR) out.dataDir = env.DATA_DIR;
  if (env.DEFAULT_REGION) out.defaultRegion = env.DEFAULT_REGION;
  if (truthy(env.ENFORCE_IAM)) out.iamEnforcement = 'enforce';
  if (env.GUREUM_HOST) out.host = env.GUREUM_HOST;
  if (env.GUREUM_PORT) out.port = Number(env.GUREUM_PORT);
  if (env.GUREUM_DATA_DIR) out.dataDir = env.GUREUM_DATA_DIR;
  if (truthy(env.GUREUM_EPHEMERAL)) out.ephemeral = true;
  if (env.GUREUM_ACCOUNT_ID) out.accountId = env.GUREUM_ACCOUNT_ID;
  if (env.GUREUM_REGION) out.defaultRegion = env.GUREUM_REGION;
  if (truthy(env.GUREUM_QUIET)) out.quiet = true;
  if (env.GUREUM_IAM_ENFORCEMENT) out.iamEnforcement = env.GUREUM_IAM_ENFORCEMENT.trim().toLowerCase() as IamEnforcement;
  if (env.GUREUM_DURABILITY) out.durability = env.GUREUM_DURABILITY.trim().toLowerCase() as Durability;
  if (env.GUREUM_DYNAMODB_TABLE_DELAY) out.dynamodbTableDelayMs = parseDuration(env.GUREUM_DYNAMODB_TABLE_DELAY);
  return out;
}

export function resolveConfig(...layers: Partial<GureumConfig>[]): GureumConfig {
  const cfg: GureumConfig = { ...DEFAULTS };
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) (cfg as unknown as Record<string, unknown>)[k] = v;
  }
  if (!/^\d{12}$/.test(cfg.accountId)) throw new Error(`account id must be 12 digits, got "${cfg.accountId}"`);
  if (!Number.isInteger(cfg.port) || cfg.port < 0 || cfg.port > 65535) throw new Error(`invalid port ${cfg.port}`);
  if (!IAM_MODES.includes(cfg.iamEnforcement)) throw new Error(`iam enforcement must be off, soft or enforce, got "${cfg.iamEnforcement}"`);
  if (!DURABILITIES.includes(cfg.durability)) throw new Error(`durability must be process or disk, got "${cfg.durability}"`);
  if (cfg.ephemeral) cfg.dataDir = undefined;
  else if (cfg.dataDir) cfg.dataDir = resolvePath(cfg.dataDir);
  return cfg;
}
