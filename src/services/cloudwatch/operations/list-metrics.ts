/**
 * ListMetrics: metrics that received data in the last two weeks (AWS forgets idle metrics
 * after that), filtered, in a stable order, 500 per page.
 */
import type { ListMetricsInput, ListMetricsOutput } from '../generated/types.js';
import type { MetricStore } from '../domain/samples.js';
import type { Scope } from '../../../state/store.js';
import { invalidNextToken, invalidParam, invalidValue } from '../domain/errors.js';

const PAGE = 500;
const TWO_WEEKS = 14 * 86_400_000;
const THREE_HOURS = 3 * 3_600_000;

export function listMetrics(store: MetricStore, scope: Scope, input: ListMetricsInput, now: number): ListMetricsOutput {
  if (input.RecentlyActive !== undefined && input.RecentlyActive !== 'PT3H') throw invalidParam('RecentlyActive', input.RecentlyActive);
  const filters = input.Dimensions ?? [];
  if (filters.length > 10) throw invalidValue('The collection Dimensions must not have a size greater than 10.');
  const since = now - (input.RecentlyActive ? THREE_HOURS : TWO_WEEKS);
  const after = input.NextToken === undefined ? undefined : decodeToken(input.NextToken);

  const matching = store
    .list(scope)
    .filter(([key, m]) =>
      m.lastPutAt >= since &&
      (after === undefined || key > after) &&
      (input.Namespace === undefined || m.Namespace === input.Namespace) &&
      (input.MetricName === undefined || m.MetricName === input.MetricName) &&
      filters.every((f) => m.Dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))),
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  const page = matching.slice(0, PAGE);
  const out: ListMetricsOutput = { Metrics: page.map(([, m]) => ({ Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: m.Dimensions })) };
  if (matching.length > PAGE) out.NextToken = Buffer.from(page[page.length - 1]![0], 'utf8').toString('base64url');
  if (input.IncludeLinkedAccounts) out.OwningAccounts = page.map(() => scope.account);
  return out;
}

function decodeToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (!key.startsWith('[')) throw invalidNextToken();
  return key;
}
