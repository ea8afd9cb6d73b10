/**
 * The policy simulator: SimulatePrincipalPolicy, SimulateCustomPolicy,
 * GetContextKeysForPrincipalPolicy, GetContextKeysForCustomPolicy — all on the policy engine
 * (../policy), answering in AWS's shapes (EvaluationResults with MatchedStatements and their
 * positions, MissingContextValues, boundary/organizations details, per-resource results).
 */
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import type { ContextEntry, EvaluationResult, IAMHandlers, OrderedOrganizationPolicyType, ResourceSpecificResult, SimulateCustomPolicyRequest, SimulatePolicyResponse, SimulatePrincipalPolicyRequest, Statement } from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { Constraints, checkArn, invalidInput, noSuchEntity, pageInOrder, validationError } from '../domain/common.js';
import { parsePolicy, type PolicyKind } from '../domain/policy-document.js';
import { contextKeysOf, contextMap, evaluate, normalisePolicy, type EvalPolicies, type EvalPrincipal, type EvalResult, type MatchedStatement, type PolicyInput } from '../policy/index.js';
import { entityPolicies, parseEntityArn, type SourcePolicies } from '../policy/sources.js';
import type { IamContext } from './context.js';

const CONTEXT_TYPES = new Set(['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList']);

/** A policy given in the request, validated as AWS does (InvalidInput for these operations). */
function inputPolicy(text: string, id: string, type: string, kind: PolicyKind): PolicyInput {
  try {
    parsePolicy(text, kind);
  } catch (e) {
    if (e instanceof AwsError) throw invalidInput(e.message);
    throw e;
  }
  return { id, type, label: id, policy: normalisePolicy(text) };
}

function checkCommon(c: Constraints, input: { ActionNames?: string[]; ContextEntries?: ContextEntry[]; ResourceArns?: string[]; MaxItems?: number; Marker?: string; CallerArn?: string; ResourceOwner?: string; ResourceHandlingOption?: string }): Constraints {
  (input.ActionNames ?? []).forEach((a, i) => c.length(`actionNames.${i + 1}.member`, a, 3, 128));
  (input.ResourceArns ?? []).forEach((r, i) => c.length(`resourceArns.${i + 1}.member`, r, 1, 2048));
  (input.ContextEntries ?? []).forEach((e, i) => {
    c.length(`contextEntries.${i + 1}.member.contextKeyName`, e.ContextKeyName, 5, 256);
    if (e.ContextKeyType !== undefined && !CONTEXT_TYPES.has(e.ContextKeyType)) {
      throw validationError(`1 validation error detected: Value '${e.ContextKeyType}' at 'contextEntries.${i + 1}.member.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [${[...CONTEXT_TYPES].join(', ')}]`);
    }
  });
  return c
    .length('callerArn', input.CallerArn, 1, 2048)
    .length('resourceOwner', input.ResourceOwner, 1, 2048)
    .length('resourceHandlingOption', input.ResourceHandlingOption, 1, 64)
    .range('maxItems', input.MaxItems, 1, 1000)
    .length('marker', input.Marker, 1, 320);
}

function checkActions(actions: string[]): void {
  for (const a of actions) {
    if (a.includes('*') || a.includes('?')) throw invalidInput(`Action names cannot contain wildcards: ${a}`);
    if (!/^[\w-]+:[\w-]+$/.test(a)) throw invalidInput(`Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.`);
  }
}

const position = (p: { Line: number; Column: number } | undefined) => (p ? { Line: p.Line, Column: p.Column } : undefined);
function statementsOut(matched: MatchedStatement[]): Statement[] {
  return matched.map((m) => ({ SourcePolicyId: m.policy.id, SourcePolicyType: m.policy.type, StartPosition: position(m.statement.start), EndPosition: position(m.statement.end) }));
}

interface SimulationInput {
  ActionNames: string[];
  ResourceArns?: string[];
  ContextEntries?: ContextEntry[];
  CallerArn?: string;
  ResourceOwner?: string;
  MaxItems?: number;
  Marker?: string;
}

/** Runs every action × resource through the engine and shapes AWS's answer. */
function simulate(input: SimulationInput, policies: EvalPolicies, principal: EvalPrincipal | undefined, resourcePolicyGiven: boolean): SimulatePolicyResponse {
  const entries: [string, string[]][] = (input.ContextEntries ?? []).filter((e) => e.ContextKeyName).map((e) => [e.ContextKeyName!, e.ContextKeyValues ?? []]);
  const context = contextMap(entries);
  const ownerAccount = input.ResourceOwner ? /(\d{12})/.exec(input.ResourceOwner)?.[1] : undefined;
  const resources = input.ResourceArns?.length ? input.ResourceArns : undefined;
  const results: EvaluationResult[] = [];
  for (const action of input.ActionNames) {
    for (const resource of resources ?? ['*']) {
      const arnAccount = /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(resource)?.[1];
      const r = evaluate({ action, resource, principal, resourceAccount: arnAccount ?? ownerAccount ?? principal?.account, context }, policies);
      const details = decisionDetails(r, resourcePolicyGiven, !!resources);
      const out: EvaluationResult = {
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: r.decision,
        MatchedStatements: statementsOut(r.matched),
        MissingContextValues: resources ? [] : r.missing,
        EvalDecisionDetails: details,
      };
      if (r.allowedByOrganizations !== undefined) out.OrganizationsDecisionDetail = { AllowedByOrganizations: r.allowedByOrganizations };
      if (r.allowedByBoundary !== undefined) out.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: r.allowedByBoundary };
      if (resources) {
        const rs: ResourceSpecificResult = {
          EvalResourceName: resource,
          EvalResourceDecision: r.decision,
          MatchedStatements: statementsOut(r.matched),
          MissingContextValues: r.missing,
          EvalDecisionDetails: details,
        };
        if (r.allowedByBoundary !== undefined) rs.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: r.allowedByBoundary };
        out.ResourceSpecificResults = [rs];
      }
      results.push(out);
    }
  }
  const pg = pageInOrder(results, input);
  return { EvaluationResults: pg.items, IsTruncated: pg.IsTruncated, Marker: pg.Marker };
}

/**
 * EvalDecisionDetails: for cross-account simulations, how each side decided; within one
 * account present but empty when resources were named; absent for `*`.
 */
function decisionDetails(r: EvalResult, resourcePolicyGiven: boolean, resourcesNamed: boolean): Record<string, string> | undefined {
  if (r.crossAccount && resourcePolicyGiven) {
    const identity = r.identityDecision === 'allowed' && r.allowedByBoundary === false ? 'implicitDeny' : r.identityDecision;
    return { 'IAM Policy': identity, 'Resource Policy': r.resourceDecision ?? 'implicitDeny' };
  }
  return resourcesNamed ? {} : undefined;
}

function organizationPolicies(levels: OrderedOrganizationPolicyType[] | undefined): PolicyInput[][] | undefined {
  if (!levels?.length) return undefined;
  return levels.map((l, i) => (l.ServiceControlPolicyInputList ?? []).map((text, j) => inputPolicy(text, `OrderedOrganizationPolicyInputList.${i + 1}.ServiceControlPolicyInputList.${j + 1}`, 'IAM Policy', 'identity')));
}

export function simulateOperations({ t }: IamContext): IAMHandlers {
  function source(arn: string, ctx: RequestContext): { src: SourcePolicies; entity: NonNullable<ReturnType<typeof parseEntityArn>> } {
    const e = parseEntityArn(arn);
    if (!e) throw invalidInput(`Invalid ARN: ${arn}`);
    const scope = { ...scopeOf(ctx), account: e.account };
    const src = entityPolicies(t, scope, e.kind, e.name);
    if (!src) throw noSuchEntity(`The ${e.kind} with name ${e.name} cannot be found.`);
    return { src, entity: e };
  }
  const extraPolicies = (list: string[] | undefined, name: string): PolicyInput[] => (list ?? []).map((text, i) => inputPolicy(text, `${name}.${i + 1}`, 'IAM Policy', 'identity'));
  const callerOf = (arn: string | undefined): EvalPrincipal | undefined => {
    if (!arn) return undefined;
    const e = parseEntityArn(arn);
    if (!e || e.kind !== 'user') throw invalidInput(`Invalid CallerArn: ${arn}. Only IAM user ARNs can be specified as the caller.`);
    return { arn, account: e.account, principalArn: arn };
  };

  return {
    SimulatePrincipalPolicy(input: SimulatePrincipalPolicyRequest, ctx: RequestContext): SimulatePolicyResponse {
      checkCommon(checkArn(new Constraints(), 'policySourceArn', input.PolicySourceArn), input).throwIfAny();
      checkActions(input.ActionNames);
      const { src, entity } = source(input.PolicySourceArn, ctx);
      const identity = [...src.identity, ...extraPolicies(input.PolicyInputList, 'PolicyInputList')];
      const boundaryInputs = extraPolicies(input.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList');
      const boundary = boundaryInputs.length ? boundaryInputs : src.boundary ? [src.boundary] : undefined;
      const resource = input.ResourcePolicy ? inputPolicy(input.ResourcePolicy, 'ResourcePolicy', 'resource', 'resource') : undefined;
      if (resource && !input.CallerArn && entity.kind !== 'user') {
        throw invalidInput('Caller Arn is required when specifying a resource policy and the policy source is not an IAM user.');
      }
      const principal = callerOf(input.CallerArn) ?? { arn: input.PolicySourceArn, account: entity.account, principalArn: input.PolicySourceArn };
      return simulate(input, { identity, boundary, resource }, principal, !!resource);
    },

    SimulateCustomPolicy(input: SimulateCustomPolicyRequest): SimulatePolicyResponse {
      checkCommon(new Constraints(), input).throwIfAny();
      if (!input.PolicyInputList?.length) throw invalidInput('PolicyInputList must contain at least one policy.');
      checkActions(input.ActionNames);
      const identity = extraPolicies(input.PolicyInputList, 'PolicyInputList');
      const boundaryInputs = extraPolicies(input.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList');
      const resource = input.ResourcePolicy ? inputPolicy(input.ResourcePolicy, 'ResourcePolicy', 'resource', 'resource') : undefined;
      if (resource && !input.CallerArn) throw invalidInput('Caller Arn is required when specifying a resource policy.');
      const scps = organizationPolicies(input.OrderedOrganizationPolicyInputList);
      return simulate(input, { identity, boundary: boundaryInputs.length ? boundaryInputs : undefined, resource, scps }, callerOf(input.CallerArn), !!resource);
    },

    GetContextKeysForPrincipalPolicy(input: { PolicySourceArn: string; PolicyInputList?: string[] }, ctx: RequestContext) {
      checkArn(new Constraints(), 'policySourceArn', input.PolicySourceArn).throwIfAny();
      const { src } = source(input.PolicySourceArn, ctx);
      const extra = (input.PolicyInputList ?? []).map((text) => contextPolicy(text));
      return { ContextKeyNames: contextKeysOf([...src.identity.map((p) => p.policy), ...extra]) };
    },

    GetContextKeysForCustomPolicy(input: { PolicyInputList: string[] }) {
      if (!input.PolicyInputList?.length) throw invalidInput('PolicyInputList must contain at least one policy.');
      return { ContextKeyNames: contextKeysOf(input.PolicyInputList.map((text) => contextPolicy(text))) };
    },
  } as IAMHandlers;
}

/** Any kind of policy (identity or resource-based) for GetContextKeys*: it only has to be JSON of the policy grammar. */
function contextPolicy(text: string) {
  try {
    return normalisePolicy(text);
  } catch {
    throw invalidInput('This policy contains invalid Json');
  }
}
