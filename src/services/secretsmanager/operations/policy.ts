/** Resource policies (stored, validated as JSON policy documents) and GetRandomPassword. */
import { randomInt } from 'node:crypto';
import type { GetRandomPasswordRequest, PutResourcePolicyRequest, ValidateResourcePolicyResponse } from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import { AwsError } from '../../../core/errors.js';
import type { SecretsState } from '../state.js';
import { constraint, invalidParameter } from '../domain/model.js';

const malformed = (m: string) => new AwsError('MalformedPolicyDocumentException', m, 400);

/** Checks the document's shape; returns the problems found (empty when it passes). */
export function policyProblems(text: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return ['This resource policy contains a syntax error.'];
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return ['This resource policy contains a syntax error.'];
  const stmts = (doc as Record<string, unknown>).Statement;
  if (stmts === undefined) return ['This resource policy is missing the required Statement element.'];
  const list = Array.isArray(stmts) ? stmts : [stmts];
  const problems: string[] = [];
  for (const st of list) {
    if (typeof st !== 'object' || st === null) { problems.push('This resource policy contains a syntax error.'); continue; }
    const s = st as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') problems.push('This resource policy contains an invalid Effect element.');
    if (s.Action === undefined && s.NotAction === undefined) problems.push('This resource policy is missing an Action element.');
    if (s.Principal === undefined && s.NotPrincipal === undefined) problems.push('This resource policy contains an unsupported principal.');
  }
  return problems;
}

/** An Allow statement for everyone without a condition grants public access. */
export function isPublic(text: string): boolean {
  const doc = JSON.parse(text) as { Statement: unknown };
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return list.some((s: Record<string, unknown>) => {
    if (s.Effect !== 'Allow' || s.Condition !== undefined) return false;
    const p = s.Principal as unknown;
    if (p === '*') return true;
    if (typeof p === 'object' && p !== null) {
      const aws = (p as Record<string, unknown>).AWS;
      return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
    }
    return false;
  });
}

export function putResourcePolicy(st: SecretsState, scope: Scope, input: PutResourcePolicyRequest): { ARN: string; Name: string } {
  if (input.ResourcePolicy.length < 1 || input.ResourcePolicy.length > 20480) {
    throw constraint('…', 'resourcePolicy', 'Member must have length less than or equal to 20480');
  }
  const s = st.writable(scope, input.SecretId);
  const problems = policyProblems(input.ResourcePolicy);
  if (problems.length) throw malformed(problems[0]!);
  if (input.BlockPublicPolicy && isPublic(input.ResourcePolicy)) {
    throw new AwsError('PublicPolicyException', 'The BlockPublicPolicy parameter is set to true, and the resource policy that you attached to the secret would grant public access to the secret.', 400);
  }
  s.resourcePolicy = input.ResourcePolicy;
  s.lastChangedDate = st.now();
  st.save(scope, s);
  return { ARN: s.arn, Name: s.name };
}

export function getResourcePolicy(st: SecretsState, scope: Scope, id: string): { ARN: string; Name: string; ResourcePolicy?: string } {
  const s = st.get(scope, id, false);
  return { ARN: s.arn, Name: s.name, ResourcePolicy: s.resourcePolicy };
}

export function deleteResourcePolicy(st: SecretsState, scope: Scope, id: string): { ARN: string; Name: string } {
  const s = st.writable(scope, id);
  delete s.resourcePolicy;
  s.lastChangedDate = st.now();
  st.save(scope, s);
  return { ARN: s.arn, Name: s.name };
}

export function validateResourcePolicy(st: SecretsState, scope: Scope, policy: string, id: string | undefined): ValidateResourcePolicyResponse {
  if (id !== undefined) st.get(scope, id);
  const problems = policyProblems(policy);
  if (problems.length) throw malformed(problems[0]!);
  const errors = isPublic(policy) ? [{ CheckName: 'BlockPublicPolicy', ErrorMessage: 'The resource policy grants public access to the secret.' }] : [];
  return { PolicyValidationPassed: errors.length === 0, ValidationErrors: errors };
}

// ---- GetRandomPassword

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
export const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

export function getRandomPassword(input: GetRandomPasswordRequest): { RandomPassword: string } {
  const length = input.PasswordLength ?? 32;
  if (length < 1) throw constraint(length, 'passwordLength', 'Member must have value greater than or equal to 1');
  if (length > 4096) throw constraint(length, 'passwordLength', 'Member must have value less than or equal to 4096');
  const exclude = new Set(input.ExcludeCharacters ?? '');
  const keep = (set: string) => [...set].filter((c) => !exclude.has(c)).join('');
  const classes: string[] = [];
  if (!input.ExcludeLowercase) classes.push(keep(LOWER));
  if (!input.ExcludeUppercase) classes.push(keep(UPPER));
  if (!input.ExcludeNumbers) classes.push(keep(DIGITS));
  if (!input.ExcludePunctuation) classes.push(keep(PUNCTUATION));
  if (input.IncludeSpace) classes.push(keep(' '));
  const usable = classes.filter((c) => c.length > 0);
  if (usable.length === 0) throw invalidParameter('The password length is too short based on the required types.');
  const require = input.RequireEachIncludedType ?? true;
  if (require && length < usable.length) throw invalidParameter('Password length is too short based on the required types.');
  const all = usable.join('');
  const chars: string[] = [];
  if (require) for (const c of usable) chars.push(c[randomInt(c.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  // Fisher–Yates so the required characters are not always in front
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return { RandomPassword: chars.join('') };
}
