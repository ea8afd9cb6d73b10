/**
 * DHCP options sets: Create/Describe/Delete/AssociateDhcpOptions. Each account × region has a
 * default set (domain-name `ec2.internal` in us-east-1, `<region>.compute.internal` elsewhere, and
 * AmazonProvidedDNS) that new VPCs use; associating `default` leaves a VPC with no options.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope, Table } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { newId, tagsFor, tagsOut, type Ec2State } from '../state.js';

export interface DhcpRec { id: string; options: { key: string; values: string[] }[]; tags: { Key: string; Value: string }[] }

export const dhcpTable = (st: Ec2State): Table<DhcpRec> => st.rt.table('dhcp-options');
export const dhcpNotFound = (id: string) => new AwsError('InvalidDhcpOptionID.NotFound', `The dhcpOption ID '${id}' does not exist`, 400);

const KEYS = ['domain-name', 'domain-name-servers', 'ntp-servers', 'netbios-name-servers', 'netbios-node-type', 'ipv6-address-preferred-lease-time'];
const MAX_VALUES: Record<string, number> = { 'domain-name-servers': 4, 'ntp-servers': 4, 'netbios-name-servers': 4, 'netbios-node-type': 1, 'ipv6-address-preferred-lease-time': 1 };

/** The default set of the scope, recorded on first use under the id the VPCs already carry. */
function ensureDefault(st: Ec2State, scope: Scope): void {
  const id = st.defaultDhcp(scope);
  if (dhcpTable(st).has(scope, id) || dhcpTable(st).has(scope, `deleted:${id}`)) return;
  const domain = scope.region === 'us-east-1' ? 'ec2.internal' : `${scope.region}.compute.internal`;
  dhcpTable(st).put(scope, id, { id, options: [{ key: 'domain-name', values: [domain] }, { key: 'domain-name-servers', values: ['AmazonProvidedDNS'] }], tags: [] });
}

function render(scope: Scope, d: DhcpRec): T.DhcpOptions {
  return {
    DhcpOptionsId: d.id, OwnerId: scope.account, Tags: tagsOut(d.tags) ?? [],
    DhcpConfigurations: d.options.map((o) => ({ Key: o.key, Values: o.values.map((Value) => ({ Value })) })),
  };
}

const FILTERS: FilterFields<T.DhcpOptions> = {
  'dhcp-options-id': (d) => d.DhcpOptionsId,
  key: (d) => d.DhcpConfigurations?.map((c) => c.Key!),
  value: (d) => d.DhcpConfigurations?.flatMap((c) => c.Values!.map((v) => v.Value!)),
  'owner-id': (d) => d.OwnerId,
};

function checkOption(key: string, values: string[]): void {
  if (!KEYS.includes(key)) throw new AwsError('InvalidParameterValue', `Value (${key}) for parameter dhcpConfiguration is invalid. Unknown DHCP option`, 400);
  if (!values.length) throw new AwsError('InvalidParameterValue', `Value for parameter ${key} is missing.`, 400);
  if (values.length > (MAX_VALUES[key] ?? Infinity)) throw new AwsError('InvalidParameterValue', `Value (${values.join(',')}) for parameter ${key} is invalid. Too many values.`, 400);
  if (key === 'netbios-node-type' && !['1', '2', '4', '8'].includes(values[0]!)) {
    throw new AwsError('InvalidParameterValue', `Value (${values[0]}) for parameter netbios-node-type is invalid. Valid values are: 1 | 2 | 4 | 8`, 400);
  }
  if (key === 'ipv6-address-preferred-lease-time') {
    const n = Number(values[0]);
    if (!Number.isInteger(n) || n < 140 || n > 2147483647) throw new AwsError('InvalidParameterValue', `Value (${values[0]}) for parameter ipv6-address-preferred-lease-time is invalid.`, 400);
  }
}

export function dhcpOptionOperations(st: Ec2State) {
  const table = dhcpTable(st);
  const live = (scope: Scope) => [...table.values(scope)].filter((d) => !d.id.startsWith('deleted:'));
  return {
    CreateDhcpOptions(input: T.CreateDhcpOptionsRequest, ctx: RequestContext): T.CreateDhcpOptionsResult {
      const scope = st.scope(ctx);
      ensureDefault(st, scope);
      const options: DhcpRec['options'] = [];
      for (const c of input.DhcpConfigurations ?? []) {
        const key = c.Key ?? '';
        const values = c.Values ?? [];
        checkOption(key, values);
        if (options.some((o) => o.key === key)) throw new AwsError('InvalidParameterValue', `Value (${key}) for parameter dhcpConfiguration is invalid. Duplicate DHCP option`, 400);
        options.push({ key, values });
      }
      if (!options.length) throw new AwsError('MissingParameter', 'The request must contain the parameter dhcpConfiguration', 400);
      const tags = tagsFor(input.TagSpecifications, 'dhcp-options') as DhcpRec['tags'];
      dryRun(input);
      const d: DhcpRec = { id: newId('dopt'), options, tags };
      table.put(scope, d.id, d);
      return { DhcpOptions: render(scope, d) };
    },

    DescribeDhcpOptions(input: T.DescribeDhcpOptionsRequest, ctx: RequestContext): T.DescribeDhcpOptionsResult {
      const scope = st.scope(ctx);
      ensureDefault(st, scope);
      dryRun(input);
      let all = live(scope);
      for (const id of input.DhcpOptionsIds ?? []) if (!all.some((d) => d.id === id)) throw dhcpNotFound(id);
      if (input.DhcpOptionsIds?.length) all = all.filter((d) => input.DhcpOptionsIds!.includes(d.id));
      const { page, NextToken } = paginate(applyFilters(all.map((d) => render(scope, d)), input.Filters, FILTERS, (d) => d.Tags), input, 5, 1000);
      return { DhcpOptions: page, NextToken };
    },

    DeleteDhcpOptions(input: T.DeleteDhcpOptionsRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      ensureDefault(st, scope);
      const d = table.get(scope, input.DhcpOptionsId);
      if (!d) throw dhcpNotFound(input.DhcpOptionsId);
      if ([...st.vpcs.values(scope)].some((v) => v.dhcp === d.id)) {
        throw new AwsError('DependencyViolation', `The dhcpOptions '${d.id}' has dependencies and cannot be deleted.`, 400);
      }
      dryRun(input);
      table.delete(scope, d.id);
      // Remember that the default set is gone, so it is not recorded again.
      if (d.id === st.defaultDhcp(scope)) table.put(scope, `deleted:${d.id}`, { id: `deleted:${d.id}`, options: [], tags: [] });
    },

    AssociateDhcpOptions(input: T.AssociateDhcpOptionsRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      ensureDefault(st, scope);
      const vpc = st.vpc(scope, input.VpcId);
      const id = input.DhcpOptionsId;
      if (id !== 'default' && !table.has(scope, id)) throw dhcpNotFound(id);
      dryRun(input);
      vpc.dhcp = id;
      st.vpcs.put(scope, vpc.id, vpc);
    },
  };
}
