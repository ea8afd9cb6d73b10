/**
 * What the rest of gureum may use of EC2: the state of the EC2 instance of a runtime (for the
 * control routes under /_gureum/ec2: simulated traffic for flow logs, Spot interruptions,
 * instance metadata).
 */
import type { Store } from '../../state/store.js';
import type { Ec2State } from './state.js';

const states = new WeakMap<Store, Ec2State>();

export function register(store: Store, state: Ec2State): void {
  states.set(store, state);
}

/** The EC2 state of the runtime owning `store` (undefined until EC2 was first loaded). */
export function ec2StateOf(store: Store): Ec2State | undefined {
  return states.get(store);
}
