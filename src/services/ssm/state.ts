/**
 * The parameters table and reference resolution (name, ARN, `name:version`, `name:label`,
 * public /aws/service/… parameters), and parameter policies on the virtual clock: a timer per
 * parameter for its next policy action while the process runs, and the same check on every access
 * of its scope (so an action that came due while gureum was stopped still happens).
 */
import type { ServiceRuntime } from '../service.js';
import type { Scope, Table } from '../../state/store.js';
import type { Timer } from '../../core/clock.js';
import { kmsFor, kmsIfRunning, type KmsApi } from '../kms/internal.js';
import { latest, paramArn, paramNotFound, versionNotFound, validation, type ParamRecord, type ParamVersion } from './domain/model.js';
import { isPublicName, publicArn, publicParam, PUBLISHED } from './domain/public.js';
import { expiresAt, policyActions, type Policy } from './domain/policies.js';

export interface Resolved {
  name: string;
  arn: string;
  v: ParamVersion;
  selector?: string;
  record?: ParamRecord;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class SsmState {
  readonly params: Table<ParamRecord>;
  private readonly timers = new Map<string, Timer>();
  private kmsApi: KmsApi | undefined;

  constructor(readonly rt: ServiceRuntime) {
    this.params = rt.table('parameters');
  }

  now(): number {
    return this.rt.clock.now();
  }

  /** Makes sure KMS runs (SecureString values); once per request, as KMS may have been reset. */
  async ready(scope: Scope): Promise<void> {
    this.kmsApi = kmsIfRunning(this.rt.store) ?? (await kmsFor(this.rt, scope));
  }

  get kms(): KmsApi {
    const k = kmsIfRunning(this.rt.store) ?? this.kmsApi;
    if (!k) throw new Error('ssm: KMS is not ready');
    return k;
  }

  /** Applies the policy actions of `scope` that are due. */
  sweep(scope: Scope): void {
    for (const p of [...this.params.values(scope)]) this.runPolicies(scope, p.name);
  }

  get(scope: Scope, name: string): ParamRecord | undefined {
    this.sweep(scope);
    return this.params.get(scope, name);
  }

  save(scope: Scope, p: ParamRecord): void {
    this.params.put(scope, p.name, p);
    this.armPolicies(scope, p);
  }

  remove(scope: Scope, name: string): void {
    this.params.delete(scope, name);
    this.disarm(scope, name);
  }

  /** Performs every policy action of parameter `name` due by now (deletion, notification events). */
  runPolicies(scope: Scope, name: string): void {
    const p = this.params.get(scope, name);
    if (!p) return;
    const v = latest(p);
    const now = this.now();
    let changed = false;
    for (const { policy, at } of policyActions(v)) {
      if (at > now) break;
      this.policyEvent(scope, p, v, policy);
      if (policy.Type === 'Expiration') return this.remove(scope, name);
      (v.policiesDone ??= []).push(policy.Type);
      changed = true;
    }
    if (changed) this.save(scope, p);
  }

  /** A timer for the parameter's next policy action (replacing any earlier one). */
  armPolicies(scope: Scope, p: ParamRecord): void {
    this.disarm(scope, p.name);
    const next = policyActions(latest(p))[0];
    if (!next) return;
    const key = `${scope.account}/${scope.region}/${p.name}`;
    this.timers.set(key, this.rt.clock.at(Math.max(next.at, this.now()), () => {
      this.timers.delete(key);
      this.runPolicies(scope, p.name);
    }));
  }

  armAll(): void {
    for (const [scope, m] of this.params.allScopes()) for (const p of m.values()) this.armPolicies(scope, p);
  }

  private disarm(scope: Scope, name: string): void {
    const key = `${scope.account}/${scope.region}/${name}`;
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  /** AWS's "Parameter Store Policy Action" event, on the default bus of the parameter's Region. */
  private policyEvent(scope: Scope, p: ParamRecord, v: ParamVersion, policy: Policy): void {
    const a = policy.Attributes ?? {};
    const reason = policy.Type === 'Expiration'
      ? `The parameter expired at ${a.Timestamp} and was deleted.`
      : policy.Type === 'ExpirationNotification'
        ? `The parameter expires in ${a.Before} ${(a.Unit ?? 'Days').toLowerCase()}, at ${iso(expiresAt(v.policies)!)}.`
        : `The parameter has not been changed for ${a.After} ${(a.Unit ?? 'Days').toLowerCase()}, since ${iso(v.lastModifiedDate)}.`;
    const detail = {
      'parameter-name': p.name,
      // the field EventBridge rules in AWS's Parameter Store guide match on
      name: p.name,
      'parameter-type': v.type,
      'policy-type': policy.Type,
      'policy-content': JSON.stringify(policy),
      'action-status': 'Finished',
      'action-reason': reason,
    };
    this.emit(scope, 'Parameter Store Policy Action', detail, paramArn(scope, p.name));
  }

  /** Sends an aws.ssm event to EventBridge (best effort, as AWS's are). */
  emit(scope: Scope, detailType: string, detail: Record<string, unknown>, resource: string): void {
    this.rt.call('events', 'PutEvents', { Entries: [{ Source: 'aws.ssm', DetailType: detailType, Detail: JSON.stringify(detail), Resources: [resource] }] }, scope).catch(() => {});
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  /** Resolve a reference for reading; throws ParameterNotFound / ParameterVersionNotFound. */
  resolve(scope: Scope, raw: string): Resolved {
    const { name, selector } = splitRef(raw);
    if (isPublicName(name)) {
      const p = publicParam(scope.region, name);
      if (!p || (selector !== undefined && selector !== '1')) throw paramNotFound(raw);
      return {
        name,
        arn: publicArn(scope.region, name),
        selector: selector === undefined ? undefined : `:${selector}`,
        v: { version: 1, value: p.value, type: 'String', tier: 'Standard', dataType: p.dataType, labels: [], lastModifiedDate: PUBLISHED, lastModifiedUser: 'arn:aws:iam::aws:root' },
      };
    }
    // an ARN's resource "parameter/x" names "/x" or "x"
    const record = this.get(scope, name) ?? (raw.startsWith('arn:') ? this.get(scope, name.slice(1)) : undefined);
    if (!record) throw paramNotFound(raw);
    let v: ParamVersion | undefined;
    if (selector === undefined) v = latest(record);
    else if (/^\d+$/.test(selector)) {
      v = record.versions.find((x) => x.version === Number(selector));
      if (!v) throw versionNotFound(record.name, selector);
    } else {
      v = record.versions.find((x) => x.labels.includes(selector));
      if (!v) throw paramNotFound(raw);
    }
    return { name: record.name, arn: paramArn(scope, record.name), v, selector: selector === undefined ? undefined : `:${selector}`, record };
  }
}

/** "arn:aws:ssm:r:a:parameter/x/y:3" → { name: "/x/y", selector: "3" }; "x:label" → { name: "x", selector: "label" }. */
export function splitRef(raw: string): { name: string; selector?: string } {
  let rest = raw;
  if (raw.startsWith('arn:')) {
    const parts = raw.split(':');
    const resource = parts.slice(5).join(':');
    if (!resource.startsWith('parameter/')) throw validation(`Invalid parameter ARN: ${raw}`);
    rest = resource.slice('parameter'.length);
  }
  const i = rest.indexOf(':');
  if (i < 0) return { name: rest };
  const selector = rest.slice(i + 1);
  if (selector === '' || selector.includes(':')) throw validation(`Invalid parameter name or selector: ${raw}`);
  return { name: rest.slice(0, i), selector };
}
