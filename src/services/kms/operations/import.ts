/** Imported key material: GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial (Origin EXTERNAL keys). */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Scope } from '../../../state/store.js';
import type {
  DeleteImportedKeyMaterialRequest, DeleteImportedKeyMaterialResponse, GetParametersForImportRequest, GetParametersForImportResponse,
  ImportKeyMaterialRequest, ImportKeyMaterialResponse,
} from '../generated/types.js';
import {
  checkLength, enumConstraint, expiredImportToken, incorrectKeyMaterial, invalidCiphertext, invalidImportToken, notFound, notInUsableState,
  unsupported, validation,
} from '../domain/errors.js';
import {
  checkMaterial, IMPORT_PARAMETERS_TTL, importedMaterialId, MAX_VALID_TO, unwrap, WRAPPING_ALGORITHMS, WRAPPING_KEY_SPECS, wrappingFits,
} from '../domain/importing.js';
import { dropImported, refreshImportState } from '../domain/lifecycle.js';
import { arnOf, current, type KeyRecord, type Material } from '../domain/model.js';
import { SPECS } from '../domain/specs.js';
import { isDeleting, type KmsState } from '../state.js';

const genPair = promisify(generateKeyPair);
const EXPIRATION_MODELS = ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'];
const IMPORT_TYPES = ['NEW_KEY_MATERIAL', 'EXISTING_KEY_MATERIAL'];

function external(s: KmsState, scope: Scope, keyId: string): KeyRecord {
  const k = s.resolve(scope, keyId);
  if (k.Origin !== 'EXTERNAL') throw unsupported(`${arnOf(k)} origin is ${k.Origin} which is not valid for this operation.`);
  return k;
}

export async function getParametersForImport(s: KmsState, scope: Scope, input: GetParametersForImportRequest): Promise<GetParametersForImportResponse> {
  if (!WRAPPING_ALGORITHMS.includes(input.WrappingAlgorithm)) throw enumConstraint(input.WrappingAlgorithm, 'wrappingAlgorithm', WRAPPING_ALGORITHMS);
  if (!WRAPPING_KEY_SPECS.includes(input.WrappingKeySpec)) throw enumConstraint(input.WrappingKeySpec, 'wrappingKeySpec', WRAPPING_KEY_SPECS);
  const k = external(s, scope, input.KeyId);
  if (isDeleting(k)) throw notInUsableState(arnOf(k), k.KeyState);
  if (input.WrappingAlgorithm === 'RSAES_PKCS1_V1_5') throw unsupported('The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported. Use an RSAES_OAEP or RSA_AES_KEY_WRAP algorithm.');
  if (input.WrappingAlgorithm === 'SM2PKE' || input.WrappingKeySpec === 'SM2') throw unsupported('SM2 wrapping keys are available only in China Regions.');
  if (!wrappingFits(k.KeySpec, input.WrappingAlgorithm)) {
    throw validation(`To import ${k.KeySpec} key material, use the RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256 wrapping algorithm.`);
  }
  const bits = Number(input.WrappingKeySpec.slice(4));
  const enc = { publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } } as const;
  const pair = await genPair('rsa', { modulusLength: bits, publicExponent: 0x10001, ...enc });
  const now = s.now();
  for (const [sc, m] of [...s.imports.allScopes()]) for (const [id, p] of [...m]) if (p.validTo <= now) s.imports.delete(sc, id);
  const token = randomBytes(64);
  const validTo = now + IMPORT_PARAMETERS_TTL;
  s.imports.put(scope, token.toString('hex'), {
    keyId: k.KeyId, account: k.account, region: k.region, wrappingAlgorithm: input.WrappingAlgorithm, wrappingKeySpec: input.WrappingKeySpec,
    privateDer: pair.privateKey as unknown as Buffer, validTo,
  });
  return { KeyId: arnOf(k), ImportToken: token, PublicKey: pair.publicKey as unknown as Buffer, ParametersValidTo: new Date(validTo) };
}

export function importKeyMaterial(s: KmsState, scope: Scope, input: ImportKeyMaterialRequest): ImportKeyMaterialResponse {
  const model = input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES';
  if (!EXPIRATION_MODELS.includes(model)) throw enumConstraint(model, 'expirationModel', EXPIRATION_MODELS);
  if (input.ImportType !== undefined && !IMPORT_TYPES.includes(input.ImportType)) throw enumConstraint(input.ImportType, 'importType', IMPORT_TYPES);
  checkLength(input.EncryptedKeyMaterial, 'encryptedKeyMaterial', 1, 6144);
  checkLength(input.ImportToken, 'importToken', 1, 6144);
  checkLength(input.KeyMaterialDescription, 'keyMaterialDescription', 0, 256);
  const k = external(s, scope, input.KeyId);
  if (isDeleting(k)) throw notInUsableState(arnOf(k), k.KeyState);
  const now = s.now();
  const params = s.imports.get(scope, Buffer.from(input.ImportToken).toString('hex'));
  if (!params || params.keyId !== k.KeyId || params.account !== k.account || params.region !== k.region) throw invalidImportToken();
  if (params.validTo <= now) throw expiredImportToken();
  let validTo: number | undefined;
  if (model === 'KEY_MATERIAL_EXPIRES') {
    if (input.ValidTo === undefined) throw validation('ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES.');
    validTo = input.ValidTo.getTime();
    if (validTo <= now) throw validation('ValidTo must be a date and time in the future.');
    if (validTo > now + MAX_VALID_TO) throw validation('ValidTo must be at most 365 days from now.');
  } else if (input.ValidTo !== undefined) throw validation('ValidTo cannot be set when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.');

  const material = unwrap(params, input.EncryptedKeyMaterial);
  if (!material) throw invalidCiphertext();
  const checked = checkMaterial(k.KeySpec, material);
  if (typeof checked === 'string') throw incorrectKeyMaterial(checked);
  const symmetric = SPECS[k.KeySpec]!.kind === 'symmetric';
  const id = importedMaterialId(k.KeyId, material);
  const type = input.ImportType ?? (k.materials.length === 0 ? 'NEW_KEY_MATERIAL' : 'EXISTING_KEY_MATERIAL');
  let target: Material | undefined;
  if (type === 'EXISTING_KEY_MATERIAL') {
    if (input.KeyMaterialId !== undefined && input.KeyMaterialId !== id) throw incorrectKeyMaterial(`The key material does not match key material ${input.KeyMaterialId} of ${arnOf(k)}.`);
    target = k.materials.find((m) => (symmetric ? m.id === id : m.imported?.fingerprint === checked.fingerprint));
    if (!target) throw incorrectKeyMaterial(`The key material does not match the key material previously imported into ${arnOf(k)}.`);
  } else {
    if (input.KeyMaterialId !== undefined) throw validation('KeyMaterialId cannot be specified when ImportType is NEW_KEY_MATERIAL.');
    if (k.materials.length > 0) {
      if (!symmetric || k.MultiRegion) throw unsupported(`${arnOf(k)} already has key material: only single-Region symmetric encryption keys can have more than one.`);
      if (k.materials.some((m) => m.id === id)) throw incorrectKeyMaterial(`This key material was already imported into ${arnOf(k)}.`);
    }
    target = { id, created: now, pendingRotation: k.materials.length > 0 ? true : undefined };
    if (!target.pendingRotation) delete target.pendingRotation;
    k.materials.push(target);
  }
  if (checked.secret) target.secret = checked.secret;
  if (checked.privateDer) target.privateDer = checked.privateDer;
  if (checked.publicDer) target.publicDer = checked.publicDer;
  target.imported = {
    fingerprint: checked.fingerprint,
    state: 'IMPORTED',
    expirationModel: model as 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    description: input.KeyMaterialDescription ?? target.imported?.description,
  };
  if (validTo !== undefined) {
    target.imported.validTo = validTo;
    s.due(validTo);
  }
  if (target.imported.description === undefined) delete target.imported.description;
  refreshImportState(k);
  s.save(k);
  return { KeyId: arnOf(k), KeyMaterialId: target.id };
}

export function deleteImportedKeyMaterial(s: KmsState, scope: Scope, input: DeleteImportedKeyMaterialRequest): DeleteImportedKeyMaterialResponse {
  const k = external(s, scope, input.KeyId);
  let m: Material | undefined;
  if (input.KeyMaterialId !== undefined) {
    m = k.materials.find((x) => x.id === input.KeyMaterialId);
    if (!m) throw notFound(`Key material ${input.KeyMaterialId} does not exist in ${arnOf(k)}.`);
  } else if (k.materials.length) m = current(k);
  if (!m) throw notInUsableState(arnOf(k), 'PendingImport');
  dropImported(k, m.id);
  s.save(k);
  return { KeyId: arnOf(k), KeyMaterialId: m.id };
}
