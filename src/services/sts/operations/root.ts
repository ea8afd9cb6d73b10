/**
 * AssumeRoot: a short privileged session as the root user of a member account, for one of AWS's
 * root task policies. Needs centralized root access: the caller is an IAM principal (never a root
 * user) of the organization's management account or of IAM's delegated administrator, the
 * organization has RootSessions enabled (IAM's EnableOrganizationsRootSessions, over all features
 * and trusted access for IAM), and the target is another member account. The session is that
 * account's root limited by the task policy (the policy engine adds it to the root's policies).
 */
import type { ServiceRuntime } from '../../service.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { Table } from '../../../state/store.js';
import type { AssumeRootRequest, AssumeRootResponse } from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { PARTITION } from '../../../core/regions.js';
import { rootAccessFeatures } from '../../iam/internal.js';
import { Constraints } from '../validation.js';
import { callerOf, type Session } from '../sessions.js';
import { credentials, issuer } from '../issue.js';

const DEFAULT_SECONDS = 900;
const MAX_TOKEN_SIZE = 4096;
/** AWS's root task policies (arn:aws:iam::aws:policy/root-task/…). */
const TASK_POLICIES = ['IAMAuditRootUserCredentials', 'IAMCreateRootUserPassword', 'IAMDeleteRootUserCredentials', 'S3UnlockBucketPolicy', 'SQSUnlockQueuePolicy']
  .map((n) => `arn:${PARTITION}:iam::aws:policy/root-task/${n}`);

export function rootOperations(rt: ServiceRuntime, sessions: Table<Session>) {
  const issue = issuer(rt, sessions);
  return {
    AssumeRoot(input: AssumeRootRequest, ctx: RequestContext): AssumeRootResponse {
      new Constraints()
        .length('targetPrincipal', input.TargetPrincipal, 12, 2048)
        .length('taskPolicyArn.arn', input.TaskPolicyArn?.arn, 20, 2048)
        .range('durationSeconds', input.DurationSeconds, 0, 900)
        .range('minimumSessionTokenSize', input.MinimumSessionTokenSize, 0, MAX_TOKEN_SIZE)
        .throwIfAny();
      const task = input.TaskPolicyArn?.arn;
      if (!task || !TASK_POLICIES.includes(task)) throw new AwsError('ValidationError', `TaskPolicyArn ${task} is not a root task policy. Use one of: ${TASK_POLICIES.join(', ')}`, 400);
      const caller = callerOf(sessions, ctx, rt.store);
      const denied = (why: string) => new AwsError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRoot on resource: arn:${PARTITION}:iam::${input.TargetPrincipal}:root because ${why}`, 403);
      if (caller.principalArn.endsWith(':root')) throw denied('root user credentials cannot call AssumeRoot');
      const access = rootAccessFeatures(rt.store, caller.account);
      if (!access) throw denied('the account is not a member of an organization');
      const { org, features } = access;
      if (org.managementAccount !== caller.account && !org.delegatedAdministrators('iam.amazonaws.com').includes(caller.account)) {
        throw denied('the account is neither the management account nor the delegated administrator for IAM');
      }
      if (!features.includes('RootSessions')) throw denied('root sessions are not enabled for the organization');
      const target = org.accounts.find((a) => a.id === input.TargetPrincipal);
      if (!/^\d{12}$/.test(input.TargetPrincipal) || !target) throw denied('the target is not a member account of the organization');
      if (target.id === org.managementAccount) throw denied('the target is the management account of the organization');
      const rootArn = `arn:${PARTITION}:iam::${target.id}:root`;
      const s = issue(target.id, input.DurationSeconds ?? DEFAULT_SECONDS, {
        kind: 'root',
        arn: rootArn,
        userId: target.id,
        principalArn: rootArn,
        policyArns: [task],
        sourceIdentity: caller.session?.sourceIdentity,
        mfaAuthTime: caller.session?.mfaAuthTime,
      });
      if (input.MinimumSessionTokenSize && s.sessionToken.length < input.MinimumSessionTokenSize) {
        s.sessionToken = s.sessionToken.padEnd(input.MinimumSessionTokenSize, 'A');
        sessions.put({ account: target.id, region: '' }, s.accessKeyId, s);
      }
      return { Credentials: credentials(s), SourceIdentity: s.sourceIdentity, SessionTokenSize: s.sessionToken.length };
    },
  };
}
