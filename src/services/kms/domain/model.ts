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
}

export interface RotationRecord {
  KeyMaterialId: string;
  RotationDate: number;
  RotationType: 'AUTOMATIC' | 'ON_DEMAND';
}

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

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
export const current = (k: KeyRecord): Material => k.materials[k.materials.length - 1]!;

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
    md.MultiRegionConfiguration = { MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: a, Region: k.region }, ReplicaKeys: [] };
  }
  if (k.KeyState === 'PendingDeletion') {
    md.DeletionDate = new Date(k.DeletionDate!);
    md.PendingDeletionWindowInDays = k.PendingWindowInDays;
  }
  if (SPECS[k.KeySpec]!.kind === 'symmetric') md.CurrentKeyMaterialId = current(k).id;
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
