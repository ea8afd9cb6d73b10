/** GetParametersByPath and DescribeParameters with Filters / ParameterFilters and paging. */
import type {
  DescribeParametersRequest, DescribeParametersResult, GetParametersByPathRequest, GetParametersByPathResult, ParameterMetadata,
  ParameterStringFilter, ParametersFilter,
} from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import { AwsError } from '../../../core/errors.js';
import type { Resolved, SsmState } from '../state.js';
import { BAD_PATH, constraint, decodeToken, encodeToken, latest, paramArn, validation, type ParamRecord, type ParamVersion } from '../domain/model.js';
import { isPublicName, publicArn, publicParams, PUBLISHED } from '../domain/public.js';
import { policyList } from '../domain/policies.js';
import { toParameter } from './parameters.js';

const invalidKey = (key: string, valid: string[]) =>
  new AwsError('InvalidFilterKey', `The following filter key is not valid: ${key}. Valid filter keys include: [${valid.join(', ')}].`, 400);
const invalidOption = (option: string, valid: string[]) =>
  new AwsError('InvalidFilterOption', `The following filter option is not valid: ${option}. Valid options include: [${valid.join(', ')}].`, 400);

const BY_PATH_KEYS = ['Type', 'KeyId', 'Label'];
const DESCRIBE_KEYS = ['Name', 'Type', 'KeyId', 'Path', 'Tier', 'DataType'];

function optionsFor(key: string): string[] {
  if (key === 'Name') return ['Equals', 'BeginsWith', 'Contains'];
  if (key === 'Path') return ['Recursive', 'OneLevel'];
  if (key === 'Label' || key === 'Tier' || key === 'DataType') return ['Equals'];
  return ['Equals', 'BeginsWith'];
}

function checkFilters(filters: ParameterStringFilter[] | undefined, valid: string[]): void {
  for (const f of filters ?? []) {
    const isTag = f.Key.startsWith('tag:');
    if (!isTag && !valid.includes(f.Key)) throw invalidKey(f.Key, valid);
    if (isTag && valid === BY_PATH_KEYS) throw invalidKey(f.Key, valid);
    const opts = optionsFor(isTag ? 'tag' : f.Key);
    if (f.Option !== undefined && !opts.includes(f.Option)) throw invalidOption(f.Option, opts);
    if (f.Values !== undefined && (f.Values.length < 1 || f.Values.length > 50)) throw constraint('[]', 'parameterFilters.member.values', 'Member must have length greater than or equal to 1');
    if (!isTag && f.Values === undefined) throw new AwsError('InvalidFilterValue', `The following filter values are missing : null for filter key ${f.Key}.`, 400);
  }
}

const withSlash = (s: string) => '/' + s.replace(/^\/+/, '');

function matches(name: string, v: ParamVersion, tags: { Key?: string; Value?: string }[], filters: ParameterStringFilter[] | undefined): boolean {
  for (const f of filters ?? []) {
    const values = f.Values ?? [];
    const option = f.Option ?? (f.Key === 'Path' ? 'OneLevel' : 'Equals');
    const test = (what: string, vals = values) =>
      option === 'BeginsWith' ? vals.some((x) => what.startsWith(x)) : option === 'Contains' ? vals.some((x) => what.includes(x)) : vals.includes(what);
    if (f.Key.startsWith('tag:')) {
      const hits = tags.filter((t) => t.Key === f.Key.slice(4));
      if (!hits.length) return false;
      if (values.length && !hits.some((t) => test(t.Value ?? ''))) return false;
      continue;
    }
    switch (f.Key) {
      case 'Name':
        if (option === 'Contains' ? !test(name) : !test(withSlash(name), values.map(withSlash))) return false;
        break;
      case 'Type': if (!test(v.type)) return false; break;
      case 'KeyId': if (!v.keyId || !test(v.keyId)) return false; break;
      case 'Tier': if (!test(v.tier)) return false; break;
      case 'DataType': if (!test(v.dataType)) return false; break;
      case 'Label': if (!v.labels.some((l) => values.includes(l))) return false; break;
      case 'Path': {
        const n = withSlash(name);
        const ok = values.some((p) => {
          const base = p === '/' ? '' : withSlash(p).replace(/\/+$/, '');
          if (!n.startsWith(base + '/')) return false;
          return option === 'Recursive' || !n.slice(base.length + 1).includes('/');
        });
        if (!ok) return false;
        break;
      }
    }
  }
  return true;
}

function checkPath(path: string): void {
  if (path.length < 1 || path.length > 2048) throw constraint(path, 'path', 'Member must have length less than or equal to 2048');
  if (!path.startsWith('/') || !/^[a-zA-Z0-9_.\-/]+$/.test(path) || path.includes('//')) throw validation(BAD_PATH);
  if (path.split('/').length - 1 > 15) throw validation(BAD_PATH);
}

function under(name: string, path: string, recursive: boolean): boolean {
  const base = path.replace(/\/+$/, '');
  if (!name.startsWith(base + '/')) return false;
  return recursive || !name.slice(base.length + 1).includes('/');
}

export function getParametersByPath(st: SsmState, scope: Scope, input: GetParametersByPathRequest): GetParametersByPathResult {
  checkPath(input.Path);
  const max = input.MaxResults ?? 10;
  if (max < 1 || max > 10) throw constraint(max, 'maxResults', 'Member must have value less than or equal to 10');
  checkFilters(input.ParameterFilters, BY_PATH_KEYS);
  const recursive = input.Recursive ?? false;
  let found: Resolved[];
  if (isPublicName(input.Path) || input.Path.replace(/\/+$/, '') === '/aws') {
    found = publicParams(scope.region)
      .filter((p) => under(p.name, input.Path, recursive))
      .map((p) => ({
        name: p.name,
        arn: publicArn(scope.region, p.name),
        v: { version: 1, value: p.value, type: 'String', tier: 'Standard', dataType: p.dataType, labels: [], lastModifiedDate: PUBLISHED, lastModifiedUser: 'arn:aws:iam::aws:root' },
      }));
  } else {
    st.sweep(scope);
    found = [...st.params.values(scope)]
      .filter((p) => under(p.name, input.Path, recursive))
      .sort(byName)
      .map((p) => ({ name: p.name, arn: paramArn(scope, p.name), v: latest(p), record: p }));
  }
  found = found.filter((r) => matches(r.name, r.v, r.record?.tags ?? [], input.ParameterFilters));
  const start = decodeToken(input.NextToken);
  const page = found.slice(start, start + max);
  const out: GetParametersByPathResult = { Parameters: page.map((r) => toParameter(st, scope, r, input.WithDecryption)) };
  if (start + max < found.length) out.NextToken = encodeToken(start + max);
  return out;
}

const byName = (a: ParamRecord, b: ParamRecord) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The legacy Filters (Name/Type/KeyId, BeginsWith for Name) as ParameterFilters. */
function fromLegacy(filters: ParametersFilter[]): ParameterStringFilter[] {
  return filters.map((f) => {
    if (!['Name', 'Type', 'KeyId'].includes(f.Key)) throw constraint(f.Key, 'filters.member.key', 'Member must satisfy enum value set: [Name, Type, KeyId]');
    return { Key: f.Key, Option: f.Key === 'Name' ? 'BeginsWith' : 'Equals', Values: f.Values };
  });
}

export function describeParameters(st: SsmState, scope: Scope, input: DescribeParametersRequest): DescribeParametersResult {
  if (input.Filters && input.ParameterFilters) throw validation('You can use either Filters or ParameterFilters in a single request.');
  const max = input.MaxResults ?? 10;
  if (max < 1 || max > 50) throw constraint(max, 'maxResults', 'Member must have value less than or equal to 50');
  checkFilters(input.ParameterFilters, DESCRIBE_KEYS);
  const filters = input.Filters ? fromLegacy(input.Filters) : input.ParameterFilters;
  st.sweep(scope);
  const found = [...st.params.values(scope)].sort(byName).filter((p) => matches(p.name, latest(p), p.tags, filters));
  const start = decodeToken(input.NextToken);
  const out: DescribeParametersResult = { Parameters: found.slice(start, start + max).map((p) => metadata(scope, p)) };
  if (start + max < found.length) out.NextToken = encodeToken(start + max);
  return out;
}

function metadata(scope: Scope, p: ParamRecord): ParameterMetadata {
  const v = latest(p);
  return {
    Name: p.name,
    ARN: paramArn(scope, p.name),
    Type: v.type,
    KeyId: v.keyId,
    LastModifiedDate: new Date(v.lastModifiedDate),
    LastModifiedUser: v.lastModifiedUser,
    Description: v.description,
    AllowedPattern: v.allowedPattern,
    Version: v.version,
    Tier: v.tier,
    Policies: policyList(v.policies, v.policiesDone),
    DataType: v.dataType,
  };
}
