/** What the rest of gureum may use of SNS: its state for the control routes (outbox, certificate). */
import type { Store } from '../../state/store.js';
import type { SnsState } from './state.js';

const states = new WeakMap<Store, SnsState>();

export function register(store: Store, state: SnsState): void {
  states.set(store, state);
}

/** The SNS state of the runtime owning `store` (the service must have been created). */
export function snsStateOf(store: Store): SnsState | undefined {
  return states.get(store);
}
