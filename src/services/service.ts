/**
 * What a service plugin is. A plugin is loaded on first use (registry.ts); `create` builds
 * one instance per gureum runtime, holding references to its tables and timers.
 */
import type { RequestContext } from '../gateway/context.js';
import type { VirtualClock } from '../core/clock.js';
import type { Store, Table } from '../state/store.js';
import type { BlobStore } from '../state/blobs.js';
import type { GureumConfig } from '../config/config.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OperationHandler = (input: any, ctx: RequestContext) => unknown;

export interface ServiceRuntime {
  readonly serviceId: string;
  readonly config: GureumConfig;
  readonly clock: VirtualClock;
  readonly store: Store;
  /** table `name` of this service */
  table<T>(name: string): Table<T>;
  /** this service's blob directory (created on first call) */
  blobs(): BlobStore;
  /**
   * Call another service's operation through the same dispatch path as an external request
   * (validation, persistence, events), marked internal.
   */
  call(service: string, operation: string, input: Record<string, unknown>, scope: { account: string; region: string }): Promise<unknown>;
}

export interface ServiceInstance {
  /** handlers by operation name; a routed operation without one answers 501 NotImplemented */
  readonly handlers: Readonly<Record<string, OperationHandler | undefined>>;
  /** cancel timers, release resources */
  stop?(): void;
}

export interface ServiceDefinition {
  readonly id: string;
  create(rt: ServiceRuntime): ServiceInstance;
}

export function defineService(def: ServiceDefinition): ServiceDefinition {
  return def;
}
