/**
 * Changing security group rules in place: ModifySecurityGroupRules (a rule keeps its id and takes
 * a new protocol, ports, peer and description) and UpdateSecurityGroupRuleDescriptionsIngress/
 * Egress (by rule id, or by matching IpPermissions).
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { dryRun } from '../common.js';
import { isIpv6Cidr, parseCidr4 } from '../domain/cidr.js';
import type { Ec2State, SgRec, SgRuleRec } from '../state.js';
import { plNotFound, prefixListCidrs } from './prefix-lists.js';
import { describeRule, portsOf, protocolOf, rulesOf, sameRule, targetGroup } from './security-groups.js';

const ruleNotFound = (id: string) => new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`, 400);

export function securityGroupRuleOperations(st: Ec2State) {
  function updateDescriptions(egress: boolean) {
    return (input: T.UpdateSecurityGroupRuleDescriptionsIngressRequest, ctx: RequestContext): T.UpdateSecurityGroupRuleDescriptionsIngressResult => {
      const scope = st.scope(ctx);
      const g = targetGroup(st, scope, input);
      const updates: [SgRuleRec, string | undefined][] = [];
      if (input.SecurityGroupRuleDescriptions?.length) {
        for (const d of input.SecurityGroupRuleDescriptions) {
          const r = g.rules.find((x) => x.id === d.SecurityGroupRuleId && x.egress === egress);
          if (!r) throw ruleNotFound(d.SecurityGroupRuleId ?? '');
          updates.push([r, d.Description]);
        }
      } else if (input.IpPermissions?.length) {
        for (const want of rulesOf(st, scope, egress, input.IpPermissions, [])) {
          const r = g.rules.find((x) => sameRule(x, want));
          if (!r) throw new AwsError('InvalidPermission.NotFound', `The specified rule "${describeRule(want)}" does not exist in this security group.`, 400);
          updates.push([r, want.description]);
        }
      } else {
        throw new AwsError('MissingParameter', 'The request must contain the parameter IpPermissions or SecurityGroupRuleDescriptions', 400);
      }
      dryRun(input);
      for (const [r, d] of updates) r.description = d;
      st.sgs.put(scope, g.id, g);
      return { Return: true };
    };
  }

  return {
    ModifySecurityGroupRules(input: T.ModifySecurityGroupRulesRequest, ctx: RequestContext): T.ModifySecurityGroupRulesResult {
      const scope = st.scope(ctx);
      const g: SgRec = st.sg(scope, input.GroupId);
      if (!input.SecurityGroupRules?.length) throw new AwsError('MissingParameter', 'The request must contain the parameter SecurityGroupRules', 400);
      const next = new Map<string, SgRuleRec>();
      for (const u of input.SecurityGroupRules) {
        const r = g.rules.find((x) => x.id === u.SecurityGroupRuleId);
        if (!r) throw ruleNotFound(u.SecurityGroupRuleId);
        const q = u.SecurityGroupRule;
        if (!q) throw new AwsError('MissingParameter', 'The request must contain the parameter SecurityGroupRule', 400);
        const peers = [q.CidrIpv4, q.CidrIpv6, q.PrefixListId, q.ReferencedGroupId].filter((x) => x !== undefined);
        if (peers.length !== 1) throw new AwsError('InvalidParameterCombination', 'Exactly one of CidrIpv4, CidrIpv6, PrefixListId and ReferencedGroupId must be specified.', 400);
        const protocol = protocolOf(q.IpProtocol);
        const rule: SgRuleRec = { id: r.id, egress: r.egress, protocol, ...portsOf(protocol, q.FromPort, q.ToPort), description: q.Description, tags: r.tags };
        if (q.CidrIpv4 !== undefined) {
          if (!parseCidr4(q.CidrIpv4)) throw new AwsError('InvalidParameterValue', `CIDR block ${q.CidrIpv4} is malformed`, 400);
          rule.cidr4 = q.CidrIpv4;
        } else if (q.CidrIpv6 !== undefined) {
          if (!isIpv6Cidr(q.CidrIpv6)) throw new AwsError('InvalidParameterValue', `CIDR block ${q.CidrIpv6} is malformed`, 400);
          rule.cidr6 = q.CidrIpv6;
        } else if (q.PrefixListId !== undefined) {
          if (!prefixListCidrs(st, scope, q.PrefixListId)) throw plNotFound(q.PrefixListId);
          rule.pl = q.PrefixListId;
        } else {
          rule.ref = { groupId: st.sg(scope, q.ReferencedGroupId).id, userId: scope.account };
        }
        const clash = g.rules.find((x) => x.id !== r.id && !next.has(x.id) && sameRule(x, rule)) ?? [...next.values()].find((x) => x.id !== r.id && sameRule(x, rule));
        if (clash) throw new AwsError('InvalidPermission.Duplicate', `the specified rule "${describeRule(rule)}" already exists`, 400);
        next.set(r.id, rule);
      }
      dryRun(input);
      g.rules = g.rules.map((r) => next.get(r.id) ?? r);
      st.sgs.put(scope, g.id, g);
      return { Return: true };
    },

    UpdateSecurityGroupRuleDescriptionsIngress: updateDescriptions(false),
    UpdateSecurityGroupRuleDescriptionsEgress: updateDescriptions(true),
  };
}
