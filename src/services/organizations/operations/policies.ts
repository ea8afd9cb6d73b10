/**
 * Organization policies of every type: enable/disable a type on the root, create, update,
 * delete, describe, attach/detach, list, and effective policies for management types.
 */
import type { OrganizationsHandlers } from '../generated/types.js';
import { accountArn, constraint, invalidInput, newPolicyId, orgError, ouArn, rootArn, type OrgRec, type PolicyRec } from '../state.js';
import { AUTHZ_TYPES, AWS_MANAGED, MANAGEMENT_TYPES, POLICY_TYPES, awsManagedFor, mergeEffective, validateContent } from '../domain/policies.js';
import {
  accessDenied, callerOrg, checkId, checkTags, findPolicy, kindOf, lineage, mgmtOrg, paginate, policySummary, readOrg,
  rootShape, save, type OrgContext,
} from './context.js';

const policyNotFound = () => orgError('PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.");
const targetNotFound = () => orgError('TargetNotFoundException', "We can't find a root, OU, account, or email that you specified.");
const notEnabled = () => orgError('PolicyTypeNotEnabledException', 'This operation can be performed only for enabled policy types.');
const immutable = () => invalidInput('IMMUTABLE_POLICY', 'You specified a policy that is managed by AWS and can\'t be modified.');

function checkType(type: string | undefined, allowed: readonly string[] = POLICY_TYPES): string {
  if (!type) throw invalidInput('INPUT_REQUIRED', 'You must specify a value for PolicyType.');
  if (!allowed.includes(type)) throw invalidInput('INVALID_ENUM_POLICY_TYPE', 'You specified an invalid policy type string.');
  return type;
}

function requireAllFeatures(o: OrgRec): void {
  if (o.featureSet !== 'ALL') {
    throw orgError('PolicyTypeNotAvailableForOrganizationException', "You can't use the specified policy type with the feature set currently enabled for this organization. For example, you can enable SCPs only after you enable all features in the organization.");
  }
}

function checkName(name: string | undefined): string {
  if (!name) throw invalidInput('INPUT_REQUIRED', 'You must specify a value for Name.');
  if (name.length > 128) throw invalidInput('MAX_LENGTH_EXCEEDED', 'You provided a string parameter that is longer than allowed.');
  return name;
}

function checkDescription(d: string | undefined): string {
  if ((d ?? '').length > 512) throw invalidInput('MAX_LENGTH_EXCEEDED', 'You provided a string parameter that is longer than allowed.');
  return d ?? '';
}

const targetsOf = (o: OrgRec, policyId: string) => Object.entries(o.attachments).filter(([, ids]) => ids.includes(policyId)).map(([t]) => t);
const maxAttachments = (type: string) => ((AUTHZ_TYPES as readonly string[]).includes(type) ? 5 : 10);

function policyOut(o: OrgRec, found: { p: PolicyRec; awsManaged: boolean }) {
  return { Policy: { PolicySummary: policySummary(o, found.p, found.awsManaged), Content: found.p.content } };
}

export function policyOperations(c: OrgContext): OrganizationsHandlers {
  const touch = (o: OrgRec, type: string) => (o.policyChanged[type] = c.now());

  return {
    EnablePolicyType(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const root = checkId('root', input.RootId, 'RootId');
      const type = checkType(input.PolicyType);
      if (root !== o.rootId) throw orgError('RootNotFoundException', "We can't find a root with the RootId that you specified.");
      requireAllFeatures(o);
      if (o.enabledTypes.includes(type)) throw orgError('PolicyTypeAlreadyEnabledException', 'The specified policy type is already enabled.');
      o.enabledTypes.push(type);
      const managed = awsManagedFor(type);
      if (managed) {
        for (const t of [o.rootId, ...Object.keys(o.ous), ...Object.keys(o.accounts)]) {
          const list = (o.attachments[t] ??= []);
          if (!list.includes(managed.id)) list.push(managed.id);
        }
      }
      touch(o, type);
      save(c, o);
      return { Root: rootShape(o) };
    },

    DisablePolicyType(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const root = checkId('root', input.RootId, 'RootId');
      const type = checkType(input.PolicyType);
      if (root !== o.rootId) throw orgError('RootNotFoundException', "We can't find a root with the RootId that you specified.");
      if (!o.enabledTypes.includes(type)) throw notEnabled();
      o.enabledTypes = o.enabledTypes.filter((t) => t !== type);
      for (const [t, ids] of Object.entries(o.attachments)) {
        o.attachments[t] = ids.filter((id) => findPolicy(o, id)?.p.type !== type);
        if (!o.attachments[t]!.length) delete o.attachments[t];
      }
      touch(o, type);
      save(c, o);
      return { Root: rootShape(o) };
    },

    CreatePolicy(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const type = checkType(input.Type);
      const name = checkName(input.Name);
      const description = checkDescription(input.Description);
      requireAllFeatures(o);
      const content = validateContent(type, input.Content ?? '');
      const same = Object.values(o.policies).filter((p) => p.type === type);
      if (same.some((p) => p.name === name) || AWS_MANAGED.some((p) => p.type === type && p.name === name)) {
        throw orgError('DuplicatePolicyException', 'A policy with the same name already exists.');
      }
      if (same.length >= 1000) throw constraint('POLICY_NUMBER_LIMIT_EXCEEDED', 'You attempted to exceed the number of policies of this type that you can have in an organization.');
      const tags = checkTags(input.Tags);
      const p: PolicyRec = { id: newPolicyId(), name, description, type, content, created: c.now() };
      o.policies[p.id] = p;
      if (tags.length) o.tags[p.id] = tags;
      save(c, o);
      return policyOut(o, { p, awsManaged: false });
    },

    UpdatePolicy(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const id = checkId('policy', input.PolicyId, 'PolicyId');
      const found = findPolicy(o, id);
      if (!found) throw policyNotFound();
      if (found.awsManaged) throw immutable();
      const p = found.p;
      const name = input.Name !== undefined ? checkName(input.Name) : p.name;
      const description = input.Description !== undefined ? checkDescription(input.Description) : p.description;
      const content = input.Content !== undefined ? validateContent(p.type, input.Content) : p.content;
      if (name !== p.name && Object.values(o.policies).some((x) => x.type === p.type && x.name === name)) {
        throw orgError('DuplicatePolicyException', 'A policy with the same name already exists.');
      }
      Object.assign(p, { name, description, content });
      touch(o, p.type);
      save(c, o);
      return policyOut(o, found);
    },

    DeletePolicy(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const id = checkId('policy', input.PolicyId, 'PolicyId');
      const found = findPolicy(o, id);
      if (!found) throw policyNotFound();
      if (found.awsManaged) throw immutable();
      if (targetsOf(o, id).length) {
        throw orgError('PolicyInUseException', 'The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.');
      }
      delete o.policies[id];
      delete o.tags[id];
      save(c, o);
    },

    DescribePolicy(input, ctx) {
      const o = readOrg(c, ctx);
      const id = checkId('policy', input.PolicyId, 'PolicyId');
      const found = findPolicy(o, id);
      if (!found) throw policyNotFound();
      return policyOut(o, found);
    },

    AttachPolicy(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const id = checkId('policy', input.PolicyId, 'PolicyId');
      const target = checkId('target', input.TargetId, 'TargetId');
      const found = findPolicy(o, id);
      if (!found) throw policyNotFound();
      if (!kindOf(o, target)) throw targetNotFound();
      const type = found.p.type;
      if (!o.enabledTypes.includes(type)) throw notEnabled();
      const list = (o.attachments[target] ??= []);
      if (list.includes(id)) throw orgError('DuplicatePolicyAttachmentException', 'The selected policy is already attached to the specified target.');
      if (list.filter((x) => findPolicy(o, x)?.p.type === type).length >= maxAttachments(type)) {
        throw constraint('MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED', 'You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time.');
      }
      list.push(id);
      touch(o, type);
      save(c, o);
    },

    DetachPolicy(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const id = checkId('policy', input.PolicyId, 'PolicyId');
      const target = checkId('target', input.TargetId, 'TargetId');
      const found = findPolicy(o, id);
      if (!found) throw policyNotFound();
      if (!kindOf(o, target)) throw targetNotFound();
      const list = o.attachments[target] ?? [];
      if (!list.includes(id)) throw orgError('PolicyNotAttachedException', 'The policy isn\'t attached to the specified target in the specified root.');
      const type = found.p.type;
      if (id === 'p-RCPFullAWSAccess') throw invalidInput('NON_DETACHABLE_POLICY', 'You can\'t detach this AWS Managed Policy.');
      if (type === 'SERVICE_CONTROL_POLICY' && list.filter((x) => findPolicy(o, x)?.p.type === type).length <= 1) {
        throw constraint('MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED', 'You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.');
      }
      o.attachments[target] = list.filter((x) => x !== id);
      if (!o.attachments[target]!.length) delete o.attachments[target];
      touch(o, type);
      save(c, o);
    },

    ListPolicies(input, ctx) {
      const o = readOrg(c, ctx);
      const type = checkType(input.Filter);
      const own = Object.values(o.policies).filter((p) => p.type === type).map((p) => policySummary(o, p));
      const managed = o.featureSet === 'ALL' ? AWS_MANAGED.filter((p) => p.type === type).map((p) => policySummary(o, p, true)) : [];
      const { page, NextToken } = paginate([...managed, ...own], input.MaxResults, input.NextToken);
      return { Policies: page, NextToken };
    },

    ListPoliciesForTarget(input, ctx) {
      const o = readOrg(c, ctx);
      const target = checkId('target', input.TargetId, 'TargetId');
      const type = checkType(input.Filter);
      if (!kindOf(o, target)) throw targetNotFound();
      const all = (o.attachments[target] ?? [])
        .map((id) => findPolicy(o, id))
        .filter((f): f is NonNullable<typeof f> => !!f && f.p.type === type)
        .map((f) => policySummary(o, f.p, f.awsManaged));
      const { page, NextToken } = paginate(all, input.MaxResults, input.NextToken);
      return { Policies: page, NextToken };
    },

    ListTargetsForPolicy(input, ctx) {
      const o = readOrg(c, ctx);
      const id = checkId('policy', input.PolicyId, 'PolicyId');
      if (!findPolicy(o, id)) throw policyNotFound();
      const all = targetsOf(o, id).map((t) => {
        const kind = kindOf(o, t)!;
        if (kind === 'ROOT') return { TargetId: t, Arn: rootArn(o), Name: 'Root', Type: kind };
        if (kind === 'ORGANIZATIONAL_UNIT') return { TargetId: t, Arn: ouArn(o, t), Name: o.ous[t]!.name, Type: kind };
        return { TargetId: t, Arn: accountArn(o, t), Name: o.accounts[t]!.name, Type: kind };
      });
      const { page, NextToken } = paginate(all, input.MaxResults, input.NextToken);
      return { Targets: page, NextToken };
    },

    DescribeEffectivePolicy(input, ctx) {
      const o = callerOrg(c, ctx);
      const type = checkType(input.PolicyType, MANAGEMENT_TYPES);
      const target = input.TargetId ?? ctx.accountId;
      checkId('target', target, 'TargetId');
      const kind = kindOf(o, target);
      if (!kind) throw targetNotFound();
      if (kind !== 'ACCOUNT') throw invalidInput('TARGET_NOT_SUPPORTED', 'You can\'t perform the specified operation on that target entity.');
      if (target !== ctx.accountId && o.mgmt !== ctx.accountId && !o.delegated[ctx.accountId]) throw accessDenied();
      const levels = lineage(o, target).map((t) =>
        (o.attachments[t] ?? []).map((id) => findPolicy(o, id)).filter((f) => f && f.p.type === type).map((f) => f!.p.content),
      );
      if (!levels.some((l) => l.length)) throw orgError('EffectivePolicyNotFoundException', "We can't find an effective policy of the specified type.");
      return {
        EffectivePolicy: {
          PolicyContent: JSON.stringify(mergeEffective(levels)),
          LastUpdatedTimestamp: new Date(o.policyChanged[type] ?? o.created),
          TargetId: target,
          PolicyType: type,
        },
      };
    },
  };
}
