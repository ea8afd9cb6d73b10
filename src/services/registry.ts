/**
 * The one list of services with hand-written behaviour. Every other service in
 * models/index.json is still routed: its operations answer 501 NotImplemented.
 * Each entry is a lazy import so start-up cost does not grow with the list.
 */
import type { ServiceDefinition } from './service.js';

type Loader = () => Promise<{ default: ServiceDefinition }>;

/** Services with timers kept in state: created at start-up when they have persisted state (src/index.ts). */
export const TIMER_SERVICES: readonly string[] = ['events', 'scheduler', 'secretsmanager', 'ssm', 'acm', 'kms', 's3', 'sqs', 'sns', 'dynamodb'];

export const SERVICE_LOADERS: Readonly<Record<string, Loader>> = {
  _template: () => import('./_template/index.js'),
  sts: () => import('./sts/index.js'),
  iam: () => import('./iam/index.js'),
  sqs: () => import('./sqs/index.js'),
  sns: () => import('./sns/index.js'),
  s3: () => import('./s3/index.js'),
  dynamodb: () => import('./dynamodb/index.js'),
  dynamodbstreams: () => import('./dynamodbstreams/index.js'),
  ec2: () => import('./ec2/index.js'),
  cloudwatch: () => import('./cloudwatch/index.js'),
  logs: () => import('./logs/index.js'),
  lambda: () => import('./lambda/index.js'),
  kms: () => import('./kms/index.js'),
  events: () => import('./events/index.js'),
  scheduler: () => import('./scheduler/index.js'),
  secretsmanager: () => import('./secretsmanager/index.js'),
  acm: () => import('./acm/index.js'),
  ssm: () => import('./ssm/index.js'),
  organizations: () => import('./organizations/index.js'),
};
