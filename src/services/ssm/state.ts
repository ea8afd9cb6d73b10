/**
 * The parameters table and reference resolution (name, ARN, `name:version`, `name:label`,
 * public /aws/service/… parameters). A parameter whose Expiration policy has passed on the
 * virtual clock is deleted on the next access of its scope.
 */
import type { ServiceRuntime } from '../service.js';
import type { Scope, Table } from '../../state/store.js';
import { latest, paramArn, paramNotFound, versionNotFound, validation, type ParamRecord, type ParamVersion } from './domain/model.js';
import { isPublicName, publicArn, publicParam, PUBLISHED } from './domain/public.js';
import { expiresAt } from './domain/policies.js';

export interface Resolved {
  name: string;
  arn: string;
  v: ParamVersion;
  selector?: string;
  record?: ParamRecord;
}

export class SsmState {
  readonly params: Table<ParamRecord>;

  constructor(private readonly rt: ServiceRuntime) {
    this.params = rt.table('parameters');
  }

  now(): number {
    return this.rt.clock.now();
  }

  /** Delete parameters whose Expiration policy is due. */
  sweep(scope: Scope): void {
    const now = this.now();
    for (const p of [...this.params.values(scope)]) {
      const at = expiresAt(latest(p).policies);
      if (at !== undefined && at <= now) this.params.delete(scope, p.name);
    }
  }

  get(scope: Scope, name: string): ParamRecord | undefined {
    this.sweep(scope);
    return this.params.get(scope, name);
  }

  save(scope: Scope, p: ParamRecord): void {
    this.params.put(scope, p.name, p);
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
