/**
 * Network ACLs: the default ACL of each VPC (allow all, then the `*` deny 32767), custom ACLs
 * that deny everything until given entries, numbered entries 1–32766 per direction, and the
 * one-ACL-per-subnet association (kept on the subnet record).
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { applyFilters, bool, dryRun, paginate, pickIds, type FilterFields } from '../common.js';
import { isIpv6Cidr, parseCidr4 } from '../domain/cidr.js';
import { denyAll, newId, NOT_FOUND, tagsFor, tagsOut, type AclEntryRec, type AclRec, type Ec2State } from '../state.js';
import type { Scope } from '../../../state/store.js';

const PROTOCOL_NUMBERS: Record<string, string> = { tcp: '6', udp: '17', icmp: '1', icmpv6: '58', all: '-1', '-1': '-1' };

function renderEntry(e: AclEntryRec): T.NetworkAclEntry {
  return {
    CidrBlock: e.cidr,
    Ipv6CidrBlock: e.cidr6,
    Egress: e.egress,
    IcmpTypeCode: e.icmp,
    PortRange: e.ports,
    Protocol: e.protocol,
    RuleAction: e.action,
    RuleNumber: e.rule,
  };
}

function renderAcl(st: Ec2State, scope: Scope, a: AclRec): T.NetworkAcl {
  const entries = [...a.entries].sort((x, y) => Number(y.egress) - Number(x.egress) || x.rule - y.rule);
  return {
    Associations: [...st.subnets.values(scope)]
      .filter((s) => s.aclId === a.id)
      .map((s) => ({ NetworkAclAssociationId: s.aclAssocId, NetworkAclId: a.id, SubnetId: s.id })),
    Entries: entries.map(renderEntry),
    IsDefault: a.isDefault,
    NetworkAclId: a.id,
    Tags: tagsOut(a.tags),
    VpcId: a.vpcId,
    OwnerId: scope.account,
  };
}

const ACL_FILTERS: FilterFields<T.NetworkAcl> = {
  'association.association-id': (a) => a.Associations?.map((x) => x.NetworkAclAssociationId!),
  'association.network-acl-id': (a) => a.Associations?.map((x) => x.NetworkAclId!),
  'association.subnet-id': (a) => a.Associations?.map((x) => x.SubnetId!),
  default: (a) => bool(!!a.IsDefault),
  'entry.cidr': (a) => a.Entries?.flatMap((e) => (e.CidrBlock ? [e.CidrBlock] : [])),
  'entry.ipv6-cidr': (a) => a.Entries?.flatMap((e) => (e.Ipv6CidrBlock ? [e.Ipv6CidrBlock] : [])),
  'entry.egress': (a) => a.Entries?.map((e) => bool(!!e.Egress)),
  'entry.icmp.code': (a) => a.Entries?.flatMap((e) => (e.IcmpTypeCode ? [String(e.IcmpTypeCode.Code)] : [])),
  'entry.icmp.type': (a) => a.Entries?.flatMap((e) => (e.IcmpTypeCode ? [String(e.IcmpTypeCode.Type)] : [])),
  'entry.port-range.from': (a) => a.Entries?.flatMap((e) => (e.PortRange ? [String(e.PortRange.From)] : [])),
  'entry.port-range.to': (a) => a.Entries?.flatMap((e) => (e.PortRange ? [String(e.PortRange.To)] : [])),
  'entry.protocol': (a) => a.Entries?.map((e) => e.Protocol!),
  'entry.rule-action': (a) => a.Entries?.map((e) => e.RuleAction!),
  'entry.rule-number': (a) => a.Entries?.map((e) => String(e.RuleNumber)),
  'network-acl-id': (a) => a.NetworkAclId,
  'owner-id': (a) => a.OwnerId,
  'vpc-id': (a) => a.VpcId,
};

function entryOf(input: T.CreateNetworkAclEntryRequest): AclEntryRec {
  const rule = input.RuleNumber;
  if (!Number.isInteger(rule) || rule < 1 || rule > 32766) {
    throw new AwsError('InvalidParameterValue', `Invalid value '${rule}' for ruleNumber. Rule numbers must be between 1 and 32766.`, 400);
  }
  const p = String(input.Protocol ?? '').toLowerCase();
  const protocol = PROTOCOL_NUMBERS[p] ?? (/^\d+$/.test(p) && Number(p) <= 255 ? String(Number(p)) : undefined);
  if (protocol === undefined) throw new AwsError('InvalidParameterValue', `Invalid value '${input.Protocol}' for protocol.`, 400);
  if (input.RuleAction !== 'allow' && input.RuleAction !== 'deny') {
    throw new AwsError('InvalidParameterValue', `Value (${input.RuleAction}) for parameter ruleAction is invalid.`, 400);
  }
  if (!input.CidrBlock === !input.Ipv6CidrBlock) {
    throw new AwsError('InvalidParameterCombination', 'Exactly one of cidrBlock and ipv6CidrBlock must be specified.', 400);
  }
  if (input.CidrBlock && !parseCidr4(input.CidrBlock)) {
    throw new AwsError('InvalidParameterValue', `Value (${input.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`, 400);
  }
  if (input.Ipv6CidrBlock && !isIpv6Cidr(input.Ipv6CidrBlock)) {
    throw new AwsError('InvalidParameterValue', `Value (${input.Ipv6CidrBlock}) for parameter ipv6CidrBlock is invalid. This is not a valid IPv6 CIDR block.`, 400);
  }
  const e: AclEntryRec = { rule, egress: !!input.Egress, protocol, action: input.RuleAction };
  if (input.CidrBlock) e.cidr = input.CidrBlock;
  if (input.Ipv6CidrBlock) e.cidr6 = input.Ipv6CidrBlock;
  if (protocol === '6' || protocol === '17') {
    const from = input.PortRange?.From;
    const to = input.PortRange?.To;
    if (from === undefined || to === undefined) throw new AwsError('InvalidParameterValue', 'TCP/UDP rules must specify a port range.', 400);
    if (from < 0 || to > 65535 || from > to) throw new AwsError('InvalidParameterValue', `Invalid port range ${from}-${to}.`, 400);
    e.ports = { From: from, To: to };
  } else if (protocol === '1' || protocol === '58') {
    if (input.IcmpTypeCode?.Type === undefined || input.IcmpTypeCode.Code === undefined) {
      throw new AwsError('InvalidParameterValue', 'ICMP rules must specify an ICMP type and code.', 400);
    }
    e.icmp = { Code: input.IcmpTypeCode.Code, Type: input.IcmpTypeCode.Type };
  }
  return e;
}

export function networkAclOperations(st: Ec2State) {
  const entryIndex = (a: AclRec, rule: number, egress: boolean) => a.entries.findIndex((e) => e.rule === rule && e.egress === egress);
  return {
    CreateNetworkAcl(input: T.CreateNetworkAclRequest, ctx: RequestContext): T.CreateNetworkAclResult {
      const scope = st.scope(ctx);
      const vpc = st.vpc(scope, input.VpcId);
      const tags = tagsFor(input.TagSpecifications, 'network-acl');
      dryRun(input);
      const ipv6 = vpc.ipv6Assocs.length > 0;
      const a: AclRec = { id: newId('acl'), vpcId: vpc.id, isDefault: false, entries: [...denyAll(true, ipv6), ...denyAll(false, ipv6)], tags };
      st.acls.put(scope, a.id, a);
      return { NetworkAcl: renderAcl(st, scope, a), ClientToken: input.ClientToken };
    },

    DeleteNetworkAcl(input: T.DeleteNetworkAclRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const a = st.acl(scope, input.NetworkAclId);
      dryRun(input);
      if (a.isDefault) throw new AwsError('InvalidParameterValue', `cannot delete default network ACL ${a.id}`, 400);
      if ([...st.subnets.values(scope)].some((s) => s.aclId === a.id)) {
        throw new AwsError('DependencyViolation', `The networkAcl '${a.id}' has dependencies and cannot be deleted.`, 400);
      }
      st.acls.delete(scope, a.id);
    },

    DescribeNetworkAcls(input: T.DescribeNetworkAclsRequest, ctx: RequestContext): T.DescribeNetworkAclsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const all = pickIds([...st.acls.values(scope)], input.NetworkAclIds, (a) => a.id, NOT_FOUND.acl);
      const out = applyFilters(all.map((a) => renderAcl(st, scope, a)), input.Filters, ACL_FILTERS, (a) => a.Tags);
      const { page, NextToken } = paginate(out, input);
      return { NetworkAcls: page, NextToken };
    },

    CreateNetworkAclEntry(input: T.CreateNetworkAclEntryRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const a = st.acl(scope, input.NetworkAclId);
      const e = entryOf(input);
      if (entryIndex(a, e.rule, e.egress) >= 0) {
        throw new AwsError('NetworkAclEntryAlreadyExists', `The network acl entry identified by ${e.rule} already exists.`, 400);
      }
      dryRun(input);
      a.entries.push(e);
      st.acls.put(scope, a.id, a);
    },

    ReplaceNetworkAclEntry(input: T.ReplaceNetworkAclEntryRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const a = st.acl(scope, input.NetworkAclId);
      const e = entryOf(input);
      const i = entryIndex(a, e.rule, e.egress);
      if (i < 0) throw new AwsError('InvalidNetworkAclEntry.NotFound', `The network acl entry identified by ${e.rule} does not exist.`, 400);
      dryRun(input);
      a.entries[i] = e;
      st.acls.put(scope, a.id, a);
    },

    DeleteNetworkAclEntry(input: T.DeleteNetworkAclEntryRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const a = st.acl(scope, input.NetworkAclId);
      if (input.RuleNumber < 1 || input.RuleNumber > 32766) {
        throw new AwsError('InvalidParameterValue', `Invalid value '${input.RuleNumber}' for ruleNumber. Rule numbers must be between 1 and 32766.`, 400);
      }
      const i = entryIndex(a, input.RuleNumber, !!input.Egress);
      if (i < 0) throw new AwsError('InvalidNetworkAclEntry.NotFound', `The network acl entry identified by ${input.RuleNumber} does not exist.`, 400);
      dryRun(input);
      a.entries.splice(i, 1);
      st.acls.put(scope, a.id, a);
    },

    ReplaceNetworkAclAssociation(input: T.ReplaceNetworkAclAssociationRequest, ctx: RequestContext): T.ReplaceNetworkAclAssociationResult {
      const scope = st.scope(ctx);
      const s = [...st.subnets.values(scope)].find((x) => x.aclAssocId === input.AssociationId);
      if (!s) throw new AwsError('InvalidAssociationID.NotFound', `The association ID '${input.AssociationId}' does not exist`, 400);
      const a = st.acl(scope, input.NetworkAclId);
      if (a.vpcId !== s.vpcId) throw new AwsError('InvalidParameterValue', `Network ACL ${a.id} and subnet ${s.id} belong to different networks`, 400);
      dryRun(input);
      s.aclId = a.id;
      s.aclAssocId = newId('aclassoc');
      st.subnets.put(scope, s.id, s);
      return { NewAssociationId: s.aclAssocId };
    },
  };
}
