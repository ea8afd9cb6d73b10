/**
 * S3's IAM actions: which action (and which resource, bucket or object) each API operation is
 * authorized as — S3's names differ from its operation names (HeadObject is s3:GetObject,
 * ListObjectsV2 is s3:ListBucket, DeleteBucketCors is s3:PutBucketCORS) — and the catalog of
 * actions a bucket policy may name, by the kind of resource they apply to.
 */

/** Operation → action, where it is not `s3:<Operation>`. */
const ACTION_OF: Record<string, string> = {
  HeadObject: 'GetObject',
  CopyObject: 'PutObject',
  CreateMultipartUpload: 'PutObject',
  UploadPart: 'PutObject',
  UploadPartCopy: 'PutObject',
  CompleteMultipartUpload: 'PutObject',
  DeleteObjects: 'DeleteObject',
  ListParts: 'ListMultipartUploadParts',
  ListMultipartUploads: 'ListBucketMultipartUploads',
  ListObjects: 'ListBucket',
  ListObjectsV2: 'ListBucket',
  HeadBucket: 'ListBucket',
  ListObjectVersions: 'ListBucketVersions',
  ListBuckets: 'ListAllMyBuckets',
  DeleteBucketTagging: 'PutBucketTagging',
  PutBucketCors: 'PutBucketCORS',
  GetBucketCors: 'GetBucketCORS',
  DeleteBucketCors: 'PutBucketCORS',
  PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
  GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
  DeletePublicAccessBlock: 'PutBucketPublicAccessBlock',
  DeleteBucketOwnershipControls: 'PutBucketOwnershipControls',
  PutBucketLifecycleConfiguration: 'PutLifecycleConfiguration',
  GetBucketLifecycleConfiguration: 'GetLifecycleConfiguration',
  DeleteBucketLifecycle: 'PutLifecycleConfiguration',
  PutBucketEncryption: 'PutEncryptionConfiguration',
  GetBucketEncryption: 'GetEncryptionConfiguration',
  DeleteBucketEncryption: 'PutEncryptionConfiguration',
  PutBucketReplication: 'PutReplicationConfiguration',
  GetBucketReplication: 'GetReplicationConfiguration',
  DeleteBucketReplication: 'PutReplicationConfiguration',
  PutBucketNotificationConfiguration: 'PutBucketNotification',
  GetBucketNotificationConfiguration: 'GetBucketNotification',
  PutObjectLockConfiguration: 'PutBucketObjectLockConfiguration',
  GetObjectLockConfiguration: 'GetBucketObjectLockConfiguration',
  PutBucketAccelerateConfiguration: 'PutAccelerateConfiguration',
  GetBucketAccelerateConfiguration: 'GetAccelerateConfiguration',
  PutBucketAnalyticsConfiguration: 'PutAnalyticsConfiguration',
  GetBucketAnalyticsConfiguration: 'GetAnalyticsConfiguration',
  DeleteBucketAnalyticsConfiguration: 'PutAnalyticsConfiguration',
  ListBucketAnalyticsConfigurations: 'GetAnalyticsConfiguration',
  PutBucketInventoryConfiguration: 'PutInventoryConfiguration',
  GetBucketInventoryConfiguration: 'GetInventoryConfiguration',
  DeleteBucketInventoryConfiguration: 'PutInventoryConfiguration',
  ListBucketInventoryConfigurations: 'GetInventoryConfiguration',
  PutBucketMetricsConfiguration: 'PutMetricsConfiguration',
  GetBucketMetricsConfiguration: 'GetMetricsConfiguration',
  DeleteBucketMetricsConfiguration: 'PutMetricsConfiguration',
  ListBucketMetricsConfigurations: 'GetMetricsConfiguration',
  PutBucketIntelligentTieringConfiguration: 'PutIntelligentTieringConfiguration',
  GetBucketIntelligentTieringConfiguration: 'GetIntelligentTieringConfiguration',
  DeleteBucketIntelligentTieringConfiguration: 'PutIntelligentTieringConfiguration',
  ListBucketIntelligentTieringConfigurations: 'GetIntelligentTieringConfiguration',
};

/** Operations whose `VersionId` makes them the `…Version…` action. */
const VERSIONED: Record<string, string> = {
  GetObject: 'GetObjectVersion',
  DeleteObject: 'DeleteObjectVersion',
  GetObjectAcl: 'GetObjectVersionAcl',
  PutObjectAcl: 'PutObjectVersionAcl',
  GetObjectTagging: 'GetObjectVersionTagging',
  PutObjectTagging: 'PutObjectVersionTagging',
  DeleteObjectTagging: 'DeleteObjectVersionTagging',
  GetObjectAttributes: 'GetObjectVersionAttributes',
};

/** `s3:<action>` for an operation (a HEAD or GET of a named version is s3:GetObjectVersion). */
export function s3Action(operation: string, input: { VersionId?: unknown }): string {
  const base = ACTION_OF[operation] ?? operation;
  const versioned = typeof input.VersionId === 'string' ? VERSIONED[base] : undefined;
  return `s3:${versioned ?? base}`;
}

// ---- the catalog (the Service Authorization Reference's S3 actions, by resource type)

const OBJECT_ACTIONS = [
  'AbortMultipartUpload', 'BypassGovernanceRetention', 'DeleteObject', 'DeleteObjectTagging', 'DeleteObjectVersion',
  'DeleteObjectVersionTagging', 'GetObject', 'GetObjectAcl', 'GetObjectAttributes', 'GetObjectLegalHold', 'GetObjectRetention',
  'GetObjectTagging', 'GetObjectTorrent', 'GetObjectVersion', 'GetObjectVersionAcl', 'GetObjectVersionAttributes',
  'GetObjectVersionForReplication', 'GetObjectVersionTagging', 'GetObjectVersionTorrent', 'InitiateReplication',
  'ListMultipartUploadParts', 'ObjectOwnerOverrideToBucketOwner', 'PutObject', 'PutObjectAcl', 'PutObjectLegalHold',
  'PutObjectRetention', 'PutObjectTagging', 'PutObjectVersionAcl', 'PutObjectVersionTagging', 'ReplicateDelete',
  'ReplicateObject', 'ReplicateTags', 'RestoreObject', 'RenameObject', 'UpdateObjectEncryption',
];

const BUCKET_ACTIONS = [
  'CreateBucket', 'DeleteBucket', 'DeleteBucketOwnershipControls', 'DeleteBucketPolicy', 'DeleteBucketWebsite',
  'GetAccelerateConfiguration', 'GetAnalyticsConfiguration', 'GetBucketAbac', 'GetBucketAcl', 'GetBucketCORS', 'GetBucketLocation',
  'GetBucketLogging', 'GetBucketMetadataTableConfiguration', 'GetBucketNotification', 'GetBucketObjectLockConfiguration',
  'GetBucketOwnershipControls', 'GetBucketPolicy', 'GetBucketPolicyStatus', 'GetBucketPublicAccessBlock',
  'GetBucketRequestPayment', 'GetBucketTagging', 'GetBucketVersioning', 'GetBucketWebsite', 'GetEncryptionConfiguration',
  'GetIntelligentTieringConfiguration', 'GetInventoryConfiguration', 'GetLifecycleConfiguration', 'GetMetricsConfiguration',
  'GetReplicationConfiguration', 'ListBucket', 'ListBucketMultipartUploads', 'ListBucketVersions',
  'PutAccelerateConfiguration', 'PutAnalyticsConfiguration', 'PutBucketAbac', 'PutBucketAcl', 'PutBucketCORS',
  'PutBucketLogging', 'PutBucketNotification', 'PutBucketObjectLockConfiguration', 'PutBucketOwnershipControls',
  'PutBucketPolicy', 'PutBucketPublicAccessBlock', 'PutBucketRequestPayment', 'PutBucketTagging', 'PutBucketVersioning',
  'PutBucketWebsite', 'PutEncryptionConfiguration', 'PutIntelligentTieringConfiguration', 'PutInventoryConfiguration',
  'PutLifecycleConfiguration', 'PutMetricsConfiguration', 'PutReplicationConfiguration', 'CreateBucketMetadataTableConfiguration',
  'DeleteBucketMetadataTableConfiguration',
];

/** Actions on neither a bucket nor an object (account, access points, jobs): valid names, but no bucket policy resource. */
const OTHER_ACTIONS = [
  'ListAllMyBuckets', 'GetAccountPublicAccessBlock', 'PutAccountPublicAccessBlock', 'CreateJob', 'DescribeJob', 'ListJobs',
  'UpdateJobPriority', 'UpdateJobStatus', 'ListAccessPoints', 'CreateAccessPoint', 'DeleteAccessPoint', 'GetAccessPoint',
  'GetAccessPointPolicy', 'PutAccessPointPolicy', 'DeleteAccessPointPolicy', 'GetStorageLensConfiguration',
  'PutStorageLensConfiguration', 'ListStorageLensConfigurations', 'CreateSession', 'PutAccessPointPublicAccessBlock',
  'GetAccessGrant', 'ListAccessGrants', 'ListMultiRegionAccessPoints', 'ListTagsForResource', 'TagResource', 'UntagResource',
];

export type ActionKind = 'bucket' | 'object' | 'other';

export const ACTION_CATALOG: { name: string; lower: string; kind: ActionKind }[] = [
  ...OBJECT_ACTIONS.map((n) => ({ name: n, lower: `s3:${n.toLowerCase()}`, kind: 'object' as const })),
  ...BUCKET_ACTIONS.map((n) => ({ name: n, lower: `s3:${n.toLowerCase()}`, kind: 'bucket' as const })),
  ...OTHER_ACTIONS.map((n) => ({ name: n, lower: `s3:${n.toLowerCase()}`, kind: 'other' as const })),
];

/**
 * S3's condition keys a request carries by itself (for bucket policies here, and for any caller
 * of IAM's engine, such as the gateway's authorize step): `s3:prefix`, `s3:x-amz-acl`, …
 */
export function s3RequestKeys(ctx: { method: string; accessKeyId?: string; auth?: { presigned: boolean }; query: URLSearchParams; operationName?: string; req?: { headers: Record<string, string | string[] | undefined> } }, input: Record<string, unknown>): Record<string, string | undefined> {
  const str = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : undefined);
  const header = (name: string) => {
    const v = ctx.req?.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const authType = !ctx.accessKeyId ? undefined
    : ctx.operationName === 'PostObject' ? 'POST'
    : ctx.auth?.presigned || ctx.query.has('Signature') ? 'REST-QUERY-STRING' : 'REST-HEADER';
  return {
    's3:authType': authType,
    's3:signatureversion': ctx.auth ? 'AWS4-HMAC-SHA256' : ctx.accessKeyId ? 'AWS' : undefined,
    's3:x-amz-content-sha256': header('x-amz-content-sha256'),
    's3:prefix': str('Prefix'),
    's3:delimiter': str('Delimiter'),
    's3:max-keys': input.MaxKeys !== undefined ? String(input.MaxKeys) : undefined,
    's3:VersionId': str('VersionId'),
    's3:x-amz-acl': str('ACL'),
    's3:x-amz-storage-class': str('StorageClass'),
    's3:x-amz-server-side-encryption': str('ServerSideEncryption'),
    's3:x-amz-server-side-encryption-aws-kms-key-id': str('SSEKMSKeyId'),
    's3:x-amz-copy-source': str('CopySource'),
    's3:x-amz-metadata-directive': str('MetadataDirective'),
    's3:x-amz-website-redirect-location': str('WebsiteRedirectLocation'),
    's3:object-lock-mode': str('ObjectLockMode'),
    's3:object-lock-legal-hold': str('ObjectLockLegalHoldStatus'),
  };
}
