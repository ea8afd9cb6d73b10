/**
 * Account and table settings: DescribeLimits and DescribeEndpoints (DynamoDB's fixed answers),
 * resource-based policies on tables and streams (PutResourcePolicy, GetResourcePolicy,
 * DeleteResourcePolicy, with revision ids; CreateTable's ResourcePolicy) and CloudWatch
 * Contributor Insights switches (UpdateContributorInsights, DescribeContributorInsights,
 * ListContributorInsights: ENABLING/DISABLING, then ENABLED/DISABLED after the table delay).
 * Policies are stored and answered; gureum's IAM enforcement does not read them.
 */
import { AwsError } from '../../../core/errors.js';
import { scopeOf, type RequestContext } from '../../../gateway/context.js';
import type { Table } from '../../../state/store.js';
import type * as T from '../generated/types.js';
import type { DynamoState } from '../state.js';
import type { TableData } from '../domain/table.js';
import { checkEnum, invalid } from './common.js';

const POLICY_LIMIT = 20 * 1024;
const notFound = (arn: string) => new AwsError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn} not found`, 400);
const noPolicy = (arn: string) => new AwsError('PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${arn}`, 400);

interface Policy { doc: string; revision: string }

let revisions = 0;
/** A revision id: the clock in milliseconds and a counter (distinct within the process). */
const revisionId = (now: number) => `${now}${String(revisions++ % 1000).padStart(3, '0')}`;
interface Insights { enabled: boolean; at: number; mode: string }

export function accountHandlers(state: DynamoState): T.DynamoDBHandlers {
  const policies: Table<Policy> = state.rt.table<Policy>('policies');
  const insights: Table<Insights> = state.rt.table<Insights>('insights');
  const clock = state.rt.clock;

  /** The table a resource ARN names (a table, or one of its streams), in the caller's scope. */
  function resource(ctx: RequestContext, arn: string): { t: TableData; stream: boolean } {
    const scope = scopeOf(ctx);
    const m = /^arn:aws:dynamodb:([^:]+):(\d{12}):table\/([^/]+)(\/stream\/[^/]+)?$/.exec(arn);
    if (!m || m[1] !== scope.region || m[2] !== scope.account) throw notFound(arn);
    const t = state.get(scope, m[3]!);
    if (!t || t.rec.deletedAt !== undefined) throw notFound(arn);
    if (m[4] && !state.streams.get(scope, arn)) throw notFound(arn);
    return { t, stream: !!m[4] };
  }

  /** Policies live under the resource ARN, with the table id so a re-created table starts without one. */
  const pkey = (t: TableData, arn: string) => `${t.rec.id}|${arn}`;

  function table(ctx: RequestContext, name: string, index?: string): TableData {
    const t = state.get(scopeOf(ctx), name);
    if (!t || t.rec.deletedAt !== undefined) throw new AwsError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`, 400);
    if (index !== undefined && !t.rec.gsis?.some((g) => g.IndexName === index)) throw new AwsError('ResourceNotFoundException', `Requested resource not found: Index: ${index} not found`, 400);
    return t;
  }

  const ikey = (t: TableData, index?: string) => `${t.rec.id}|${index ?? ''}`;
  const status = (i: Insights | undefined) => {
    if (!i) return 'DISABLED';
    const settled = clock.now() >= i.at + state.rt.config.dynamodbTableDelayMs;
    return i.enabled ? (settled ? 'ENABLED' : 'ENABLING') : settled ? 'DISABLED' : 'DISABLING';
  };
  const rules = (t: TableData, index: string | undefined, i: Insights) => {
    const base = `DynamoDBContributorInsights-%s-${t.rec.name}${index ? `-${index}` : ''}-${t.rec.createdAt}`;
    const kinds = i.mode === 'THROTTLED_KEYS' ? ['PKT', 'SKT'] : ['PKC', 'SKC', 'PKT', 'SKT'];
    const hasRange = index ? t.rec.gsis?.find((g) => g.IndexName === index)?.KeySchema.length === 2 : !!t.rangeKey;
    return kinds.filter((k) => hasRange || k.startsWith('P')).map((k) => base.replace('%s', k));
  };

  return {
    DescribeLimits() {
      return { AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 };
    },

    DescribeEndpoints(_input, ctx) {
      return { Endpoints: [{ Address: `dynamodb.${scopeOf(ctx).region}.amazonaws.com`, CachePeriodInMinutes: 1440 }] };
    },

    PutResourcePolicy(input, ctx) {
      const { t } = resource(ctx, input.ResourceArn);
      if (Buffer.byteLength(input.Policy) > POLICY_LIMIT) throw invalid(`Resource-based policy size exceeds the maximum allowed size of ${POLICY_LIMIT} bytes`);
      let doc: unknown;
      try {
        doc = JSON.parse(input.Policy);
      } catch {
        throw invalid('Invalid policy document: the policy is not valid JSON');
      }
      if (!doc || typeof doc !== 'object' || !('Statement' in doc)) throw invalid('Invalid policy document: the policy must contain a Statement');
      const scope = scopeOf(ctx);
      const cur = policies.get(scope, pkey(t, input.ResourceArn));
      if (input.ExpectedRevisionId !== undefined && cur?.revision !== input.ExpectedRevisionId) throw noPolicy(input.ResourceArn);
      const revision = revisionId(clock.now());
      policies.put(scope, pkey(t, input.ResourceArn), { doc: input.Policy, revision });
      return { RevisionId: revision };
    },

    GetResourcePolicy(input, ctx) {
      const { t } = resource(ctx, input.ResourceArn);
      const p = policies.get(scopeOf(ctx), pkey(t, input.ResourceArn));
      if (!p) throw noPolicy(input.ResourceArn);
      return { Policy: p.doc, RevisionId: p.revision };
    },

    DeleteResourcePolicy(input, ctx) {
      const { t } = resource(ctx, input.ResourceArn);
      const scope = scopeOf(ctx);
      const p = policies.get(scope, pkey(t, input.ResourceArn));
      if (!p || (input.ExpectedRevisionId !== undefined && p.revision !== input.ExpectedRevisionId)) throw noPolicy(input.ResourceArn);
      policies.delete(scope, pkey(t, input.ResourceArn));
      return { RevisionId: p.revision };
    },

    UpdateContributorInsights(input, ctx) {
      checkEnum(input.ContributorInsightsAction, 'contributorInsightsAction', ['ENABLE', 'DISABLE']);
      checkEnum(input.ContributorInsightsMode, 'contributorInsightsMode', ['ACCESSED_AND_THROTTLED_KEYS', 'THROTTLED_KEYS']);
      const t = table(ctx, input.TableName, input.IndexName);
      const scope = scopeOf(ctx);
      const cur = insights.get(scope, ikey(t, input.IndexName));
      const enable = input.ContributorInsightsAction === 'ENABLE';
      const st = status(cur);
      if (st === 'ENABLING' || st === 'DISABLING') throw new AwsError('ResourceInUseException', `Attempt to change a resource which is still in use: Contributor Insights is ${st.toLowerCase()} for table: ${t.rec.name}`, 400);
      const mode = input.ContributorInsightsMode ?? cur?.mode ?? 'ACCESSED_AND_THROTTLED_KEYS';
      const next: Insights = { enabled: enable, at: clock.now(), mode };
      insights.put(scope, ikey(t, input.IndexName), next);
      return { TableName: t.rec.name, ...(input.IndexName ? { IndexName: input.IndexName } : {}), ContributorInsightsStatus: status(next), ContributorInsightsMode: mode };
    },

    DescribeContributorInsights(input, ctx) {
      const t = table(ctx, input.TableName, input.IndexName);
      const i = insights.get(scopeOf(ctx), ikey(t, input.IndexName));
      const st = status(i);
      return {
        TableName: t.rec.name, ...(input.IndexName ? { IndexName: input.IndexName } : {}), ContributorInsightsStatus: st,
        ...(i ? { LastUpdateDateTime: new Date(i.at), ContributorInsightsMode: i.mode } : {}),
        ...(i && st === 'ENABLED' ? { ContributorInsightsRuleList: rules(t, input.IndexName, i) } : {}),
      };
    },

    ListContributorInsights(input, ctx) {
      const scope = scopeOf(ctx);
      if (input.MaxResults !== undefined && (input.MaxResults < 0 || input.MaxResults > 100)) {
        throw invalid(`1 validation error detected: Value '${input.MaxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100`);
      }
      if (input.TableName !== undefined) table(ctx, input.TableName);
      const rows: T.ContributorInsightsSummary[] = [];
      for (const name of state.names(scope)) {
        if (input.TableName !== undefined && name !== input.TableName) continue;
        const t = state.get(scope, name)!;
        for (const index of [undefined, ...(t.rec.gsis ?? []).map((g) => g.IndexName)]) {
          const i = insights.get(scope, ikey(t, index));
          if (!i) continue;
          rows.push({ TableName: name, ...(index ? { IndexName: index } : {}), ContributorInsightsStatus: status(i), ContributorInsightsMode: i.mode });
        }
      }
      const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64url').toString()) || 0 : 0;
      const size = input.MaxResults || 100;
      const page = rows.slice(start, start + size);
      return { ContributorInsightsSummaries: page, ...(start + size < rows.length ? { NextToken: Buffer.from(String(start + size)).toString('base64url') } : {}) };
    },
  };
}

/** CreateTable's ResourcePolicy, stored as PutResourcePolicy would. */
export function createTablePolicy(state: DynamoState, ctx: RequestContext, t: TableData, policy: string): void {
  state.rt.table<Policy>('policies').put(scopeOf(ctx), `${t.rec.id}|${t.rec.arn}`, { doc: policy, revision: revisionId(state.rt.clock.now()) });
}
