/** KMS's error shapes with AWS's wording. */
import { AwsError } from '../../../core/errors.js';

export const validation = (message: string) => new AwsError('ValidationException', message, 400);
/** Coral-style constraint message, as KMS words input validation failures. */
export const constraint = (value: unknown, path: string, rule: string) =>
  validation(`1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: ${rule}`);
export const enumConstraint = (value: unknown, path: string, values: readonly string[]) =>
  constraint(value, path, `Member must satisfy enum value set: [${values.join(', ')}]`);

export function checkRange(value: number | undefined, path: string, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) throw constraint(value, path, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraint(value, path, `Member must have value less than or equal to ${max}`);
}

export function checkLength(value: { length: number } | undefined, path: string, min: number, max: number): void {
  if (value === undefined) return;
  if (value.length < min) throw validation(`1 validation error detected: Value at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw validation(`1 validation error detected: Value at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
}

export const notFound = (message: string) => new AwsError('NotFoundException', message, 404);
export const keyNotFound = (arn: string) => notFound(`Key '${arn}' does not exist`);
export const invalidKeyId = (id: string) => notFound(`Invalid keyId '${id}'`);
export const aliasNotFound = (aliasArn: string) => notFound(`Alias ${aliasArn} is not found.`);
export const disabled = (arn: string) => new AwsError('DisabledException', `${arn} is disabled.`, 409);
export const invalidState = (message: string) => new AwsError('KMSInvalidStateException', message, 409);
export const pendingDeletion = (arn: string) => invalidState(`${arn} is pending deletion.`);
export const invalidKeyUsage = (message: string) => new AwsError('InvalidKeyUsageException', message, 400);
export const usageNotValidFor = (arn: string, usage: string, operation: string) =>
  invalidKeyUsage(`${arn} key usage is ${usage} which is not valid for ${operation}.`);
/** AWS sends this one without a message. */
export const invalidCiphertext = () => new AwsError('InvalidCiphertextException', '', 400);
export const incorrectKey = () => new AwsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.', 400);
export const invalidSignature = () => new AwsError('KMSInvalidSignatureException', '', 400);
export const invalidMac = () => new AwsError('KMSInvalidMacException', '', 400);
export const unsupported = (message: string) => new AwsError('UnsupportedOperationException', message, 400);
export const invalidMarker = () => new AwsError('InvalidMarkerException', 'Invalid marker', 400);
export const dryRun = () => new AwsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.', 412);
export const malformedPolicy = (message: string) => new AwsError('MalformedPolicyDocumentException', message, 400);
export const tagError = (message: string) => new AwsError('TagException', message, 400);
export const alreadyExists = (message: string) => new AwsError('AlreadyExistsException', message, 409);
export const incorrectKeyMaterial = (message: string) => new AwsError('IncorrectKeyMaterialException', message, 400);
export const invalidImportToken = () => new AwsError('InvalidImportTokenException', 'The import token is invalid or does not belong to this KMS key.', 400);
export const expiredImportToken = () => new AwsError('ExpiredImportTokenException', 'The import token is expired. Use GetParametersForImport to get a new public key and import token.', 400);
export const accessDenied = (message: string) => new AwsError('AccessDeniedException', message, 400);

/** KMSInvalidStateException for a key whose state does not allow the operation. */
const STATE_WORDS: Record<string, string> = {
  PendingDeletion: 'pending deletion',
  PendingReplicaDeletion: 'pending replica deletion',
  PendingImport: 'pending import',
  Creating: 'pending creation',
};
export const notInUsableState = (arn: string, state: string) => invalidState(`${arn} is ${STATE_WORDS[state] ?? state}.`);
