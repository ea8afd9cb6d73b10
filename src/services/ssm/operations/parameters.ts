/** PutParameter, GetParameter(s), DeleteParameter(s), GetParameterHistory, (Un)LabelParameterVersion. */
import type {
  DeleteParametersResult, GetParameterHistoryRequest, GetParameterHistoryResult, GetParametersResult, LabelParameterVersionRequest,
  LabelParameterVersionResult, Parameter, PutParameterRequest, PutParameterResult, UnlabelParameterVersionRequest, UnlabelParameterVersionResult,
} from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import { AwsError, isAwsError } from '../../../core/errors.js';
import type { Resolved, SsmState } from '../state.js';
import {
  checkTags, checkWritableName, constraint, DATA_TYPES, decodeToken, DEFAULT_KEY, encodeToken, latest, MAX_VERSIONS, mergeTags,
  paramArn, paramNotFound, TIERS, TYPES, validation, validLabel, versionNotFound, type ParamRecord, type ParamVersion,
} from '../domain/model.js';
import { checkPolicies, policyList } from '../domain/policies.js';
import { decryptValue, encryptValue } from '../domain/crypto.js';

const STANDARD_MAX = 4096;
const ADVANCED_MAX = 8192;
const AMI_RE = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

export function putParameter(st: SsmState, scope: Scope, input: PutParameterRequest, user: string): PutParameterResult {
  const name = input.Name;
  checkWritableName(name);
  if (input.Value.length < 1) throw constraint('', 'value', 'Member must have length greater than or equal to 1');
  if (input.Overwrite && input.Tags !== undefined) {
    throw validation(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  }
  if (input.Type !== undefined && !TYPES.includes(input.Type)) throw constraint(input.Type, 'type', 'Member must satisfy enum value set: [SecureString, StringList, String]');
  if (input.Tier !== undefined && !TIERS.includes(input.Tier)) throw constraint(input.Tier, 'tier', 'Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]');
  if (input.DataType !== undefined && !DATA_TYPES.includes(input.DataType)) {
    throw validation(`The following data type is not supported: ${input.DataType} (Data type names are all lowercase.)`);
  }
  if (input.Description !== undefined && input.Description.length > 1024) throw constraint(input.Description, 'description', 'Member must have length less than or equal to 1024');
  if (input.AllowedPattern !== undefined && input.AllowedPattern.length > 1024) throw constraint(input.AllowedPattern, 'allowedPattern', 'Member must have length less than or equal to 1024');
  checkTags(input.Tags);
  if (input.Tags && input.Tags.length > 50) throw constraint('[…]', 'tags', 'Member must have length less than or equal to 50');
  if (input.Policies !== undefined) checkPolicies(input.Policies);

  const existing = st.get(scope, name);
  if (existing && !input.Overwrite) {
    throw new AwsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.', 400);
  }
  const prev = existing ? latest(existing) : undefined;
  const type = input.Type ?? prev?.type;
  if (!type) throw validation('A parameter type is required when you create a parameter.');
  if (input.KeyId !== undefined && type !== 'SecureString') throw validation('KeyId is required for SecureString type parameter only.');
  const dataType = input.DataType ?? prev?.dataType ?? 'text';
  if (dataType === 'aws:ec2:image') {
    if (type !== 'String') throw validation('Parameters of data type aws:ec2:image must be of type String.');
    if (!AMI_RE.test(input.Value)) throw validation(`Parameter value, ${input.Value}, is not in a valid format for data type aws:ec2:image.`);
  }
  const allowedPattern = input.AllowedPattern ?? prev?.allowedPattern;
  if (allowedPattern !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${allowedPattern})$`);
    } catch {
      throw validation(`The request does not meet the regular expression requirement: ${allowedPattern}`);
    }
    // AWS matches the whole value (Java's Matcher.matches)
    if (!re.test(input.Value)) {
      throw new AwsError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`, 400);
    }
  }

  const policies = input.Policies ?? prev?.policies;
  const hasPolicies = policies !== undefined && policyList(policies).length > 0;
  let tier = input.Tier ?? prev?.tier ?? 'Standard';
  if (tier === 'Intelligent-Tiering') tier = input.Value.length > STANDARD_MAX || hasPolicies || prev?.tier === 'Advanced' ? 'Advanced' : 'Standard';
  if (prev?.tier === 'Advanced' && tier === 'Standard') {
    throw validation(
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
    );
  }
  if (tier === 'Standard' && input.Value.length > STANDARD_MAX) {
    throw validation(
      'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
    );
  }
  if (input.Value.length > ADVANCED_MAX) throw constraint('…', 'value', 'Member must have length less than or equal to 8192');
  if (tier === 'Standard' && hasPolicies) throw validation('Parameter policies are supported only for the advanced-parameter tier.');

  const keyId = type === 'SecureString' ? input.KeyId ?? (prev?.type === 'SecureString' ? prev.keyId : undefined) ?? DEFAULT_KEY : undefined;
  // encrypted before anything changes: a key KMS refuses (InvalidKeyId) leaves the parameter as it was
  const encrypted = keyId ? encryptValue(st.kms, scope, keyId, paramArn(scope, name), input.Value, tier === 'Advanced') : undefined;
  const record: ParamRecord = existing ?? { name, versions: [], tags: mergeTags([], input.Tags ?? []) };
  if (record.versions.length >= MAX_VERSIONS) {
    const oldest = record.versions[0]!;
    if (oldest.labels.length) {
      throw new AwsError(
        'ParameterMaxVersionLimitExceeded',
        `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
        400,
      );
    }
    record.versions.shift();
  }
  const version = (prev?.version ?? 0) + 1;
  const v: ParamVersion = {
    version,
    value: keyId ? '' : input.Value,
    type,
    description: input.Description ?? prev?.description,
    allowedPattern,
    keyId,
    tier,
    dataType,
    labels: [],
    policies,
    lastModifiedDate: st.now(),
    lastModifiedUser: user,
  };
  if (encrypted) v.encrypted = encrypted;
  // an overwrite keeps the expiration actions already taken when the policies did not change
  const done = prev?.policies === policies ? prev?.policiesDone?.filter((t) => t !== 'NoChangeNotification') : undefined;
  if (done?.length) v.policiesDone = done;
  record.versions.push(v);
  st.save(scope, record);
  st.emit(scope, 'Parameter Store Change', { operation: existing ? 'Update' : 'Create', name, type, description: v.description ?? '' }, paramArn(scope, name));
  return { Version: version, Tier: tier };
}

/** The value a read answers: a SecureString's plaintext (WithDecryption) or its ciphertext in base64. */
export function valueOf(st: SsmState, scope: Scope, r: Resolved, decrypt: boolean | undefined): string {
  const v = r.v;
  if (v.type !== 'SecureString') return v.value;
  if (v.encrypted) return decrypt ? decryptValue(st.kms, scope, r.arn, v.encrypted) : v.encrypted.blob;
  return decrypt ? v.value : v.cipher ?? v.value; // written before SecureString values were encrypted
}

export function toParameter(st: SsmState, scope: Scope, r: Resolved, decrypt: boolean | undefined): Parameter {
  const v = r.v;
  return {
    Name: r.name,
    Type: v.type,
    Value: valueOf(st, scope, r, decrypt),
    Version: v.version,
    Selector: r.selector,
    LastModifiedDate: new Date(v.lastModifiedDate),
    ARN: r.arn,
    DataType: v.dataType,
  };
}

export function getParameter(st: SsmState, scope: Scope, name: string, decrypt?: boolean): { Parameter: Parameter } {
  return { Parameter: toParameter(st, scope, st.resolve(scope, name), decrypt) };
}

export function getParameters(st: SsmState, scope: Scope, names: string[], decrypt?: boolean): GetParametersResult {
  if (names.length < 1 || names.length > 10) {
    throw constraint(`[${names.join(', ')}]`, 'names', 'Member must have length less than or equal to 10');
  }
  const out: GetParametersResult = { Parameters: [], InvalidParameters: [] };
  for (const n of new Set(names)) {
    try {
      out.Parameters!.push(toParameter(st, scope, st.resolve(scope, n), decrypt));
    } catch (e) {
      if (!isAwsError(e) || !['ParameterNotFound', 'ParameterVersionNotFound'].includes(e.code)) throw e;
      out.InvalidParameters!.push(n);
    }
  }
  return out;
}

export function deleteParameter(st: SsmState, scope: Scope, name: string): void {
  const p = st.get(scope, name);
  if (!p) throw paramNotFound(name);
  st.remove(scope, name);
  st.emit(scope, 'Parameter Store Change', { operation: 'Delete', name, type: latest(p).type, description: latest(p).description ?? '' }, paramArn(scope, name));
}

export function deleteParameters(st: SsmState, scope: Scope, names: string[]): DeleteParametersResult {
  if (names.length < 1 || names.length > 10) throw constraint(`[${names.join(', ')}]`, 'names', 'Member must have length less than or equal to 10');
  const out: DeleteParametersResult = { DeletedParameters: [], InvalidParameters: [] };
  for (const n of new Set(names)) {
    const p = st.get(scope, n);
    if (p) {
      st.remove(scope, n);
      st.emit(scope, 'Parameter Store Change', { operation: 'Delete', name: n, type: latest(p).type, description: latest(p).description ?? '' }, paramArn(scope, n));
      out.DeletedParameters!.push(n);
    } else out.InvalidParameters!.push(n);
  }
  return out;
}

export function getParameterHistory(st: SsmState, scope: Scope, input: GetParameterHistoryRequest): GetParameterHistoryResult {
  const max = input.MaxResults ?? 50;
  if (max < 1 || max > 50) throw constraint(max, 'maxResults', 'Member must have value less than or equal to 50');
  const p = st.get(scope, input.Name);
  if (!p) throw paramNotFound(input.Name);
  const start = decodeToken(input.NextToken);
  const page = p.versions.slice(start, start + max);
  const out: GetParameterHistoryResult = {
    Parameters: page.map((v) => ({
      Name: p.name,
      Type: v.type,
      KeyId: v.keyId,
      LastModifiedDate: new Date(v.lastModifiedDate),
      LastModifiedUser: v.lastModifiedUser,
      Description: v.description,
      Value: valueOf(st, scope, { name: p.name, arn: paramArn(scope, p.name), v }, input.WithDecryption),
      AllowedPattern: v.allowedPattern,
      Version: v.version,
      Labels: [...v.labels],
      Tier: v.tier,
      Policies: policyList(v.policies, v.policiesDone),
      DataType: v.dataType,
    })),
  };
  if (start + max < p.versions.length) out.NextToken = encodeToken(start + max);
  return out;
}

function checkLabelList(labels: string[]): void {
  if (labels.length < 1 || labels.length > 10) throw constraint(`[${labels.join(', ')}]`, 'labels', 'Member must have length less than or equal to 10');
}

export function labelParameterVersion(st: SsmState, scope: Scope, input: LabelParameterVersionRequest): LabelParameterVersionResult {
  checkLabelList(input.Labels);
  const p = st.get(scope, input.Name);
  if (!p) throw paramNotFound(input.Name);
  const version = input.ParameterVersion ?? latest(p).version;
  const target = p.versions.find((v) => v.version === version);
  if (!target) throw versionNotFound(p.name, version);
  const valid = input.Labels.filter(validLabel);
  const invalid = input.Labels.filter((l) => !validLabel(l));
  const adding = [...new Set(valid)].filter((l) => !target.labels.includes(l));
  if (target.labels.length + adding.length > 10) {
    throw new AwsError('ParameterVersionLabelLimitExceeded', 'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.', 400);
  }
  for (const v of p.versions) if (v !== target) v.labels = v.labels.filter((l) => !adding.includes(l));
  target.labels.push(...adding);
  st.save(scope, p);
  return { InvalidLabels: invalid, ParameterVersion: version };
}

export function unlabelParameterVersion(st: SsmState, scope: Scope, input: UnlabelParameterVersionRequest): UnlabelParameterVersionResult {
  checkLabelList(input.Labels);
  const p = st.get(scope, input.Name);
  if (!p) throw paramNotFound(input.Name);
  const target = p.versions.find((v) => v.version === input.ParameterVersion);
  if (!target) throw versionNotFound(p.name, input.ParameterVersion);
  const removed = input.Labels.filter((l) => target.labels.includes(l));
  const invalid = input.Labels.filter((l) => !target.labels.includes(l));
  target.labels = target.labels.filter((l) => !removed.includes(l));
  st.save(scope, p);
  return { RemovedLabels: removed, InvalidLabels: invalid };
}

export { paramArn };
