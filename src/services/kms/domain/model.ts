/** Stored KMS records (plain data) and how they appear on the wire. */
import { arn } from '../../../core/arn.js';
import type { Scope } from '../../../state/store.js';
import type { AliasListEntry, GrantListEntry, KeyMetadata, Tag } from '../generated/types.js';
import { algorithmsOf, SPECS } from './specs.js';

/** One generation of key material. Symmetric/HMAC keys hold `secret`; asymmetric keys hold DER. */
export interface Material {
  id: string; // KeyMaterialId: 64 hex characters
  created: number;
  secret?: Buffer;
  privateDer?: Buffer; // PKCS#8
  publicDer?: Buffer; // SubjectPublicKeyInfo
  /** imported (Origin EXTERNAL) material: the secret part is absent until imported, after expiry or deletion */
  imported?: ImportedMaterial;
  /** imported as NEW_KEY_MATERIAL into a key that has material: current only after RotateKeyOnDemand */
  pendingRotation?: boolean;
}

export interface ImportedMaterial {
  /** sha256 of the material as imported: a reimport must bring the same bytes */
  fingerprint: string;
  state: 'IMPORTED' | 'PENDING_IMPORT';
  expirationModel?: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  validTo?: number;
  description?: string;
}

export interface RotationRecord {
  KeyMaterialId: string;
  RotationDate: number;
  RotationType: 'AUTOMATIC' | 'ON_DEMAND';
}

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport' | 'Creating' | 'PendingReplicaDeletion';

/** The multi-Region key set a key belongs to (the same on every member). */
export interface MultiRegionSet {
  primaryRegion: string;
  replicaRegions: string[];
}

export interface KeyRecord {
  KeyId: string;
  account: string;
  region: string;
  CreationDate: number;
  Description: string;
  KeyState: KeyState;
  KeySpec: string;
  KeyUsage: string;
  KeyManager: 'CUSTOMER' | 'AWS';
  Origin: string;
  MultiRegion: boolean;
  /** multi-Region keys: primary and replica Regions (absent: a primary without replicas) */
  mr?: MultiRegionSet;
  /** a replica being created is usable from this time (KeyState Creating until then) */
  readyAt?: number;
  DeletionDate?: number;
  PendingWindowInDays?: number;
  Policy: string;
  Tags: Tag[];
  /** every generation, oldest first; the last one is current */
  materials: Material[];
  rotation: { enabled: boolean; periodDays: number; next?: number };
  rotations: RotationRecord[];
}

export interface AliasRecord {
  AliasName: string;
  TargetKeyId: string;
  CreationDate: number;
  LastUpdatedDate: number;
}

export interface GrantRecord {
  GrantId: string;
  GrantToken: string;
  KeyId: string;
  Name?: string;
  GranteePrincipal?: string;
  GranteeServicePrincipal?: string;
  RetiringPrincipal?: string;
  RetiringServicePrincipal?: string;
  Operations: string[];
  Constraints?: GrantConstraintsRecord;
  CreationDate: number;
  IssuingAccount: string;
}
export interface GrantConstraintsRecord {
  EncryptionContextEquals?: Record<string, string>;
  EncryptionContextSubset?: Record<string, string>;
  SourceArn?: string;
}

export const keyArn = (scope: Scope, keyId: string) => arn('kms', scope.region, scope.account, `key/${keyId}`);
export const aliasArn = (scope: Scope, name: string) => arn('kms', scope.region, scope.account, name);
export const scopeOfKey = (k: KeyRecord): Scope => ({ account: k.account, region: k.region });
export const arnOf = (k: KeyRecord) => keyArn(scopeOfKey(k), k.KeyId);
/** The current material: the newest one not waiting for an on-demand rotation. */
export function current(k: KeyRecord): Material {
  for (let i = k.materials.length - 1; i >= 0; i--) if (!k.materials[i]!.pendingRotation) return k.materials[i]!;
  return k.materials[k.materials.length - 1]!;
}
export const primaryRegionOf = (k: KeyRecord): string => k.mr?.primaryRegion ?? k.region;
export const isReplica = (k: KeyRecord): boolean => k.MultiRegion && primaryRegionOf(k) !== k.region;

export function metadata(k: KeyRecord): KeyMetadata {
  const a = arnOf(k);
  const md: KeyMetadata = {
    AWSAccountId: k.account,
    KeyId: k.KeyId,
    Arn: a,
    CreationDate: new Date(k.CreationDate),
    Enabled: k.KeyState === 'Enabled',
    Description: k.Description,
    KeyUsage: k.KeyUsage,
    KeyState: k.KeyState,
    Origin: k.Origin,
    KeyManager: k.KeyManager,
    CustomerMasterKeySpec: k.KeySpec,
    KeySpec: k.KeySpec,
    ...algorithmsOf(k.KeySpec, k.KeyUsage),
    MultiRegion: k.MultiRegion,
  };
  if (k.MultiRegion) {
    const primary = primaryRegionOf(k);
    const at = (region: string) => ({ Arn: keyArn({ account: k.account, region }, k.KeyId), Region: region });
    md.MultiRegionConfiguration = {
      MultiRegionKeyType: primary === k.region ? 'PRIMARY' : 'REPLICA',
      PrimaryKey: at(primary),
      ReplicaKeys: (k.mr?.replicaRegions ?? []).map(at),
    };
  }
  if (k.KeyState === 'PendingDeletion') md.DeletionDate = new Date(k.DeletionDate!);
  if (k.KeyState === 'PendingDeletion' || k.KeyState === 'PendingReplicaDeletion') md.PendingDeletionWindowInDays = k.PendingWindowInDays;
  const m = k.materials.length ? current(k) : undefined;
  if (m && SPECS[k.KeySpec]!.kind === 'symmetric') md.CurrentKeyMaterialId = m.id;
  if (k.Origin === 'EXTERNAL' && m?.imported?.state === 'IMPORTED') {
    md.ExpirationModel = m.imported.expirationModel;
    if (m.imported.validTo !== undefined) md.ValidTo = new Date(m.imported.validTo);
  }
  return md;
}

export function aliasEntry(scope: Scope, a: AliasRecord): AliasListEntry {
  return {
    AliasName: a.AliasName,
    AliasArn: aliasArn(scope, a.AliasName),
    TargetKeyId: a.TargetKeyId,
    CreationDate: new Date(a.CreationDate),
    LastUpdatedDate: new Date(a.LastUpdatedDate),
  };
}

export function grantEntry(g: GrantRecord, scope: Scope): GrantListEntry {
  return {
    KeyId: keyArn(scope, g.KeyId),
    GrantId: g.GrantId,
    Name: g.Name ?? '',
    CreationDate: new Date(g.CreationDate),
    GranteePrincipal: g.GranteePrincipal,
    GranteeServicePrincipal: g.GranteeServicePrincipal,
    RetiringPrincipal: g.RetiringPrincipal,
    RetiringServicePrincipal: g.RetiringServicePrincipal,
    IssuingAccount: `arn:aws:iam::${g.IssuingAccount}:root`,
    Operations: g.Operations,
    Constraints: g.Constraints,
  };
}

/** The default key policy AWS attaches when CreateKey has no Policy (AWS's own formatting). */
export function defaultPolicy(account: string): string {
  return [
    '{',
    '  "Version" : "2012-10-17",',
    '  "Id" : "key-default-1",',
    '  "Statement" : [ {',
    '    "Sid" : "Enable IAM User Permissions",',
    '    "Effect" : "Allow",',
    '    "Principal" : {',
    `      "AWS" : "arn:aws:iam::${account}:root"`,
    '    },',
    '    "Action" : "kms:*",',
    '    "Resource" : "*"',
    '  } ]',
    '}',
  ].join('\n');
}

/** The policy of an AWS managed key (alias/aws/<service>). */
export function awsManagedPolicy(account: string, service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: `auto-${service}-1`,
    Statement: [
      {
        Sid: `Allow access through ${service} for all principals in the account that are authorized to use ${service}`,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': `${service}.amazonaws.com` } },
      },
      { Sid: 'Allow direct access to key metadata to the account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'], Resource: '*' },
    ],
  }, null, 2);
}
