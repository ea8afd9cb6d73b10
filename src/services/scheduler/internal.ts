/** What the rest of gureum may use of EventBridge Scheduler: the delivery records. */
import type { Store } from '../../state/store.js';
import type { SchedulerState, SchedulerDelivery } from './state.js';

export type { SchedulerDelivery } from './state.js';

const states = new WeakMap<Store, SchedulerState>();

export function register(store: Store, state: SchedulerState): void {
  states.set(store, state);
}

export function schedulerDeliveries(store: Store): readonly SchedulerDelivery[] {
  return states.get(store)?.deliveries ?? [];
}
