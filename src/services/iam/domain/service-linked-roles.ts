/**
 * Service-linked roles AWS documents (each service's "Using service-linked roles" page): the
 * role name a service principal gets, whether it takes a CustomSuffix, and the AWS managed policy
 * (path /aws-service-role/) AWS attaches. The policy ARNs are checked against the generated
 * managed-policy data by test/services/iam/service-linked-roles.test.ts. A principal not listed
 * here still gets a role (`AWSServiceRoleFor` + its first label, capitalised) with no policy.
 */

export interface LinkedRoleSpec {
  /** the role name without a suffix */
  name: string;
  /** AWS managed policy name under arn:aws:iam::aws:policy/aws-service-role/ */
  policy?: string;
  /** whether CreateServiceLinkedRole accepts a CustomSuffix */
  suffix: boolean;
}

const KNOWN: Record<string, LinkedRoleSpec> = {
  'autoscaling.amazonaws.com': { name: 'AWSServiceRoleForAutoScaling', policy: 'AutoScalingServiceRolePolicy', suffix: true },
  'ecs.amazonaws.com': { name: 'AWSServiceRoleForECS', policy: 'AmazonECSServiceRolePolicy', suffix: false },
  'elasticloadbalancing.amazonaws.com': { name: 'AWSServiceRoleForElasticLoadBalancing', policy: 'AWSElasticLoadBalancingServiceRolePolicy', suffix: false },
  'es.amazonaws.com': { name: 'AWSServiceRoleForAmazonElasticsearchService', policy: 'AmazonElasticsearchServiceRolePolicy', suffix: false },
  'opensearchservice.amazonaws.com': { name: 'AWSServiceRoleForAmazonOpenSearchService', policy: 'AmazonOpenSearchServiceRolePolicy', suffix: false },
  'rds.amazonaws.com': { name: 'AWSServiceRoleForRDS', policy: 'AmazonRDSServiceRolePolicy', suffix: false },
  'organizations.amazonaws.com': { name: 'AWSServiceRoleForOrganizations', policy: 'AWSOrganizationsServiceTrustPolicy', suffix: false },
  'spot.amazonaws.com': { name: 'AWSServiceRoleForEC2Spot', policy: 'AWSEC2SpotServiceRolePolicy', suffix: false },
  'spotfleet.amazonaws.com': { name: 'AWSServiceRoleForEC2SpotFleet', policy: 'AWSEC2SpotFleetServiceRolePolicy', suffix: false },
  'ec2fleet.amazonaws.com': { name: 'AWSServiceRoleForEC2Fleet', policy: 'AWSEC2FleetServiceRolePolicy', suffix: false },
  'elasticache.amazonaws.com': { name: 'AWSServiceRoleForElastiCache', policy: 'ElastiCacheServiceRolePolicy', suffix: false },
  'eks.amazonaws.com': { name: 'AWSServiceRoleForAmazonEKS', policy: 'AmazonEKSServiceRolePolicy', suffix: false },
  'eks-nodegroup.amazonaws.com': { name: 'AWSServiceRoleForAmazonEKSNodegroup', policy: 'AWSServiceRoleForAmazonEKSNodegroup', suffix: false },
  'eks-fargate.amazonaws.com': { name: 'AWSServiceRoleForAmazonEKSForFargate', policy: 'AmazonEKSForFargateServiceRolePolicy', suffix: false },
  'config.amazonaws.com': { name: 'AWSServiceRoleForConfig', policy: 'AWSConfigServiceRolePolicy', suffix: false },
  'cloudtrail.amazonaws.com': { name: 'AWSServiceRoleForCloudTrail', policy: 'CloudTrailServiceRolePolicy', suffix: false },
  'guardduty.amazonaws.com': { name: 'AWSServiceRoleForAmazonGuardDuty', policy: 'AmazonGuardDutyServiceRolePolicy', suffix: false },
  'securityhub.amazonaws.com': { name: 'AWSServiceRoleForSecurityHub', policy: 'AWSSecurityHubServiceRolePolicy', suffix: false },
  'ops.apigateway.amazonaws.com': { name: 'AWSServiceRoleForAPIGateway', policy: 'APIGatewayServiceRolePolicy', suffix: false },
  'dynamodb.application-autoscaling.amazonaws.com': { name: 'AWSServiceRoleForApplicationAutoScaling_DynamoDBTable', policy: 'AWSApplicationAutoscalingDynamoDBTablePolicy', suffix: false },
  'ecs.application-autoscaling.amazonaws.com': { name: 'AWSServiceRoleForApplicationAutoScaling_ECSService', policy: 'AWSApplicationAutoscalingECSServicePolicy', suffix: false },
  'replicator.lambda.amazonaws.com': { name: 'AWSServiceRoleForLambdaReplicator', policy: 'AWSLambdaReplicator', suffix: false },
  'ssm.amazonaws.com': { name: 'AWSServiceRoleForAmazonSSM', policy: 'AmazonSSMServiceRolePolicy', suffix: false },
  'backup.amazonaws.com': { name: 'AWSServiceRoleForBackup', policy: 'AWSBackupServiceLinkedRolePolicyForBackup', suffix: false },
  'kafka.amazonaws.com': { name: 'AWSServiceRoleForKafka', policy: 'KafkaServiceRolePolicy', suffix: false },
  'support.amazonaws.com': { name: 'AWSServiceRoleForSupport', policy: 'AWSSupportServiceRolePolicy', suffix: false },
  'trustedadvisor.amazonaws.com': { name: 'AWSServiceRoleForTrustedAdvisor', policy: 'AWSTrustedAdvisorServiceRolePolicy', suffix: false },
  'sso.amazonaws.com': { name: 'AWSServiceRoleForSSO', policy: 'AWSSSOServiceRolePolicy', suffix: false },
  'globalaccelerator.amazonaws.com': { name: 'AWSServiceRoleForGlobalAccelerator', policy: 'AWSGlobalAcceleratorSLRPolicy', suffix: false },
  'transitgateway.amazonaws.com': { name: 'AWSServiceRoleForVPCTransitGateway', policy: 'AWSVPCTransitGatewayServiceRolePolicy', suffix: false },
  'elasticmapreduce.amazonaws.com': { name: 'AWSServiceRoleForEMRCleanup', policy: 'AmazonEMRCleanupPolicy', suffix: false },
  'access-analyzer.amazonaws.com': { name: 'AWSServiceRoleForAccessAnalyzer', policy: 'AccessAnalyzerServiceRolePolicy', suffix: false },
  'inspector2.amazonaws.com': { name: 'AWSServiceRoleForAmazonInspector2', policy: 'AmazonInspector2ServiceRolePolicy', suffix: false },
  'replication.ecr.amazonaws.com': { name: 'AWSServiceRoleForECRReplication', policy: 'ECRReplicationServiceRolePolicy', suffix: false },
  'fsx.amazonaws.com': { name: 'AWSServiceRoleForAmazonFSx', policy: 'AmazonFSxServiceRolePolicy', suffix: false },
  'elasticfilesystem.amazonaws.com': { name: 'AWSServiceRoleForAmazonElasticFileSystem', policy: 'AmazonElasticFileSystemServiceRolePolicy', suffix: false },
  'redshift.amazonaws.com': { name: 'AWSServiceRoleForRedshift', policy: 'AmazonRedshiftServiceLinkedRolePolicy', suffix: false },
  'member.org.stacksets.cloudformation.amazonaws.com': { name: 'AWSServiceRoleForCloudFormationStackSetsOrgMember', policy: 'CloudFormationStackSetsOrgMemberServiceRolePolicy', suffix: false },
  'batch.amazonaws.com': { name: 'AWSServiceRoleForBatch', policy: 'BatchServiceRolePolicy', suffix: false },
  'events.amazonaws.com': { name: 'AWSServiceRoleForCloudWatchEvents', policy: 'CloudWatchEventsServiceRolePolicy', suffix: false },
  'mrk.kms.amazonaws.com': { name: 'AWSServiceRoleForKeyManagementServiceMultiRegionKeys', policy: 'AWSKeyManagementServiceMultiRegionKeysServiceRolePolicy', suffix: false },
  'cloud9.amazonaws.com': { name: 'AWSServiceRoleForAWSCloud9', policy: 'AWSCloud9ServiceRolePolicy', suffix: false },
  'elasticbeanstalk.amazonaws.com': { name: 'AWSServiceRoleForElasticBeanstalk', policy: 'AWSElasticBeanstalkServiceRolePolicy', suffix: false },
};

export const LINKED_ROLE_POLICY_PREFIX = 'arn:aws:iam::aws:policy/aws-service-role/';

export function linkedRoleSpec(service: string): LinkedRoleSpec {
  const known = KNOWN[service];
  if (known) return known;
  const label = service.split('.')[0]!;
  return { name: `AWSServiceRoleFor${label.charAt(0).toUpperCase()}${label.slice(1).replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}`, suffix: true };
}

/** Every documented pair, for the test that checks the policies exist. */
export const knownLinkedRoles = (): [string, LinkedRoleSpec][] => Object.entries(KNOWN);
