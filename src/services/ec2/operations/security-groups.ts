/**
 * Security groups: the default group of each VPC (all traffic from itself in, all out),
 * CreateSecurityGroup with AWS's name rules and the default allow-all egress rule,
 * Authorize/Revoke Ingress/Egress over IpPermissions (or the legacy flat parameters), one rule
 * (`sgr-…`) per peer, DescribeSecurityGroups / DescribeSecurityGroupRules, DeleteSecurityGroup.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { isIpv6Cidr, parseCidr4 } from '../domain/cidr.js';
import { newId, NOT_FOUND, tagsFor, tagsOut, type Ec2State, type SgRec, type SgRuleRec } from '../state.js';
import type { Scope } from '../../../state/store.js';
import { plNotFound, prefixListCidrs, prefixListWeight } from './prefix-lists.js';

const PROTOCOLS: Record<string, string> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', icmpv6: 'icmpv6', '58': 'icmpv6', '-1': '-1', all: '-1' };
const hasPorts = (p: string) => p === 'tcp' || p === 'udp' || p === 'icmp' || p === 'icmpv6';

export function protocolOf(p: string | undefined): string {
  if (p === undefined || p === '') throw new AwsError('MissingParameter', 'The request must contain the parameter ipProtocol', 400);
  const known = PROTOCOLS[p.toLowerCase()];
  if (known) return known;
  if (/^\d+$/.test(p) && Number(p) <= 255) return String(Number(p));
  throw new AwsError('InvalidParameterValue', `Invalid value '${p}' for IP protocol. Unknown protocol.`, 400);
}

export function portsOf(protocol: string, from: number | undefined, to: number | undefined): { from?: number; to?: number } {
  if (!hasPorts(protocol)) return {};
  if (protocol === 'tcp' || protocol === 'udp') {
    if (from === undefined || to === undefined) {
      throw new AwsError('InvalidParameterValue', `Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.`, 400);
    }
    if (from < 0 || to > 65535 || from > to) {
      if (from === -1 && to === -1) return { from: 0, to: 65535 };
      throw new AwsError('InvalidParameterValue', `Invalid TCP/UDP port range ${from}-${to}. Ports must be between 0 and 65535 and from port must not exceed to port.`, 400);
    }
    return { from, to };
  }
  const type = from ?? -1;
  const code = to ?? -1;
  if (type < -1 || type > 255 || code < -1 || code > 255) throw new AwsError('InvalidParameterValue', `Invalid ICMP type/code ${type}/${code}.`, 400);
  return { from: type, to: code };
}

const protoLabel = (p: string) => (p === '-1' ? 'ALL' : ['tcp', 'udp', 'icmp', 'icmpv6'].includes(p) ? p.toUpperCase() : p);
const peerOf = (r: SgRuleRec) => r.cidr4 ?? r.cidr6 ?? r.pl ?? r.ref?.groupId ?? '';
export const sameRule = (a: SgRuleRec, b: SgRuleRec) =>
  a.egress === b.egress && a.protocol === b.protocol && a.from === b.from && a.to === b.to && peerOf(a) === peerOf(b) && !!a.cidr6 === !!b.cidr6;

export function describeRule(r: SgRuleRec): string {
  const ports = r.protocol === 'tcp' || r.protocol === 'udp' ? `, from port: ${r.from}, to port: ${r.to}` : r.from !== undefined ? `, type: ${r.from}, code: ${r.to}` : '';
  return `peer: ${peerOf(r)}, ${protoLabel(r.protocol)}${ports}, ALLOW`;
}

/** One rule per peer of each IpPermission. */
export function rulesOf(st: Ec2State, scope: Scope, egress: boolean, perms: T.IpPermission[], tags: T.Tag[]): SgRuleRec[] {
  const out: SgRuleRec[] = [];
  for (const p of perms) {
    const protocol = protocolOf(p.IpProtocol);
    const ports = portsOf(protocol, p.FromPort, p.ToPort);
    const base = () => ({ id: newId('sgr'), egress, protocol, ...ports, tags: tags.map((t) => ({ ...t })) });
    for (const r of p.IpRanges ?? []) {
      const c = parseCidr4(r.CidrIp);
      if (!c) throw new AwsError('InvalidParameterValue', `CIDR block ${r.CidrIp} is malformed`, 400);
      out.push({ ...base(), cidr4: r.CidrIp!, description: r.Description });
    }
    for (const r of p.Ipv6Ranges ?? []) {
      if (!isIpv6Cidr(r.CidrIpv6)) throw new AwsError('InvalidParameterValue', `CIDR block ${r.CidrIpv6} is malformed`, 400);
      out.push({ ...base(), cidr6: r.CidrIpv6!, description: r.Description });
    }
    for (const r of p.PrefixListIds ?? []) {
      if (!r.PrefixListId?.startsWith('pl-')) throw new AwsError('InvalidPrefixListId.Malformed', `Invalid id: "${r.PrefixListId}" (expecting "pl-...")`, 400);
      if (!prefixListCidrs(st, scope, r.PrefixListId)) throw plNotFound(r.PrefixListId);
      out.push({ ...base(), pl: r.PrefixListId, description: r.Description });
    }
    for (const r of p.UserIdGroupPairs ?? []) {
      const g = r.GroupId ? st.sg(scope, r.GroupId) : groupByName(st, scope, r.GroupName);
      out.push({ ...base(), ref: { groupId: g.id, userId: r.UserId ?? scope.account }, description: r.Description });
    }
    if (!p.IpRanges?.length && !p.Ipv6Ranges?.length && !p.PrefixListIds?.length && !p.UserIdGroupPairs?.length) {
      throw new AwsError('InvalidParameterValue', 'The request must contain at least one of IpRanges, Ipv6Ranges, PrefixListIds or UserIdGroupPairs.', 400);
    }
  }
  return out;
}

function groupByName(st: Ec2State, scope: Scope, name: string | undefined): SgRec {
  const vpcId = st.defaultVpcId(scope);
  const g = [...st.sgs.values(scope)].find((x) => x.vpcId === vpcId && x.name === name);
  if (!g) throw new AwsError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpcId ?? 'none'}'`, 400);
  return g;
}

export function targetGroup(st: Ec2State, scope: Scope, input: { GroupId?: string; GroupName?: string }): SgRec {
  if (input.GroupId) return st.sg(scope, input.GroupId);
  if (input.GroupName) return groupByName(st, scope, input.GroupName);
  throw new AwsError('MissingParameter', 'The request must contain the parameter groupName or groupId', 400);
}

/** IpPermissions of the request, or the one permission the legacy flat parameters describe. */
function permissionsOf(input: T.AuthorizeSecurityGroupIngressRequest): T.IpPermission[] {
  if (input.IpPermissions?.length) return input.IpPermissions;
  if (input.IpProtocol !== undefined || input.CidrIp !== undefined || input.SourceSecurityGroupName !== undefined) {
    const p: T.IpPermission = { IpProtocol: input.IpProtocol ?? '-1', FromPort: input.FromPort, ToPort: input.ToPort };
    if (input.CidrIp !== undefined) p.IpRanges = [{ CidrIp: input.CidrIp }];
    if (input.SourceSecurityGroupName !== undefined) p.UserIdGroupPairs = [{ GroupName: input.SourceSecurityGroupName, UserId: input.SourceSecurityGroupOwnerId }];
    return [p];
  }
  throw new AwsError('MissingParameter', 'The request must contain the parameter ipPermissions', 400);
}

function renderPermissions(rules: SgRuleRec[]): T.IpPermission[] {
  const out: T.IpPermission[] = [];
  const byKey = new Map<string, T.IpPermission>();
  for (const r of rules) {
    const key = `${r.protocol}/${r.from}/${r.to}`;
    let p = byKey.get(key);
    if (!p) {
      p = { IpProtocol: r.protocol, FromPort: r.from, ToPort: r.to, UserIdGroupPairs: [], IpRanges: [], Ipv6Ranges: [], PrefixListIds: [] };
      byKey.set(key, p);
      out.push(p);
    }
    if (r.cidr4) p.IpRanges!.push({ CidrIp: r.cidr4, Description: r.description });
    else if (r.cidr6) p.Ipv6Ranges!.push({ CidrIpv6: r.cidr6, Description: r.description });
    else if (r.pl) p.PrefixListIds!.push({ PrefixListId: r.pl, Description: r.description });
    else if (r.ref) p.UserIdGroupPairs!.push({ UserId: r.ref.userId, GroupId: r.ref.groupId, Description: r.description });
  }
  return out;
}

function renderGroup(scope: Scope, g: SgRec): T.SecurityGroup {
  return {
    GroupId: g.id,
    IpPermissionsEgress: renderPermissions(g.rules.filter((r) => r.egress)),
    Tags: tagsOut(g.tags),
    VpcId: g.vpcId,
    SecurityGroupArn: `arn:aws:ec2:${scope.region}:${scope.account}:security-group/${g.id}`,
    OwnerId: scope.account,
    GroupName: g.name,
    Description: g.description,
    IpPermissions: renderPermissions(g.rules.filter((r) => !r.egress)),
  };
}

export function renderRule(scope: Scope, g: SgRec, r: SgRuleRec): T.SecurityGroupRule {
  return {
    SecurityGroupRuleId: r.id,
    GroupId: g.id,
    GroupOwnerId: scope.account,
    IsEgress: r.egress,
    IpProtocol: r.protocol,
    FromPort: r.from ?? -1,
    ToPort: r.to ?? -1,
    CidrIpv4: r.cidr4,
    CidrIpv6: r.cidr6,
    PrefixListId: r.pl,
    ReferencedGroupInfo: r.ref ? { GroupId: r.ref.groupId, UserId: r.ref.userId } : undefined,
    Description: r.description,
    Tags: r.tags.map((t) => ({ ...t })),
    SecurityGroupRuleArn: `arn:aws:ec2:${scope.region}:${scope.account}:security-group-rule/${r.id}`,
  };
}

const perms = (g: T.SecurityGroup, egress: boolean) => (egress ? g.IpPermissionsEgress : g.IpPermissions) ?? [];
const permFilters = (prefix: string, egress: boolean): FilterFields<T.SecurityGroup> => ({
  [`${prefix}.cidr`]: (g) => perms(g, egress).flatMap((p) => p.IpRanges!.map((r) => r.CidrIp!)),
  [`${prefix}.ipv6-cidr`]: (g) => perms(g, egress).flatMap((p) => p.Ipv6Ranges!.map((r) => r.CidrIpv6!)),
  [`${prefix}.prefix-list-id`]: (g) => perms(g, egress).flatMap((p) => p.PrefixListIds!.map((r) => r.PrefixListId!)),
  [`${prefix}.group-id`]: (g) => perms(g, egress).flatMap((p) => p.UserIdGroupPairs!.map((r) => r.GroupId!)),
  [`${prefix}.from-port`]: (g) => perms(g, egress).map((p) => String(p.FromPort ?? -1)),
  [`${prefix}.to-port`]: (g) => perms(g, egress).map((p) => String(p.ToPort ?? -1)),
  [`${prefix}.protocol`]: (g) => perms(g, egress).map((p) => p.IpProtocol!),
  [`${prefix}.user-id`]: (g) => perms(g, egress).flatMap((p) => p.UserIdGroupPairs!.map((r) => r.UserId!)),
});
const SG_FILTERS: FilterFields<T.SecurityGroup> = {
  description: (g) => g.Description,
  'group-id': (g) => g.GroupId,
  'group-name': (g) => g.GroupName,
  'owner-id': (g) => g.OwnerId,
  'vpc-id': (g) => g.VpcId,
  ...permFilters('ip-permission', false),
  ...permFilters('egress.ip-permission', true),
};
const RULE_FILTERS: FilterFields<T.SecurityGroupRule> = {
  'group-id': (r) => r.GroupId,
  'security-group-rule-id': (r) => r.SecurityGroupRuleId,
};

export function securityGroupOperations(st: Ec2State) {
  function authorize(egress: boolean) {
    return (input: T.AuthorizeSecurityGroupIngressRequest, ctx: RequestContext): T.AuthorizeSecurityGroupIngressResult => {
      const scope = st.scope(ctx);
      const g = targetGroup(st, scope, input);
      const added = rulesOf(st, scope, egress, permissionsOf(input), tagsFor(input.TagSpecifications, 'security-group-rule'));
      for (const [i, r] of added.entries()) {
        if (g.rules.some((x) => sameRule(x, r)) || added.slice(0, i).some((x) => sameRule(x, r))) {
          throw new AwsError('InvalidPermission.Duplicate', `the specified rule "${describeRule(r)}" already exists`, 400);
        }
      }
      dryRun(input);
      // A prefix list reference counts as its MaxEntries rules.
      const weight = (x: SgRuleRec) => (x.pl ? prefixListWeight(st, scope, x.pl) : 1);
      const used = g.rules.filter((x) => x.egress === egress).reduce((n, x) => n + weight(x), 0);
      if (used + added.reduce((n, x) => n + weight(x), 0) > 60) {
        throw new AwsError('RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per security group has been reached.', 400);
      }
      g.rules.push(...added);
      st.sgs.put(scope, g.id, g);
      return { Return: true, SecurityGroupRules: added.map((r) => renderRule(scope, g, r)) };
    };
  }

  function revoke(egress: boolean) {
    return (input: T.RevokeSecurityGroupIngressRequest, ctx: RequestContext): T.RevokeSecurityGroupIngressResult => {
      const scope = st.scope(ctx);
      const g = targetGroup(st, scope, input);
      let gone: SgRuleRec[];
      if (input.SecurityGroupRuleIds?.length) {
        gone = input.SecurityGroupRuleIds.map((id) => {
          const r = g.rules.find((x) => x.id === id && x.egress === egress);
          if (!r) throw new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`, 400);
          return r;
        });
      } else {
        gone = rulesOf(st, scope, egress, permissionsOf(input), []).map((want) => {
          const r = g.rules.find((x) => sameRule(x, want));
          if (!r) throw new AwsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.', 400);
          return r;
        });
      }
      dryRun(input);
      g.rules = g.rules.filter((r) => !gone.includes(r));
      st.sgs.put(scope, g.id, g);
      return {
        Return: true,
        RevokedSecurityGroupRules: gone.map((r) => ({
          SecurityGroupRuleId: r.id,
          GroupId: g.id,
          IsEgress: r.egress,
          IpProtocol: r.protocol,
          FromPort: r.from ?? -1,
          ToPort: r.to ?? -1,
          CidrIpv4: r.cidr4,
          CidrIpv6: r.cidr6,
          PrefixListId: r.pl,
          ReferencedGroupId: r.ref?.groupId,
          Description: r.description,
        })),
      };
    };
  }

  return {
    CreateSecurityGroup(input: T.CreateSecurityGroupRequest, ctx: RequestContext): T.CreateSecurityGroupResult {
      const scope = st.scope(ctx);
      const name = input.GroupName;
      if (!name) throw new AwsError('MissingParameter', 'The request must contain the parameter groupName', 400);
      if (input.Description === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter GroupDescription', 400);
      if (name.length > 255) throw new AwsError('InvalidParameterValue', `Invalid value '${name}' for groupName. Length exceeds maximum of 255`, 400);
      if (name.toLowerCase().startsWith('sg-')) throw new AwsError('InvalidParameterValue', 'Group names may not be in the format sg-*.', 400);
      if (name === 'default') throw new AwsError('InvalidGroup.Reserved', "The security group 'default' is reserved", 400);
      const vpcId = input.VpcId ?? st.defaultVpcId(scope);
      if (!vpcId) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user', 400);
      const vpc = st.vpc(scope, vpcId);
      if ([...st.sgs.values(scope)].some((g) => g.vpcId === vpc.id && g.name === name)) {
        throw new AwsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpc.id}'`, 400);
      }
      const tags = tagsFor(input.TagSpecifications, 'security-group');
      dryRun(input);
      const g: SgRec = {
        id: newId('sg'),
        name,
        description: input.Description,
        vpcId: vpc.id,
        isDefault: false,
        rules: [{ id: newId('sgr'), egress: true, protocol: '-1', cidr4: '0.0.0.0/0', tags: [] }],
        tags,
      };
      st.sgs.put(scope, g.id, g);
      return { GroupId: g.id, SecurityGroupArn: `arn:aws:ec2:${scope.region}:${scope.account}:security-group/${g.id}`, Tags: tagsOut(tags) };
    },

    DeleteSecurityGroup(input: T.DeleteSecurityGroupRequest, ctx: RequestContext): T.DeleteSecurityGroupResult {
      const scope = st.scope(ctx);
      const g = targetGroup(st, scope, input);
      dryRun(input);
      if (g.isDefault) throw new AwsError('CannotDelete', `the specified group: "${g.id}" name: "default" cannot be deleted by a user`, 400);
      const referenced = [...st.sgs.values(scope)].some((o) => o.id !== g.id && o.rules.some((r) => r.ref?.groupId === g.id));
      // A group still used by a network interface (an instance's, an endpoint's or a standalone one) cannot go.
      const inUse = [...st.enis.values(scope)].some((e) => e.sgIds.includes(g.id));
      if (referenced || inUse) throw new AwsError('DependencyViolation', `resource ${g.id} has a dependent object`, 400);
      st.sgs.delete(scope, g.id);
      return { Return: true, GroupId: g.id };
    },

    DescribeSecurityGroups(input: T.DescribeSecurityGroupsRequest, ctx: RequestContext): T.DescribeSecurityGroupsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...st.sgs.values(scope)];
      if (input.GroupIds?.length) {
        const missing = input.GroupIds.find((id) => !st.sgs.has(scope, id));
        if (missing) throw NOT_FOUND.sg(missing);
        all = all.filter((g) => input.GroupIds!.includes(g.id));
      }
      if (input.GroupNames?.length) {
        const named = input.GroupNames.map((n) => groupByName(st, scope, n));
        all = all.filter((g) => named.includes(g));
      }
      const out = applyFilters(all.map((g) => renderGroup(scope, g)), input.Filters, SG_FILTERS, (g) => g.Tags);
      const { page, NextToken } = paginate(out, input);
      return { SecurityGroups: page, NextToken };
    },

    DescribeSecurityGroupRules(input: T.DescribeSecurityGroupRulesRequest, ctx: RequestContext): T.DescribeSecurityGroupRulesResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let rules = [...st.sgs.values(scope)].flatMap((g) => g.rules.map((r) => renderRule(scope, g, r)));
      if (input.SecurityGroupRuleIds?.length) {
        const missing = input.SecurityGroupRuleIds.find((id) => !rules.some((r) => r.SecurityGroupRuleId === id));
        if (missing) throw new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${missing}' does not exist`, 400);
        rules = rules.filter((r) => input.SecurityGroupRuleIds!.includes(r.SecurityGroupRuleId!));
      }
      const out = applyFilters(rules, input.Filters, RULE_FILTERS, (r) => r.Tags);
      const { page, NextToken } = paginate(out, input);
      return { SecurityGroupRules: page, NextToken };
    },

    AuthorizeSecurityGroupIngress: authorize(false),
    AuthorizeSecurityGroupEgress: authorize(true),
    RevokeSecurityGroupIngress: revoke(false),
    RevokeSecurityGroupEgress: revoke(true),
  };
}
