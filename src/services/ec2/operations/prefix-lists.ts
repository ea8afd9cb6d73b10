/**
 * Managed prefix lists: customer-managed lists with versions (Create / Modify / Restore / Delete,
 * GetManagedPrefixListEntries by version, associations) and the AWS-managed lists of the S3 and
 * DynamoDB gateway endpoints (DescribePrefixLists, DescribeManagedPrefixLists). A list referenced
 * by a route or a security group rule counts as MaxEntries routes/rules.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { formatCidr4, isIpv6Cidr, parseCidr4 } from '../domain/cidr.js';
import { awsPrefixLists } from '../domain/endpoint-services.js';
import { newId, tagsFor, tagsOut, type Ec2State } from '../state.js';
import type { PlEntry, PlRec } from '../records.js';

export const plNotFound = (id: string) => new AwsError('InvalidPrefixListID.NotFound', `The prefix list ID '${id}' does not exist`, 400);
const ENTRIES_PER_REQUEST = 100;

/** CIDRs of a prefix list the caller can use (its own, or an AWS-managed one); undefined when unknown. */
export function prefixListCidrs(st: Ec2State, scope: Scope, id: string): string[] | undefined {
  const own = st.prefixLists.get(scope, id);
  if (own) return own.versions.find((v) => v.version === own.version)!.entries.map((e) => e.cidr);
  return awsPrefixLists(scope.region).find((p) => p.id === id)?.cidrs;
}

/** MaxEntries a reference to the list costs (AWS-managed lists count as their size). */
export function prefixListWeight(st: Ec2State, scope: Scope, id: string): number {
  const own = st.prefixLists.get(scope, id);
  if (own) return own.maxEntries;
  return awsPrefixLists(scope.region).find((p) => p.id === id)?.cidrs.length ?? 1;
}

const currentEntries = (p: PlRec) => p.versions.find((v) => v.version === p.version)!.entries;
const arn = (scope: Scope, id: string) => `arn:aws:ec2:${scope.region}:${scope.account}:prefix-list/${id}`;

function render(scope: Scope, p: PlRec, state = p.state): T.ManagedPrefixList {
  return {
    AddressFamily: p.family, MaxEntries: p.maxEntries, OwnerId: scope.account, PrefixListArn: arn(scope, p.id), PrefixListId: p.id,
    PrefixListName: p.name, State: state, Tags: tagsOut(p.tags) ?? [], Version: p.version,
  };
}

const PL_FILTERS: FilterFields<T.ManagedPrefixList> = {
  'owner-id': (p) => p.OwnerId,
  'prefix-list-id': (p) => p.PrefixListId,
  'prefix-list-name': (p) => p.PrefixListName,
};

function checkEntry(family: string, e: T.AddPrefixListEntry | T.RemovePrefixListEntry): string {
  const cidr = e.Cidr ?? '';
  if (family === 'IPv4') {
    const c = parseCidr4(cidr, true);
    if (!c) throw new AwsError('InvalidParameterValue', `The CIDR '${cidr}' is invalid.`, 400);
    return formatCidr4(c);
  }
  if (!isIpv6Cidr(cidr)) throw new AwsError('InvalidParameterValue', `The CIDR '${cidr}' is invalid.`, 400);
  return cidr.toLowerCase();
}

const ipOrder = (a: PlEntry, b: PlEntry) => (parseCidr4(a.cidr)?.base ?? 0) - (parseCidr4(b.cidr)?.base ?? 0) || a.cidr.localeCompare(b.cidr);

/** Route tables and security groups of the caller that reference a list. */
export function prefixListReferences(st: Ec2State, scope: Scope, id: string): T.PrefixListAssociation[] {
  const out: T.PrefixListAssociation[] = [];
  for (const r of st.rtbs.values(scope)) if (r.routes.some((x) => x.destPl === id && x.kind !== 'endpoint')) out.push({ ResourceId: r.id, ResourceOwner: scope.account });
  for (const g of st.sgs.values(scope)) if (g.rules.some((x) => x.pl === id)) out.push({ ResourceId: g.id, ResourceOwner: scope.account });
  return out;
}

export function prefixListOperations(st: Ec2State) {
  function find(scope: Scope, id: string | undefined): PlRec {
    const p = id ? st.prefixLists.get(scope, id) : undefined;
    if (!p) {
      if (id && awsPrefixLists(scope.region).some((x) => x.id === id)) {
        throw new AwsError('InvalidPrefixListModification', `The prefix list ${id} is an AWS-managed prefix list and cannot be modified.`, 400);
      }
      throw plNotFound(id ?? '');
    }
    return p;
  }

  return {
    CreateManagedPrefixList(input: T.CreateManagedPrefixListRequest, ctx: RequestContext): T.CreateManagedPrefixListResult {
      const scope = st.scope(ctx);
      if (!input.PrefixListName) throw new AwsError('MissingParameter', 'The request must contain the parameter PrefixListName', 400);
      if (input.PrefixListName.toLowerCase().startsWith('com.amazonaws')) {
        throw new AwsError('InvalidParameterValue', "Prefix list names cannot start with 'com.amazonaws'.", 400);
      }
      if (input.AddressFamily !== 'IPv4' && input.AddressFamily !== 'IPv6') {
        throw new AwsError('InvalidParameterValue', `The address family '${input.AddressFamily}' is invalid. Valid values are IPv4 and IPv6.`, 400);
      }
      if (!Number.isInteger(input.MaxEntries) || input.MaxEntries < 1 || input.MaxEntries > 1000) {
        throw new AwsError('InvalidParameterValue', 'Must specify a max size between 1 and 1000', 400);
      }
      const given = input.Entries ?? [];
      if (given.length > ENTRIES_PER_REQUEST) throw new AwsError('InvalidParameterValue', 'The number of entries per request cannot exceeds limit (100).', 400);
      const entries: PlEntry[] = [];
      for (const e of given) {
        const cidr = checkEntry(input.AddressFamily, e);
        if (entries.some((x) => x.cidr === cidr)) throw new AwsError('InvalidPrefixListModification', `An entry with the CIDR (${cidr}) already exists.`, 400);
        entries.push({ cidr, description: e.Description });
      }
      if (entries.length > input.MaxEntries) {
        throw new AwsError('InvalidParameterValue', `The number of entries (${entries.length}) exceeds the maximum number of entries (${input.MaxEntries}) for the prefix list.`, 400);
      }
      const tags = tagsFor(input.TagSpecifications, 'prefix-list');
      dryRun(input);
      const p: PlRec = {
        id: newId('pl'), name: input.PrefixListName, family: input.AddressFamily, maxEntries: input.MaxEntries, version: 1,
        versions: [{ version: 1, entries: entries.sort(ipOrder) }], state: 'create-complete', tags,
      };
      st.prefixLists.put(scope, p.id, p);
      return { PrefixList: render(scope, p, 'create-in-progress') };
    },

    ModifyManagedPrefixList(input: T.ModifyManagedPrefixListRequest, ctx: RequestContext): T.ModifyManagedPrefixListResult {
      const scope = st.scope(ctx);
      const p = find(scope, input.PrefixListId);
      const adds = input.AddEntries ?? [];
      const removes = input.RemoveEntries ?? [];
      const changesEntries = adds.length > 0 || removes.length > 0;
      if (changesEntries && input.MaxEntries !== undefined) {
        throw new AwsError('InvalidParameterCombination', 'You cannot modify the entries and the maximum entries for the prefix list in the same request.', 400);
      }
      if (input.CurrentVersion !== undefined && input.CurrentVersion !== p.version) {
        throw new AwsError('PrefixListVersionMismatch', 'The prefix list has the incorrect version number.', 400);
      }
      if (adds.length + removes.length > ENTRIES_PER_REQUEST) throw new AwsError('InvalidParameterValue', 'The number of entries per request cannot exceeds limit (100).', 400);
      const entries = currentEntries(p).map((e) => ({ ...e }));
      for (const r of removes) {
        const cidr = checkEntry(p.family, r);
        const i = entries.findIndex((e) => e.cidr === cidr);
        if (i < 0) throw new AwsError('InvalidPrefixListModification', `The entry with the CIDR (${cidr}) does not exist.`, 400);
        entries.splice(i, 1);
      }
      for (const a of adds) {
        const cidr = checkEntry(p.family, a);
        const i = entries.findIndex((e) => e.cidr === cidr);
        if (i >= 0) {
          if (entries[i]!.description === a.Description || a.Description === undefined) {
            throw new AwsError('InvalidPrefixListModification', `An entry with the CIDR (${cidr}) and description (${entries[i]!.description ?? ''}) already exists.`, 400);
          }
          entries[i] = { cidr, description: a.Description }; // a new description for an existing CIDR
        } else entries.push({ cidr, description: a.Description });
      }
      let maxEntries = p.maxEntries;
      if (input.MaxEntries !== undefined) {
        if (!Number.isInteger(input.MaxEntries) || input.MaxEntries < 1 || input.MaxEntries > 1000) {
          throw new AwsError('InvalidParameterValue', 'Must specify a max size between 1 and 1000', 400);
        }
        if (input.MaxEntries < entries.length) {
          throw new AwsError('InvalidParameterValue', `The maximum number of entries (${input.MaxEntries}) cannot be less than the current number of entries (${entries.length}).`, 400);
        }
        maxEntries = input.MaxEntries;
      }
      if (entries.length > maxEntries) {
        throw new AwsError('InvalidParameterValue', `The number of entries (${entries.length}) exceeds the maximum number of entries (${maxEntries}) for the prefix list.`, 400);
      }
      dryRun(input);
      if (input.PrefixListName !== undefined) p.name = input.PrefixListName;
      p.maxEntries = maxEntries;
      if (changesEntries) {
        p.version += 1;
        p.versions.push({ version: p.version, entries: entries.sort(ipOrder) });
      }
      p.state = 'modify-complete';
      st.prefixLists.put(scope, p.id, p);
      return { PrefixList: render(scope, p, 'modify-in-progress') };
    },

    RestoreManagedPrefixListVersion(input: T.RestoreManagedPrefixListVersionRequest, ctx: RequestContext): T.RestoreManagedPrefixListVersionResult {
      const scope = st.scope(ctx);
      const p = find(scope, input.PrefixListId);
      if (input.CurrentVersion !== p.version) throw new AwsError('PrefixListVersionMismatch', 'The prefix list has the incorrect version number.', 400);
      const prev = p.versions.find((v) => v.version === input.PreviousVersion);
      if (!prev || input.PreviousVersion >= p.version) {
        throw new AwsError('InvalidParameterValue', `The specified value for version is not valid. The value must be less than (${p.version}).`, 400);
      }
      if (prev.entries.length > p.maxEntries) {
        throw new AwsError('InvalidParameterValue', `The number of entries (${prev.entries.length}) exceeds the maximum number of entries (${p.maxEntries}) for the prefix list.`, 400);
      }
      dryRun(input);
      p.version += 1;
      p.versions.push({ version: p.version, entries: prev.entries.map((e) => ({ ...e })) });
      p.state = 'restore-complete';
      st.prefixLists.put(scope, p.id, p);
      return { PrefixList: render(scope, p, 'restore-in-progress') };
    },

    DeleteManagedPrefixList(input: T.DeleteManagedPrefixListRequest, ctx: RequestContext): T.DeleteManagedPrefixListResult {
      const scope = st.scope(ctx);
      const p = find(scope, input.PrefixListId);
      const refs = prefixListReferences(st, scope, p.id);
      if (refs.length) {
        throw new AwsError('DependencyViolation', `The prefix list ${p.id} is referenced by ${refs.map((r) => r.ResourceId).join(', ')} and cannot be deleted.`, 400);
      }
      dryRun(input);
      st.prefixLists.delete(scope, p.id);
      return { PrefixList: render(scope, p, 'delete-in-progress') };
    },

    DescribeManagedPrefixLists(input: T.DescribeManagedPrefixListsRequest, ctx: RequestContext): T.DescribeManagedPrefixListsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const aws: T.ManagedPrefixList[] = awsPrefixLists(scope.region).map((p) => ({
        AddressFamily: 'IPv4', OwnerId: 'AWS', PrefixListArn: `arn:aws:ec2:${scope.region}:aws:prefix-list/${p.id}`, PrefixListId: p.id,
        PrefixListName: p.name, State: 'create-complete', Tags: [], MaxEntries: p.cidrs.length, Version: 1,
      }));
      let all = [...aws, ...[...st.prefixLists.values(scope)].map((p) => render(scope, p))];
      if (input.PrefixListIds?.length) {
        const missing = input.PrefixListIds.find((id) => !all.some((p) => p.PrefixListId === id));
        if (missing) throw plNotFound(missing);
        all = all.filter((p) => input.PrefixListIds!.includes(p.PrefixListId!));
      }
      const out = applyFilters(all, input.Filters, PL_FILTERS, (p) => p.Tags);
      const { page, NextToken } = paginate(out, input, 1, 100);
      return { PrefixLists: page, NextToken };
    },

    GetManagedPrefixListEntries(input: T.GetManagedPrefixListEntriesRequest, ctx: RequestContext): T.GetManagedPrefixListEntriesResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let entries: PlEntry[];
      const aws = awsPrefixLists(scope.region).find((p) => p.id === input.PrefixListId);
      if (aws) entries = aws.cidrs.map((cidr) => ({ cidr }));
      else {
        const p = st.prefixLists.get(scope, input.PrefixListId);
        if (!p) throw plNotFound(input.PrefixListId);
        const v = p.versions.find((x) => x.version === (input.TargetVersion ?? p.version));
        if (!v) throw new AwsError('InvalidParameterValue', `The specified value for version is not valid. The value must be between 1 and ${p.version}.`, 400);
        entries = v.entries;
      }
      const { page, NextToken } = paginate(entries.map((e) => ({ Cidr: e.cidr, Description: e.description })), input, 1, 100);
      return { Entries: page, NextToken };
    },

    GetManagedPrefixListAssociations(input: T.GetManagedPrefixListAssociationsRequest, ctx: RequestContext): T.GetManagedPrefixListAssociationsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      if (!st.prefixLists.has(scope, input.PrefixListId) && !awsPrefixLists(scope.region).some((p) => p.id === input.PrefixListId)) throw plNotFound(input.PrefixListId);
      const { page, NextToken } = paginate(prefixListReferences(st, scope, input.PrefixListId), input, 5, 255);
      return { PrefixListAssociations: page, NextToken };
    },

    DescribePrefixLists(input: T.DescribePrefixListsRequest, ctx: RequestContext): T.DescribePrefixListsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all: T.PrefixList[] = awsPrefixLists(scope.region).map((p) => ({ Cidrs: p.cidrs, PrefixListId: p.id, PrefixListName: p.name }));
      if (input.PrefixListIds?.length) {
        const missing = input.PrefixListIds.find((id) => !all.some((p) => p.PrefixListId === id));
        if (missing) throw plNotFound(missing);
        all = all.filter((p) => input.PrefixListIds!.includes(p.PrefixListId!));
      }
      const out = applyFilters(all, input.Filters, { 'prefix-list-id': (p) => p.PrefixListId, 'prefix-list-name': (p) => p.PrefixListName });
      const { page, NextToken } = paginate(out, input);
      return { PrefixLists: page, NextToken };
    },
  };
}
