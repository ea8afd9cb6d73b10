/**
 * In-process API:
 *   const g = await startGureum();            // port 0, ephemeral, frozen? no: real-time clock
 *   new SQSClient({ endpoint: g.endpoint, region: g.region, credentials: g.credentials })
 *   g.clock.advance(30_000); await g.reset(); await g.stop();
 */
import { resolveConfig, type GureumConfig } from './config/config.js';
import { Runtime } from './gateway/runtime.js';
import { createGateway } from './gateway/gateway.js';
import { listen } from './server/http.js';
import { VirtualClock, parseDuration } from './core/clock.js';
import type { ServiceDefinition } from './services/service.js';
import { TIMER_SERVICES } from './services/registry.js';

export interface StartOptions {
  port?: number;
  host?: string;
  /** persist to this directory; omit for an ephemeral instance */
  dataDir?: string;
  /** keep everything in memory / a temp dir (the default in-process) */
  ephemeral?: boolean;
  accountId?: string;
  region?: string;
  /** print one line per request (default: quiet in-process) */
  quiet?: boolean;
  /** start with the clock frozen (tests advance it explicitly) */
  freezeClock?: boolean;
  clock?: VirtualClock;
  /** any other setting of GureumConfig (e.g. { dynamodbTableDelayMs: 1000 }) */
  config?: Partial<GureumConfig>;
  /** replace or add service behaviour for this instance: { <service id>: defineService({...}) } */
  services?: Record<string, ServiceDefinition>;
}

export interface ClockControl {
  now(): Date;
  advance(duration: number | string): void;
  set(time: Date | string | number): void;
  freeze(): void;
  resume(): void;
  scale(factor: number): void;
}

export interface Gureum {
  endpoint: string;
  port: number;
  accountId: string;
  region: string;
  /** credentials that map to `accountId` */
  credentials: { accessKeyId: string; secretAccessKey: string };
  clock: ClockControl;
  dataDir: string | undefined;
  reset(service?: string): Promise<void>;
  stop(): Promise<void>;
  /** for the CLI: the underlying runtime */
  readonly runtime: Runtime;
}

export async function startGureum(opts: StartOptions = {}): Promise<Gureum> {
  const ephemeral = opts.ephemeral ?? opts.dataDir === undefined;
  const config: GureumConfig = resolveConfig(opts.config ?? {}, {
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    dataDir: opts.dataDir,
    ephemeral,
    accountId: opts.accountId,
    defaultRegion: opts.region,
    quiet: opts.quiet ?? true,
  });
  return startWithConfig(config, opts.clock, opts.freezeClock, opts.services);
}

export async function startWithConfig(config: GureumConfig, clock?: VirtualClock, freeze?: boolean, services?: Record<string, ServiceDefinition>): Promise<Gureum> {
  const rt = await Runtime.create(config, clock, services);
  if (freeze) rt.clock.freeze();
  const listening = await listen(createGateway(rt), config.host, config.port);
  rt.config.port = listening.port;
  // Services whose timers live in state (scheduled rules, schedules) start now if they have any.
  for (const id of TIMER_SERVICES) {
    for (const _ of rt.engine.range(['s', id])) {
      await rt.instance(id);
      break;
    }
  }
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const c = rt.clock;
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${listening.port}`,
    port: listening.port,
    accountId: config.accountId,
    region: config.defaultRegion,
    credentials: { accessKeyId: config.accountId, secretAccessKey: 'gureum' },
    dataDir: config.dataDir,
    runtime: rt,
    clock: {
      now: () => c.date(),
      advance: (d) => c.advance(parseDuration(d)),
      set: (t) => c.set(t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t)),
      freeze: () => c.freeze(),
      resume: () => c.resume(),
      scale: (f) => c.setScale(f),
    },
    reset: async (service) => {
      rt.reset(service);
      await rt.store.committed();
    },
    stop: async () => {
      await listening.close();
      await rt.stop();
    },
  };
}

export { VirtualClock, parseDuration } from './core/clock.js';
export type { GureumConfig } from './config/config.js';
export { defineService } from './services/service.js';
export type { ServiceDefinition, ServiceInstance, ServiceRuntime } from './services/service.js';
export { AwsError } from './core/errors.js';
