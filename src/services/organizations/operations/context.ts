/**
 * What every Organizations operation shares: finding the caller's organization (settling what
 * the virtual clock has completed since: account creation, closure, handshake expiry), access
 * rules (management account, delegated administrators), shapes and pagination.
 */
import type { ServiceRuntime } from '../../service.js';
import type { RequestContext } from '../../../gateway/context.js';
import {
  ORG_KEY, accountArn, accountScope, constraint, invalidInput, orgError, ouArn, policyArn, rootArn,
  type AccountRec, type OrgRec, type OrgTables, type PolicyRec, type Tag,
} from '../state.js';
import type { Account, OrganizationalUnit, PolicySummary, Root } from '../generated/types.js';
import { AWS_MANAGED, awsManagedFor } from '../domain/policies.js';

export interface OrgContext {
  rt: ServiceRuntime;
  t: OrgTables;
  now(): number;
}

export const notInUse = () => orgError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
export const accessDenied = () => orgError('AccessDeniedException', "You don't have permissions to access this resource.");

/** Applies what the clock has completed; true when the record changed. */
export function settle(c: OrgContext, o: OrgRec): boolean {
  const now = c.now();
  let changed = false;
  for (const r of Object.values(o.createRequests)) {
    if (r.settled || r.failure || r.completeAt > now) continue;
    r.settled = true;
    changed = true;
    addAccount(c, o, { id: r.accountId, name: r.name, email: r.email, parent: o.rootId, joinedMethod: 'CREATED', joined: r.completeAt, status: 'ACTIVE' });
    if (r.tags.length) o.tags[r.accountId] = r.tags;
  }
  for (const a of Object.values(o.accounts)) {
    if (a.closingUntil !== undefined && a.closingUntil <= now) {
      a.status = 'SUSPENDED';
      delete a.closingUntil;
      changed = true;
    }
  }
  for (const h of Object.values(o.handshakes)) {
    if ((h.state === 'OPEN' || h.state === 'REQUESTED') && h.expires <= now) {
      h.state = 'EXPIRED';
      changed = true;
    }
  }
  return changed;
}

/** Adds an account under its parent with the default policies of every enabled type. */
export function addAccount(c: OrgContext, o: OrgRec, a: AccountRec): void {
  o.accounts[a.id] = a;
  attachDefaults(o, a.id);
  c.t.members.put(accountScope(a.id), ORG_KEY, o.mgmt);
}

/** FullAWSAccess (SCP) / RCPFullAWSAccess (RCP) on a new root, OU or account when the type is enabled. */
export function attachDefaults(o: OrgRec, target: string): void {
  for (const type of o.enabledTypes) {
    const m = awsManagedFor(type);
    if (m) (o.attachments[target] ??= []).includes(m.id) || o.attachments[target]!.push(m.id);
  }
}

export function loadOrgByMgmt(c: OrgContext, mgmt: string): OrgRec | undefined {
  const o = c.t.orgs.get(accountScope(mgmt), ORG_KEY);
  if (o && settle(c, o)) save(c, o);
  return o;
}

/** The organization `account` belongs to (settled), if any. */
export function orgOfAccount(c: OrgContext, account: string): OrgRec | undefined {
  const mgmt = c.t.members.get(accountScope(account), ORG_KEY);
  if (!mgmt) return undefined;
  const o = loadOrgByMgmt(c, mgmt);
  return o && o.accounts[account] ? o : undefined;
}

export function save(c: OrgContext, o: OrgRec): void {
  c.t.orgs.put(accountScope(o.mgmt), ORG_KEY, o);
}

/** The caller's organization (any member). */
export function callerOrg(c: OrgContext, ctx: RequestContext): OrgRec {
  const o = orgOfAccount(c, ctx.accountId);
  if (!o) throw notInUse();
  return o;
}

/** Only the management account. */
export function mgmtOrg(c: OrgContext, ctx: RequestContext): OrgRec {
  const o = callerOrg(c, ctx);
  if (o.mgmt !== ctx.accountId) throw accessDenied();
  return o;
}

/** Read operations: the management account or a delegated administrator. */
export function readOrg(c: OrgContext, ctx: RequestContext): OrgRec {
  const o = callerOrg(c, ctx);
  if (o.mgmt !== ctx.accountId && !o.delegated[ctx.accountId]) throw accessDenied();
  return o;
}

// ---- shapes ----

export function rootShape(o: OrgRec): Root {
  return {
    Id: o.rootId,
    Arn: rootArn(o),
    Name: 'Root',
    PolicyTypes: o.enabledTypes.map((Type) => ({ Type, Status: 'ENABLED' })),
  };
}

export function ouShape(o: OrgRec, id: string): OrganizationalUnit {
  const ou = o.ous[id]!;
  return { Id: id, Arn: ouArn(o, id), Name: ou.name, Path: pathOf(o, id).join('/') + '/' };
}

export function accountShape(o: OrgRec, a: AccountRec): Account {
  const state = a.status === 'SUSPENDED' ? 'CLOSED' : a.status;
  return {
    Id: a.id, Arn: accountArn(o, a.id), Email: a.email, Name: a.name, Status: a.status, State: state,
    JoinedMethod: a.joinedMethod, JoinedTimestamp: new Date(a.joined),
  };
}

export function policySummary(o: OrgRec, p: PolicyRec, awsManaged = false): PolicySummary {
  return { Id: p.id, Arn: policyArn(o, p, awsManaged), Name: p.name, Description: p.description, Type: p.type, AwsManaged: awsManaged };
}

/** A policy by id: the organization's own or an AWS managed one. */
export function findPolicy(o: OrgRec, id: string): { p: PolicyRec; awsManaged: boolean } | undefined {
  const own = o.policies[id];
  if (own) return { p: own, awsManaged: false };
  const m = AWS_MANAGED.find((x) => x.id === id);
  return m ? { p: m, awsManaged: true } : undefined;
}

// ---- tree ----

export type TargetKind = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';

export function kindOf(o: OrgRec, id: string): TargetKind | undefined {
  if (id === o.rootId) return 'ROOT';
  if (o.ous[id]) return 'ORGANIZATIONAL_UNIT';
  if (o.accounts[id]) return 'ACCOUNT';
  return undefined;
}

export function parentOf(o: OrgRec, id: string): string | undefined {
  return o.ous[id]?.parent ?? o.accounts[id]?.parent;
}

/** [orgId, rootId, ou…, id]: the path AWS prints (o-…/r-…/ou-…/). */
export function pathOf(o: OrgRec, id: string): string[] {
  return [o.id, ...lineage(o, id)];
}

/** Root first, then each OU, then `id` itself. */
export function lineage(o: OrgRec, id: string): string[] {
  const out: string[] = [];
  let cur: string | undefined = id;
  while (cur) {
    out.unshift(cur);
    cur = cur === o.rootId ? undefined : parentOf(o, cur);
  }
  return out;
}

export const isParent = (o: OrgRec, id: string) => id === o.rootId || !!o.ous[id];

// ---- validation ----

const PATTERNS: Record<string, RegExp> = {
  account: /^\d{12}$/,
  parent: /^(?:r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
  ou: /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/,
  root: /^r-[0-9a-z]{4,32}$/,
  policy: /^p-[0-9a-zA-Z_]{8,128}$/,
  handshake: /^h-[0-9a-z]{8,32}$/,
  target: /^(?:r-[0-9a-z]{4,32}|\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
  child: /^(?:\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
};

export function checkId(kind: keyof typeof PATTERNS, value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw invalidInput('INPUT_REQUIRED', `You must specify a value for ${field}.`);
  if (!PATTERNS[kind]!.test(value)) {
    throw invalidInput(kind === 'policy' ? 'INVALID_SYNTAX_POLICY_ID' : 'INVALID_PATTERN', `You specified a value for ${field} that doesn't match the required pattern.`);
  }
  return value;
}

export function checkTags(tags: Tag[] | undefined, existing: Tag[] = []): Tag[] {
  const out = existing.map((t) => ({ ...t }));
  const seen = new Set<string>();
  for (const t of tags ?? []) {
    if (seen.has(t.Key)) throw invalidInput('DUPLICATE_TAG_KEY', 'You provided duplicate tag keys.');
    seen.add(t.Key);
    if (!t.Key || t.Key.length > 128) throw invalidInput('INVALID_PATTERN', 'You provided a tag key with an invalid length.');
    if ((t.Value ?? '').length > 256) throw invalidInput('MAX_LENGTH_EXCEEDED', 'You provided a tag value that is too long.');
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidInput('INVALID_SYSTEM_TAGS_PARAMETER', 'You provided a tag key that starts with aws:, which is reserved.');
    const i = out.findIndex((x) => x.Key === t.Key);
    if (i >= 0) out[i] = { Key: t.Key, Value: t.Value ?? '' };
    else out.push({ Key: t.Key, Value: t.Value ?? '' });
  }
  if (out.length > 50) throw constraint('MAX_TAG_LIMIT_EXCEEDED', 'You have tried to exceed the maximum number of tags allowed for this resource.');
  return out;
}

/** Offset-token pagination (MaxResults 1–20; all items when absent). */
export function paginate<T>(items: T[], maxResults?: number, nextToken?: string): { page: T[]; NextToken?: string } {
  let start = 0;
  if (nextToken) {
    const n = Number(Buffer.from(nextToken, 'base64url').toString('utf8').replace(/^o:/, ''));
    if (!Number.isInteger(n) || n < 0 || !Buffer.from(nextToken, 'base64url').toString('utf8').startsWith('o:')) {
      throw invalidInput('INVALID_NEXT_TOKEN', 'The specified token is invalid.');
    }
    start = n;
  }
  if (maxResults !== undefined && (maxResults < 1 || maxResults > 20)) {
    throw invalidInput(maxResults < 1 ? 'MIN_VALUE_EXCEEDED' : 'MAX_VALUE_EXCEEDED', 'You provided a value for MaxResults that is out of range (1-20).');
  }
  const size = maxResults ?? Number.MAX_SAFE_INTEGER;
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return { page, NextToken: end < items.length ? Buffer.from(`o:${end}`).toString('base64url') : undefined };
}
