/**
 * One gureum instance: config, clock, store, and the service instances created lazily from
 * the registry. Several runtimes can live in one process, fully isolated.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { VirtualClock } from '../core/clock.js';
import { LmdbEngine, MemoryEngine, type Engine } from '../state/engine.js';
import { Store } from '../state/store.js';
import { BlobStore } from '../state/blobs.js';
import type { GureumConfig } from '../config/config.js';
import { SERVICE_LOADERS } from '../services/registry.js';
import type { ServiceDefinition, ServiceInstance, ServiceRuntime } from '../services/service.js';
import { RequestLog } from './request-log.js';

export class Runtime {
  readonly clock: VirtualClock;
  readonly store: Store;
  readonly engine: Engine;
  readonly requestLog: RequestLog;
  /** where blobs live (data dir, or a temp dir when ephemeral) */
  readonly blobRoot: string;
  private readonly instances = new Map<string, ServiceInstance>();
  private readonly definitions = new Map<string, ServiceDefinition>();
  private readonly blobStores = new Map<string, BlobStore>();
  /** set by the gateway: runs an operation through the dispatch path */
  internalCall?: (service: string, operation: string, input: Record<string, unknown>, scope: { account: string; region: string }) => Promise<unknown>;

  /**
   * `overrides`: service definitions that replace (or add behaviour to) routed services for
   * this runtime only — how embedders plug in their own handlers, and how the template is tested.
   */
  /** Opens the data directory (if any) and builds the runtime. */
  static async create(config: GureumConfig, clock?: VirtualClock, overrides: Readonly<Record<string, ServiceDefinition>> = {}): Promise<Runtime> {
    const engine = config.dataDir ? await LmdbEngine.open(resolve(config.dataDir), { durability: config.durability }) : new MemoryEngine();
    return new Runtime(config, engine, clock, overrides);
  }

  constructor(readonly config: GureumConfig, engine: Engine = new MemoryEngine(), clock?: VirtualClock, private readonly overrides: Readonly<Record<string, ServiceDefinition>> = {}) {
    this.clock = clock ?? new VirtualClock();
    this.engine = engine;
    this.blobRoot = config.dataDir ? join(resolve(config.dataDir), 'blobs') : mkdtempSync(join(tmpdir(), 'gureum-'));
    this.store = new Store(this.engine);
    this.requestLog = new RequestLog(config.requestLogSize);
  }

  /** Whether a service has hand-written behaviour. */
  hasImplementation(id: string): boolean {
    return id in this.overrides || (id in SERVICE_LOADERS && !id.startsWith('_'));
  }

  /** The instance of a service, created on first use; undefined if it has no implementation. */
  async instance(id: string): Promise<ServiceInstance | undefined> {
    const existing = this.instances.get(id);
    if (existing) return existing;
    const loader = SERVICE_LOADERS[id];
    let def = this.overrides[id] ?? this.definitions.get(id);
    if (!def) {
      if (!loader) return undefined;
      def = (await loader()).default;
      this.definitions.set(id, def);
    }
    // Another request may have created it while we awaited the import.
    const again = this.instances.get(id);
    if (again) return again;
    const inst = def.create(this.serviceRuntime(id));
    this.instances.set(id, inst);
    return inst;
  }

  /** Synchronous lookup for the hot path once a service exists. */
  instanceIfLoaded(id: string): ServiceInstance | undefined {
    return this.instances.get(id);
  }

  /** Forget a service's state (or every service's). */
  reset(service?: string): void {
    for (const [id, inst] of this.instances) {
      if (service && id !== service) continue;
      inst.stop?.();
      this.instances.delete(id);
    }
    this.store.reset(service);
    for (const [id, blobs] of this.blobStores) {
      if (service && id !== service) continue;
      blobs.destroy();
      this.blobStores.delete(id);
    }
  }

  async stop(): Promise<void> {
    for (const inst of this.instances.values()) inst.stop?.();
    this.instances.clear();
    this.clock.stop();
    await this.engine.close();
    if (!this.config.dataDir) new BlobStore(this.blobRoot).destroy();
  }

  private serviceRuntime(id: string): ServiceRuntime {
    return {
      serviceId: id,
      config: this.config,
      clock: this.clock,
      store: this.store,
      table: <T>(name: string) => this.store.table<T>(id, name),
      blobs: () => {
        let b = this.blobStores.get(id);
        // A persistent store keeps small blobs in the engine (see BlobStore); ephemeral ones use files.
        if (!b) this.blobStores.set(id, (b = new BlobStore(join(this.blobRoot, id), this.engine instanceof LmdbEngine ? { engine: this.engine, service: id } : undefined, this.config.durability === 'disk')));
        return b;
      },
      call: (service, operation, input, scope) => {
        if (!this.internalCall) throw new Error('gateway not attached');
        return this.internalCall(service, operation, input, scope);
      },
    };
  }
}
