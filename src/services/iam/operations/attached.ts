/** Managed policies attached to users, groups and roles; inline policies; user boundaries. */
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import type { IAMHandlers } from '../generated/types.js';
import type { Table } from '../../../state/store.js';
import { Constraints, checkArn, checkName, checkPathPrefix, checkPaging, encodeDocument, limitExceeded, noSuchEntity, page, pageInOrder } from '../domain/common.js';
import { checkInlineSize, parsePolicy } from '../domain/policy-document.js';
import { assertModifiable, findAttachable, findGroup, findRole, findUser, lookupPolicy } from '../domain/model.js';
import { nameKey, type InlinePolicies } from '../state.js';
import type { IamContext } from './context.js';

type Kind = 'user' | 'group' | 'role';
interface Holder { name: string; attached: string[]; inline: InlinePolicies; boundary?: string }
const TITLE = { user: 'User', group: 'Group', role: 'Role' } as const;
const MAX_ATTACHED = 10;

export function attachedOperations({ t }: IamContext): IAMHandlers {
  const table = (kind: Kind) => ({ user: t.users, group: t.groups, role: t.roles })[kind] as unknown as Table<Holder>;
  /** `change`: the request changes the holder's policies (service-linked roles refuse). */
  function holder(kind: Kind, ctx: RequestContext, name: string, change = false): Holder {
    const scope = scopeOf(ctx);
    if (kind !== 'role') return kind === 'user' ? findUser(t, scope, name) : findGroup(t, scope, name);
    const r = findRole(t, scope, name);
    if (change && !ctx.internal) assertModifiable(r);
    return r;
  }
  const save = (kind: Kind, ctx: RequestContext, h: Holder) => table(kind).put(scopeOf(ctx), nameKey(h.name), h);
  const nameMax = (kind: Kind) => (kind === 'group' ? 128 : 64);
  const member = (kind: Kind) => `${kind}Name`;

  function attach(kind: Kind) {
    return (input: Record<string, string>, ctx: RequestContext): void => {
      checkArn(checkName(new Constraints(), member(kind), input[`${TITLE[kind]}Name`], nameMax(kind)), 'policyArn', input.PolicyArn).throwIfAny();
      const h = holder(kind, ctx, input[`${TITLE[kind]}Name`]!, true);
      const p = findAttachable(t, scopeOf(ctx), input.PolicyArn!);
      if (h.attached.includes(p.arn)) return;
      if (h.attached.length >= MAX_ATTACHED) throw limitExceeded(`Cannot exceed quota for PoliciesPer${TITLE[kind]}: ${MAX_ATTACHED}`);
      h.attached.push(p.arn);
      save(kind, ctx, h);
    };
  }
  function detach(kind: Kind) {
    return (input: Record<string, string>, ctx: RequestContext): void => {
      checkArn(checkName(new Constraints(), member(kind), input[`${TITLE[kind]}Name`], nameMax(kind)), 'policyArn', input.PolicyArn).throwIfAny();
      const h = holder(kind, ctx, input[`${TITLE[kind]}Name`]!, true);
      const i = h.attached.indexOf(input.PolicyArn!);
      if (i < 0) throw noSuchEntity(`Policy ${input.PolicyArn} was not found.`);
      h.attached.splice(i, 1);
      save(kind, ctx, h);
    };
  }
  function listAttached(kind: Kind) {
    return (input: Record<string, string | number | undefined>, ctx: RequestContext) => {
      const c = checkName(new Constraints(), member(kind), input[`${TITLE[kind]}Name`] as string, nameMax(kind));
      checkPaging(checkPathPrefix(c, input.PathPrefix as string | undefined), input as { MaxItems?: number; Marker?: string }).throwIfAny();
      const scope = scopeOf(ctx);
      const h = holder(kind, ctx, input[`${TITLE[kind]}Name`] as string);
      const prefix = (input.PathPrefix as string | undefined) ?? '/';
      const rows = h.attached
        .map((arn) => lookupPolicy(t, scope, arn))
        .filter((p) => p && p.path.startsWith(prefix))
        .map((p) => ({ PolicyName: p!.name, PolicyArn: p!.arn }));
      const pg = pageInOrder(rows, input as { MaxItems?: number; Marker?: string });
      return { AttachedPolicies: pg.items, IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    };
  }

  // ---- inline policies
  function put(kind: Kind) {
    return (input: Record<string, string>, ctx: RequestContext): void => {
      const c = checkName(new Constraints(), member(kind), input[`${TITLE[kind]}Name`], nameMax(kind));
      checkName(c, 'policyName', input.PolicyName, 128).length('policyDocument', input.PolicyDocument, 1, 131072).throwIfAny();
      const h = holder(kind, ctx, input[`${TITLE[kind]}Name`]!, true);
      parsePolicy(input.PolicyDocument!, 'identity');
      const next = { ...h.inline, [input.PolicyName!]: input.PolicyDocument! };
      checkInlineSize(kind, h.name, Object.values(next));
      h.inline = next;
      save(kind, ctx, h);
    };
  }
  function inlineDoc(kind: Kind, h: Holder, name: string): string {
    const doc = h.inline[name];
    if (doc === undefined) throw noSuchEntity(`The ${kind} policy with name ${name} cannot be found.`);
    return doc;
  }
  function get(kind: Kind) {
    return (input: Record<string, string>, ctx: RequestContext) => {
      checkName(checkName(new Constraints(), member(kind), input[`${TITLE[kind]}Name`], nameMax(kind)), 'policyName', input.PolicyName, 128).throwIfAny();
      const h = holder(kind, ctx, input[`${TITLE[kind]}Name`]!);
      const doc = inlineDoc(kind, h, input.PolicyName!);
      return { [`${TITLE[kind]}Name`]: h.name, PolicyName: input.PolicyName, PolicyDocument: encodeDocument(doc) };
    };
  }
  function del(kind: Kind) {
    return (input: Record<string, string>, ctx: RequestContext): void => {
      checkName(checkName(new Constraints(), member(kind), input[`${TITLE[kind]}Name`], nameMax(kind)), 'policyName', input.PolicyName, 128).throwIfAny();
      const h = holder(kind, ctx, input[`${TITLE[kind]}Name`]!, true);
      inlineDoc(kind, h, input.PolicyName!);
      const next = { ...h.inline };
      delete next[input.PolicyName!];
      h.inline = next;
      save(kind, ctx, h);
    };
  }
  function list(kind: Kind) {
    return (input: Record<string, string | number | undefined>, ctx: RequestContext) => {
      checkPaging(checkName(new Constraints(), member(kind), input[`${TITLE[kind]}Name`] as string, nameMax(kind)), input as { MaxItems?: number }).throwIfAny();
      const h = holder(kind, ctx, input[`${TITLE[kind]}Name`] as string);
      const names = Object.keys(h.inline).sort();
      const pg = page(names, (n) => n, input as { MaxItems?: number; Marker?: string });
      return { PolicyNames: pg.items, IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    };
  }

  const handlers: Record<string, unknown> = {};
  for (const kind of ['user', 'group', 'role'] as const) {
    const T = TITLE[kind];
    handlers[`Attach${T}Policy`] = attach(kind);
    handlers[`Detach${T}Policy`] = detach(kind);
    handlers[`ListAttached${T}Policies`] = listAttached(kind);
    handlers[`Put${T}Policy`] = put(kind);
    handlers[`Get${T}Policy`] = get(kind);
    handlers[`Delete${T}Policy`] = del(kind);
    handlers[`List${T}Policies`] = list(kind);
  }
  handlers.PutUserPermissionsBoundary = (input: { UserName: string; PermissionsBoundary: string }, ctx: RequestContext) => {
    checkArn(checkName(new Constraints(), 'userName', input.UserName, 64), 'permissionsBoundary', input.PermissionsBoundary).throwIfAny();
    const u = findUser(t, scopeOf(ctx), input.UserName);
    if (!lookupPolicy(t, scopeOf(ctx), input.PermissionsBoundary)) throw noSuchEntity(`Scope ARN: ${input.PermissionsBoundary} does not exist or is not attachable.`);
    u.boundary = input.PermissionsBoundary;
    save('user', ctx, u);
  };
  handlers.DeleteUserPermissionsBoundary = (input: { UserName: string }, ctx: RequestContext) => {
    checkName(new Constraints(), 'userName', input.UserName, 64).throwIfAny();
    const u = findUser(t, scopeOf(ctx), input.UserName);
    delete u.boundary;
    save('user', ctx, u);
  };
  return handlers as IAMHandlers;
}
