/**
 * The public parameters AWS serves under /aws/service/… (read-only, the same for every account).
 * AMI ids are stable per region and name: "ami-0" + 16 hex digits of sha256(region:name), so
 * EC2 can recognise them (see internal.ts).
 */
import { createHash } from 'node:crypto';
import { REGIONS } from '../../../core/regions.js';
import { arn } from '../../../core/arn.js';

export interface PublicParam {
  name: string;
  value: string;
  dataType: string;
}

/** When the public values were "published" (a fixed date; version 1). */
export const PUBLISHED = Date.parse('2026-01-15T00:00:00Z');

const AMAZON_LINUX = [
  'al2023-ami-kernel-default-x86_64',
  'al2023-ami-kernel-default-arm64',
  'al2023-ami-kernel-6.1-x86_64',
  'al2023-ami-kernel-6.1-arm64',
  'al2023-ami-kernel-6.12-x86_64',
  'al2023-ami-kernel-6.12-arm64',
  'al2023-ami-minimal-kernel-default-x86_64',
  'al2023-ami-minimal-kernel-default-arm64',
  'amzn2-ami-hvm-x86_64-gp2',
  'amzn2-ami-hvm-x86_64-ebs',
  'amzn2-ami-hvm-arm64-gp2',
  'amzn2-ami-kernel-5.10-hvm-x86_64-gp2',
  'amzn2-ami-kernel-5.10-hvm-arm64-gp2',
  'amzn2-ami-minimal-hvm-x86_64-ebs',
];

const ECS = ['amazon-linux-2023', 'amazon-linux-2023/arm64', 'amazon-linux-2', 'amazon-linux-2/arm64'];

export function amiId(region: string, name: string): string {
  return 'ami-0' + createHash('sha256').update(`${region}:${name}`).digest('hex').slice(0, 16);
}

const cache = new Map<string, PublicParam[]>();

/** Every public parameter of a region, sorted by name. */
export function publicParams(region: string): PublicParam[] {
  const hit = cache.get(region);
  if (hit) return hit;
  const out: PublicParam[] = [];
  for (const n of AMAZON_LINUX) {
    const name = `/aws/service/ami-amazon-linux-latest/${n}`;
    out.push({ name, value: amiId(region, name), dataType: 'text' });
  }
  for (const n of ECS) {
    const base = `/aws/service/ecs/optimized-ami/${n}/recommended`;
    const image = amiId(region, base);
    out.push({ name: `${base}/image_id`, value: image, dataType: 'text' });
    out.push({
      name: base,
      value: JSON.stringify({ ecs_agent_version: '1.89.0', ecs_runtime_version: 'Docker version 25.0.8', image_id: image, image_name: `${n.replace('/', '-')}-ecs-optimized`, os: 'Amazon Linux', schema_version: 1, source_image_name: n }),
      dataType: 'text',
    });
  }
  for (const r of REGIONS) {
    out.push({ name: `/aws/service/global-infrastructure/regions/${r.name}`, value: r.name, dataType: 'text' });
  }
  out.push({ name: '/aws/service/global-infrastructure/current-region', value: region, dataType: 'text' });
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  cache.set(region, out);
  return out;
}

export function publicParam(region: string, name: string): PublicParam | undefined {
  return publicParams(region).find((p) => p.name === name);
}

export const publicArn = (region: string, name: string) => arn('ssm', region, '', `parameter${name}`);

export const isPublicName = (name: string) => name.startsWith('/aws/service/') || name === '/aws/service';
