// Which SDK v3 client packages become which gureum service ids (boto3 client names).
// Every @aws-sdk/client-* devDependency in package.json must be listed here; codegen fails otherwise.

/** npm package suffix (after "@aws-sdk/client-") → gureum service id */
export const SERVICE_IDS = {
  'acm': 'acm',
  'amplify': 'amplify',
  'api-gateway': 'apigateway',
  'apigatewayv2': 'apigatewayv2',
  'appflow': 'appflow',
  'apprunner': 'apprunner',
  'athena': 'athena',
  'auto-scaling': 'autoscaling',
  'backup': 'backup',
  'batch': 'batch',
  'budgets': 'budgets',
  'cloudformation': 'cloudformation',
  'cloudfront': 'cloudfront',
  'cloudtrail': 'cloudtrail',
  'cloudwatch': 'cloudwatch',
  'cloudwatch-logs': 'logs',
  'codecommit': 'codecommit',
  'cognito-identity': 'cognito-identity',
  'cognito-identity-provider': 'cognito-idp',
  'config-service': 'config',
  'cost-explorer': 'ce',
  'database-migration-service': 'dms',
  'datasync': 'datasync',
  'direct-connect': 'directconnect',
  'directory-service': 'ds',
  'dynamodb': 'dynamodb',
  'dynamodb-streams': 'dynamodbstreams',
  'ec2': 'ec2',
  'ecr': 'ecr',
  'ecs': 'ecs',
  'efs': 'efs',
  'eks': 'eks',
  'elastic-beanstalk': 'elasticbeanstalk',
  'elastic-load-balancing': 'elb',
  'elastic-load-balancing-v2': 'elbv2',
  'elasticache': 'elasticache',
  'emr': 'emr',
  'eventbridge': 'events',
  'firehose': 'firehose',
  'fsx': 'fsx',
  'glacier': 'glacier',
  'global-accelerator': 'globalaccelerator',
  'glue': 'glue',
  'guardduty': 'guardduty',
  'iam': 'iam',
  'inspector2': 'inspector2',
  'kinesis': 'kinesis',
  'kinesis-video': 'kinesisvideo',
  'kms': 'kms',
  'lambda': 'lambda',
  'macie2': 'macie2',
  'network-firewall': 'network-firewall',
  'organizations': 'organizations',
  'outposts': 'outposts',
  'pinpoint': 'pinpoint',
  'quicksight': 'quicksight',
  'rds': 'rds',
  'redshift': 'redshift',
  'route-53': 'route53',
  's3': 's3',
  'scheduler': 'scheduler',
  'secrets-manager': 'secretsmanager',
  'service-quotas': 'service-quotas',
  'ses': 'ses',
  'sesv2': 'sesv2',
  'sfn': 'stepfunctions',
  'shield': 'shield',
  'sns': 'sns',
  'sqs': 'sqs',
  'ssm': 'ssm',
  'sso-admin': 'sso-admin',
  'storage-gateway': 'storagegateway',
  'sts': 'sts',
  'support': 'support',
  'transfer': 'transfer',
  'wafv2': 'wafv2',
};

/**
 * Services generated from botocore's JSON models instead (tools/codegen/botocore.mjs), because
 * our registry has only pre-schema @aws-sdk/client-* versions of them (no static schemas to read):
 * gureum service id → botocore data directory name.
 */
export const BOTOCORE_SERVICES = {
  cloudhsmv2: 'cloudhsmv2',   // @aws-sdk/client-cloudhsm-v2: 3.332.0 at most
  controltower: 'controltower', // @aws-sdk/client-controltower: 3.332.0 at most
  mgn: 'mgn',                 // @aws-sdk/client-mgn: 3.523.0 only
  snowball: 'snowball',       // @aws-sdk/client-snowball: 3.523.0 only
};

/** Services whose state is scoped per account only (no region). */
export const GLOBAL_SCOPE = new Set([
  'iam', 'organizations', 'route53', 'cloudfront', 'globalaccelerator', 'shield', 'budgets', 'ce', 'support',
]);

/** SDK protocol shape id → gureum protocol id (+ json version). */
export const PROTOCOLS = {
  'aws.protocols#awsJson1_0': { protocol: 'json', jsonVersion: '1.0' },
  'aws.protocols#awsJson1_1': { protocol: 'json', jsonVersion: '1.1' },
  'aws.protocols#awsQuery': { protocol: 'query' },
  'aws.protocols#ec2Query': { protocol: 'ec2' },
  'aws.protocols#restJson1': { protocol: 'rest-json' },
  'aws.protocols#restXml': { protocol: 'rest-xml' },
  'smithy.protocols#rpcv2Cbor': { protocol: 'smithy-rpc-v2-cbor' },
};
