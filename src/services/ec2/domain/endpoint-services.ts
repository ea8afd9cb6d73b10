/**
 * The AWS services a VPC endpoint can reach, per region, and the AWS-managed prefix lists of the
 * two gateway-endpoint services (S3, DynamoDB). Ids are stable per region: the us-east-1 prefix
 * list ids are AWS's own; elsewhere they are derived from the region and service name.
 */
import { createHash } from 'node:crypto';
import { formatIp4 } from './cidr.js';

/** Interface-endpoint services offered (com.amazonaws.<region>.<name>). */
const INTERFACE_SERVICES = [
  'acm', 'apigateway', 'athena', 'autoscaling', 'cloudformation', 'codebuild', 'dynamodb', 'ec2', 'ec2messages', 'ecr.api', 'ecr.dkr',
  'ecs', 'elasticloadbalancing', 'events', 'execute-api', 'kinesis-firehose', 'kinesis-streams', 'kms', 'lambda', 'logs', 'monitoring',
  'rds', 's3', 'secretsmanager', 'sns', 'sqs', 'ssm', 'ssmmessages', 'states', 'sts',
];
/** Services that also (or only) have a gateway endpoint. */
const GATEWAY_SERVICES = ['dynamodb', 's3'];

export interface EndpointService {
  name: string;
  short: string;
  id: string;
  types: ('Interface' | 'Gateway')[];
  /** DNS name of the regional API (for private DNS on interface endpoints) */
  dnsName: string;
}

const hex = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);

export function endpointServices(region: string): EndpointService[] {
  const names = [...new Set([...INTERFACE_SERVICES, ...GATEWAY_SERVICES])].sort();
  return names.map((short) => {
    const types: EndpointService['types'] = [];
    if (INTERFACE_SERVICES.includes(short)) types.push('Interface');
    if (GATEWAY_SERVICES.includes(short)) types.push('Gateway');
    return {
      name: `com.amazonaws.${region}.${short}`,
      short,
      id: `vpce-svc-${hex(`${region}/${short}`, 17)}`,
      types,
      dnsName: `${short}.${region}.amazonaws.com`,
    };
  });
}

export function endpointService(region: string, name: string | undefined): EndpointService | undefined {
  return name ? endpointServices(region).find((s) => s.name === name) : undefined;
}

export interface AwsPrefixList { id: string; name: string; cidrs: string[] }

/** AWS's published ranges for us-east-1 (a subset is enough for routing decisions). */
const US_EAST_1: Record<string, AwsPrefixList> = {
  s3: {
    id: 'pl-63a5400a',
    name: 'com.amazonaws.us-east-1.s3',
    cidrs: ['3.5.0.0/19', '16.15.192.0/18', '16.182.0.0/16', '18.34.0.0/19', '18.34.232.0/21', '52.216.0.0/15', '54.231.0.0/16'],
  },
  dynamodb: { id: 'pl-02cd2c6b', name: 'com.amazonaws.us-east-1.dynamodb', cidrs: ['3.218.180.0/22', '52.94.0.0/22', '52.119.224.0/20'] },
};

/** The AWS-managed prefix list of a gateway-endpoint service in a region. */
export function awsPrefixList(region: string, service: 's3' | 'dynamodb'): AwsPrefixList {
  if (region === 'us-east-1') return US_EAST_1[service]!;
  const h = createHash('sha256').update(`${region}/${service}`).digest();
  // Three blocks in 52.x / 3.x space, distinct per region and service.
  const cidrs = [0, 1, 2].map((i) => `${formatIp4((((i === 1 ? 3 : 52) << 24) | (h[i * 2]! << 16) | ((h[i * 2 + 1]! & 0xf0) << 8)) >>> 0)}/20`);
  return { id: `pl-${h.toString('hex').slice(0, 8)}`, name: `com.amazonaws.${region}.${service}`, cidrs };
}

export function awsPrefixLists(region: string): AwsPrefixList[] {
  return [awsPrefixList(region, 'dynamodb'), awsPrefixList(region, 's3')];
}
