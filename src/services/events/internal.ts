/**
 * What the rest of gureum may use of EventBridge.
 *
 * - Other services emit AWS events onto a default bus through the dispatch path:
 *   `rt.call('events', 'PutEvents', { Entries: [{ Source: 'aws.s3', DetailType: 'Object Created',
 *   Detail: JSON.stringify(detail), Resources: [arn] }] }, { account, region })` — internal calls
 *   may use `aws.*` sources (external callers get NotAuthorizedForSourceException).
 * - The schedule-expression parser and next-fire computation (shared with EventBridge Scheduler),
 *   the input template renderer and the target retry rules.
 * - The delivery records (what each target got, or why not).
 */
import type { Store } from '../../state/store.js';
import type { EventsState, DeliveryRecord } from './state.js';

export { parseScheduleExpression, nextCronTime, zonedToUtc, localParts, isValidTimeZone, type ParsedSchedule, type LocalTime } from './domain/schedule.js';
export { renderTemplate } from './domain/input.js';
export { DeliveryFailure, classify, nextRetry, DEFAULT_RETRY, type RetryLimits } from './domain/retry.js';
export type { DeliveryRecord } from './state.js';

const states = new WeakMap<Store, EventsState>();

export function register(store: Store, state: EventsState): void {
  states.set(store, state);
}

/** Deliveries recorded by the EventBridge instance of the runtime owning `store`. */
export function eventsDeliveries(store: Store): readonly DeliveryRecord[] {
  return states.get(store)?.deliveries ?? [];
}
