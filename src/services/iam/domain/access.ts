/**
 * Access advisor data: for each IAM principal (user or role ARN), the last request it made to
 * each service namespace, to the minute (as AWS tracks it), for the service-last-accessed
 * reports. Recorded for requests signed with IAM users' keys and role sessions.
 */
import type { Store } from '../../../state/store.js';
import { iamScope, iamTables } from '../state.js';

/** Records that `principalArn` (of `account`) called `namespace:action` in `region` at `now`. */
export function recordAccess(store: Store, account: string, principalArn: string, namespace: string, action: string, region: string, now: number): void {
  if (!/:(user|role)\//.test(principalArn)) return;
  const t = iamTables(store).lastAccess;
  const scope = iamScope(account);
  const rec = t.get(scope, principalArn) ?? {};
  const minute = Math.floor(now / 60_000) * 60_000;
  const last = rec[namespace];
  if (last && last.date === minute && last.action === action && last.region === region) return;
  rec[namespace] = { date: minute, region, action, actions: { ...(last?.actions ?? {}), [action]: { date: minute, region } } };
  t.put(scope, principalArn, rec);
}
