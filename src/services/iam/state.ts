/**
 * IAM's state: plain records in tables scoped by account (region "" — IAM is global).
 * Entities are keyed by their lower-cased name (IAM names are unique regardless of case),
 * customer managed policies by ARN, access keys by key id. `store.table('iam', …)` is also
 * how STS and the policy engine read them (internal.ts).
 */
import type { Scope, Store, Table } from '../../state/store.js';
import type { PasswordPolicy } from './generated/types.js';

export interface Tag { Key: string; Value: string }

interface Entity {
  name: string;
  path: string;
  id: string;
  arn: string;
  /** epoch ms */
  created: number;
}

/** Inline policies: name → document (as sent, decoded). */
export type InlinePolicies = Record<string, string>;

export interface UserRec extends Entity {
  tags: Tag[];
  boundary?: string;
  attached: string[];
  inline: InlinePolicies;
  login?: LoginRec;
}

/** A console password: SHA-256 of the password; `history` the previous ones (PasswordReusePrevention). */
export interface LoginRec {
  created: number;
  resetRequired: boolean;
  password: string;
  /** when the password was last set (CreateLoginProfile, UpdateLoginProfile with a password, ChangePassword) */
  changed?: number;
  history?: string[];
}

export interface GroupRec extends Entity {
  attached: string[];
  inline: InlinePolicies;
  /** user keys (lower-cased names), in the order they were added */
  members: string[];
}

export interface RoleRec extends Entity {
  trust: string;
  description?: string;
  maxSession: number;
  boundary?: string;
  tags: Tag[];
  attached: string[];
  inline: InlinePolicies;
  lastUsed?: { date: number; region: string };
  /** a service-linked role: the service principal that owns it */
  linkedService?: string;
}

export interface VersionRec { id: string; document: string; created: number }

export interface PolicyRec extends Entity {
  description?: string;
  defaultVersion: string;
  versions: VersionRec[];
  nextVersion: number;
  updated: number;
  tags: Tag[];
}

export interface InstanceProfileRec extends Entity {
  /** role keys */
  roles: string[];
  tags: Tag[];
}

export interface AccessKeyRec {
  id: string;
  secret: string;
  /** user key (lower-cased name) */
  user: string;
  status: 'Active' | 'Inactive';
  created: number;
  lastUsed?: { date: number; region: string; service: string };
}

export interface AccountRec {
  aliases: string[];
  passwordPolicy?: PasswordPolicy;
  /** the last credential report: CSV made at `generated`, ready at `readyAt` (virtual clock) */
  credentialReport?: { generated: number; readyAt: number; csv: string };
  /** SetSecurityTokenServicePreferences: v1Token (default) or v2Token */
  globalEndpointTokenVersion?: 'v1Token' | 'v2Token';
  /** centralized root access (management account of an organization): the organization and its features */
  orgFeatures?: { organizationId: string; features: string[] };
  /** outbound web identity federation (STS GetWebIdentityToken): the account's issuer and signing keys */
  outboundFederation?: OutboundFederationRec;
}

export interface OutboundFederationRec {
  /** `https://<uuid>.tokens.sts.global.api.aws`, kept when the feature is disabled and enabled again */
  issuer: string;
  enabled: boolean;
  /** one RS256 (RSA 2048) and one ES384 (P-384) key, PKCS#8 PEM */
  keys: { kid: string; alg: 'RS256' | 'ES384'; pem: string }[];
}

/** An uploaded server certificate, keyed by lower-cased name. The private key is checked, never kept. */
export interface ServerCertRec {
  name: string;
  path: string;
  id: string;
  arn: string;
  uploaded: number;
  expiration: number;
  body: string;
  chain?: string;
  tags: Tag[];
}

/** An X.509 signing certificate of a user, keyed by certificate id. */
export interface SigningCertRec {
  id: string;
  /** user key (lower-cased name) */
  user: string;
  body: string;
  status: 'Active' | 'Inactive';
  uploaded: number;
}

/** An SSH public key of a user (CodeCommit), keyed by key id. */
export interface SshKeyRec {
  id: string;
  user: string;
  /** the key in OpenSSH form (`ssh-rsa AAAA…`) and as a PEM SubjectPublicKeyInfo */
  ssh: string;
  pem: string;
  fingerprint: string;
  status: 'Active' | 'Inactive';
  uploaded: number;
}

/** A service-specific credential (CodeCommit/Keyspaces password, Bedrock API key), keyed by id. */
export interface ServiceCredRec {
  id: string;
  user: string;
  service: string;
  /** user name + password services */
  serviceUserName?: string;
  /** API-key services */
  alias?: string;
  /** SHA-256 of the password / secret (shown once, at create and reset) */
  secretHash: string;
  status: 'Active' | 'Inactive';
  created: number;
  expires?: number;
}

/** DeleteServiceLinkedRole's task, keyed by its id; the role goes when `completeAt` passes on the clock. */
export interface SlrDeletionRec {
  id: string;
  /** role key (lower-cased name) */
  role: string;
  created: number;
  completeAt: number;
  status: 'NOT_STARTED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
}

/** A virtual MFA device, keyed by its serial number (ARN `…:mfa/<path><name>`). */
export interface MfaDeviceRec {
  serial: string;
  name: string;
  path: string;
  /** RFC 4648 Base32 seed (20 random bytes) */
  seed: string;
  created: number;
  tags: Tag[];
  /** user key (lower-cased name) while assigned */
  user?: string;
  enabled?: number;
  /** TOTP steps the device runs ahead (+) or behind (−) the clock, learnt by Enable/Resync */
  drift: number;
  /** highest TOTP step already accepted (a code is good once) */
  lastStep?: number;
}

export interface SamlProviderRec {
  arn: string;
  name: string;
  uuid: string;
  metadata: string;
  created: number;
  validUntil: number;
  tags: Tag[];
  assertionEncryptionMode?: string;
  privateKeys: { keyId: string; pem: string; timestamp: number }[];
}

export interface OidcProviderRec {
  arn: string;
  /** without the https:// scheme, as IAM names the provider */
  url: string;
  clientIds: string[];
  thumbprints: string[];
  created: number;
  tags: Tag[];
}

/** A GenerateServiceLastAccessedDetails / GenerateOrganizationsAccessReport job. */
export interface AccessJobRec {
  id: string;
  kind: 'service' | 'organizations';
  arn: string;
  granularity: string;
  created: number;
  readyAt: number;
  /** computed at creation (plain data; dates epoch ms) */
  services: { namespace: string; name: string; lastAuthenticated?: number; entity?: string; region?: string; entities: number; actions?: { action: string; last?: number; entity?: string; region?: string }[] }[];
}

/** Per principal ARN: the last request per service namespace (to the minute), for access advisor. */
export interface LastAccessRec { [namespace: string]: { date: number; region: string; action: string; actions: Record<string, { date: number; region: string }> } }

export interface IamTables {
  users: Table<UserRec>;
  groups: Table<GroupRec>;
  roles: Table<RoleRec>;
  policies: Table<PolicyRec>;
  profiles: Table<InstanceProfileRec>;
  keys: Table<AccessKeyRec>;
  account: Table<AccountRec>;
  mfa: Table<MfaDeviceRec>;
  saml: Table<SamlProviderRec>;
  oidc: Table<OidcProviderRec>;
  jobs: Table<AccessJobRec>;
  lastAccess: Table<LastAccessRec>;
  /** gureum only: JSON Web Key Sets registered for OIDC issuers (scope GLOBAL_SCOPE, key: issuer host/path) */
  jwks: Table<{ issuer: string; keys: unknown[] }>;
  serverCerts: Table<ServerCertRec>;
  signingCerts: Table<SigningCertRec>;
  sshKeys: Table<SshKeyRec>;
  serviceCreds: Table<ServiceCredRec>;
  slrDeletions: Table<SlrDeletionRec>;
}

/** Facts about the world outside any account (registered OIDC issuer keys). */
export const GLOBAL_SCOPE: Scope = { account: '', region: '' };

export function iamTables(store: Store): IamTables {
  return {
    users: store.table('iam', 'users'),
    groups: store.table('iam', 'groups'),
    roles: store.table('iam', 'roles'),
    policies: store.table('iam', 'policies'),
    profiles: store.table('iam', 'instanceProfiles'),
    keys: store.table('iam', 'accessKeys'),
    account: store.table('iam', 'account'),
    mfa: store.table('iam', 'mfaDevices'),
    saml: store.table('iam', 'samlProviders'),
    oidc: store.table('iam', 'oidcProviders'),
    jobs: store.table('iam', 'accessJobs'),
    lastAccess: store.table('iam', 'lastAccess'),
    jwks: store.table('iam', 'issuerKeys'),
    serverCerts: store.table('iam', 'serverCertificates'),
    signingCerts: store.table('iam', 'signingCertificates'),
    sshKeys: store.table('iam', 'sshPublicKeys'),
    serviceCreds: store.table('iam', 'serviceSpecificCredentials'),
    slrDeletions: store.table('iam', 'serviceLinkedRoleDeletions'),
  };
}

export const iamScope = (account: string): Scope => ({ account, region: '' });
export const nameKey = (name: string): string => name.toLowerCase();
