/**
 * The public image catalogue of a region: the Amazon Linux / ECS-optimized images SSM's public
 * parameters point at (same ids as services/ssm/internal.ts), a few Ubuntu and Windows images with
 * stable per-region ids, and the classic ids that tools and benchmarks hard-code (ami-12c6146b, …),
 * which exist in every region here.
 */
import { createHash } from 'node:crypto';
import { publicAmiIds } from '../../ssm/internal.js';

export interface ImageRec {
  id: string; name: string; description: string; ownerId: string; alias?: string; architecture: string;
  platform?: string; platformDetails: string; usageOperation: string; rootDeviceName: string; snapshotId: string;
  volumeSize: number; volumeType: string; creationDate: string; public: boolean; location: string; bootMode?: string;
  ssmName?: string; state: string; tags: { Key: string; Value: string }[]; sourceInstanceId?: string;
  createdAt?: number; extraDevices?: { device: string; snapshotId: string; size: number; type: string; deleteOnTermination: boolean }[];
  /** launch permissions of an own image: accounts, and `all` (public) */
  launchUsers?: string[]; launchPublic?: boolean;
  /** instance store mappings (ephemeralN) and the attributes RegisterImage/CopyImage set */
  ephemeralDevices?: { device: string; virtualName: string }[]; virtualizationType?: string; enaSupport?: boolean;
  sriovNetSupport?: string; imdsSupport?: string; tpmSupport?: string; sourceImageId?: string; sourceRegion?: string; lastLaunchedAt?: number;
}

export const AMAZON_OWNER = '137112412989';
const ECS_OWNER = '591542846629';
const CANONICAL = '099720109477';
const WINDOWS_OWNER = '801119661308';

const hash = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);

const linux = { platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances' };
const windows = { platform: 'windows', platformDetails: 'Windows', usageOperation: 'RunInstances:0002' };

function image(region: string, id: string, p: Partial<ImageRec> & { name: string; ownerId: string; architecture: string }): ImageRec {
  return {
    id,
    description: p.name,
    ...linux,
    rootDeviceName: '/dev/xvda',
    snapshotId: 'snap-0' + hash(`${region}:${id}:root`, 16),
    volumeSize: 8,
    volumeType: 'gp3',
    creationDate: '2026-01-08T00:00:00.000Z',
    public: true,
    location: `amazon/${p.name}`,
    alias: 'amazon',
    state: 'available',
    tags: [],
    ...p,
  };
}

/** Name, description and architecture of the image an SSM public parameter points at. */
function fromSsm(region: string, param: string, id: string): ImageRec | undefined {
  const leaf = param.replace(/^\/aws\/service\//, '');
  const arch = /arm64/.test(leaf) ? 'arm64' : 'x86_64';
  let m: RegExpMatchArray | null;
  if ((m = leaf.match(/^ami-amazon-linux-latest\/al2023-ami-(minimal-)?kernel-([\d.]+|default)-(x86_64|arm64)$/))) {
    const minimal = m[1] ? 'minimal-' : '';
    // The default kernel and the 6.1 kernel are the same image on AWS; distinct releases here.
    const release = m[2] === 'default' ? '2023.10.20260105.0' : m[2] === '6.1' ? '2023.10.20260105.1' : '2023.10.20260105.2';
    const kernel = m[2] === 'default' ? '6.1' : m[2];
    const name = `al2023-ami-${minimal}${release}-kernel-${kernel}-${arch}`;
    return image(region, id, { name, description: `Amazon Linux 2023 ${minimal ? 'Minimal ' : ''}AMI ${release} ${arch} HVM kernel-${kernel}`, ownerId: AMAZON_OWNER, architecture: arch, bootMode: 'uefi-preferred', ssmName: param });
  }
  if ((m = leaf.match(/^ami-amazon-linux-latest\/amzn2-ami-(kernel-5\.10-|minimal-)?hvm-(x86_64|arm64)-(gp2|ebs)$/))) {
    const variant = m[1] ?? '';
    const name = `amzn2-ami-${variant}hvm-2.0.20260105.0-${arch}-${m[3]}`;
    return image(region, id, { name, description: `Amazon Linux 2 ${variant ? variant.replace(/-$/, '') + ' ' : ''}AMI 2.0.20260105.0 ${arch} HVM ${m[3]}`, ownerId: AMAZON_OWNER, architecture: arch, volumeType: m[3] === 'gp2' ? 'gp2' : 'standard', ssmName: param });
  }
  if ((m = leaf.match(/^ecs\/optimized-ami\/(amazon-linux-2023|amazon-linux-2)(\/arm64)?\/recommended\/image_id$/))) {
    const name = m[1] === 'amazon-linux-2023' ? `al2023-ami-ecs-hvm-2023.0.20260105-kernel-6.1-${arch}` : `amzn2-ami-ecs-hvm-2.0.20260105-${arch}-ebs`;
    return image(region, id, { name, description: `Amazon Linux AMI ${m[1] === 'amazon-linux-2023' ? '2023' : '2'}.0.20260105 ${arch} ECS HVM EBS`, ownerId: ECS_OWNER, architecture: arch, volumeSize: 30, ssmName: param.replace(/\/image_id$/, '') });
  }
  return undefined;
}

const cache = new Map<string, ImageRec[]>();

/** Every public image of a region (id order of the catalogue, not sorted). */
export function publicImages(region: string): ImageRec[] {
  const hit = cache.get(region);
  if (hit) return hit;
  const out: ImageRec[] = [];
  for (const [param, id] of publicAmiIds(region)) {
    const img = fromSsm(region, param, id);
    if (img) out.push(img);
  }
  const stable = (name: string) => 'ami-0' + hash(`${region}:${name}`, 16);
  for (const [codename, ver, date] of [['noble', '24.04', '20260106'], ['jammy', '22.04', '20260106']] as const) {
    for (const arch of ['amd64', 'arm64']) {
      const name = `ubuntu/images/hvm-ssd-gp3/ubuntu-${codename}-${ver}-${arch}-server-${date}`;
      out.push(image(region, stable(name), { name, description: `Canonical, Ubuntu, ${ver}, ${arch} ${codename} image`, ownerId: CANONICAL, alias: undefined, architecture: arch === 'amd64' ? 'x86_64' : 'arm64', rootDeviceName: '/dev/sda1', location: `${CANONICAL}/${name}`, volumeSize: 8 }));
    }
  }
  for (const [name, desc] of [
    ['Windows_Server-2022-English-Full-Base-2026.01.14', 'Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon'],
    ['Windows_Server-2019-English-Full-Base-2026.01.14', 'Microsoft Windows Server 2019 with Desktop Experience Locale English AMI provided by Amazon'],
  ] as const) {
    out.push(image(region, stable(name), { name, description: desc, ownerId: WINDOWS_OWNER, architecture: 'x86_64', ...windows, rootDeviceName: '/dev/sda1', volumeSize: 30, volumeType: 'gp2' }));
  }
  // Classic ids that tools, tutorials and benchmarks hard-code (e.g. the shared bench's ami-12c6146b).
  const classic: [string, Partial<ImageRec> & { name: string; ownerId: string; architecture: string }][] = [
    ['ami-12c6146b', { name: 'Windows_Server-2008-R2_SP1-English-64Bit-Base-2017.10.13', description: 'Microsoft Windows 2008 R2 SP1 Datacenter 64-bit Locale English Base AMI provided by Amazon', ownerId: WINDOWS_OWNER, architecture: 'x86_64', ...windows, rootDeviceName: '/dev/sda1', volumeSize: 30, volumeType: 'gp2', creationDate: '2017-10-13T00:00:00.000Z' }],
    ['ami-760aaa0f', { name: 'amzn-ami-hvm-2017.09.1.20171103-x86_64-gp2', description: 'Amazon Linux AMI 2017.09.1.20171103 x86_64 HVM GP2', ownerId: AMAZON_OWNER, architecture: 'x86_64', volumeType: 'gp2', creationDate: '2017-11-03T00:00:00.000Z' }],
    ['ami-785db401', { name: 'ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-20170721', description: 'Canonical, Ubuntu, 16.04 LTS, amd64 xenial image build on 2017-07-21', ownerId: CANONICAL, alias: undefined, architecture: 'x86_64', rootDeviceName: '/dev/sda1', volumeType: 'gp2', creationDate: '2017-07-21T00:00:00.000Z' }],
    ['ami-1e749f67', { name: 'ubuntu/images/hvm-ssd/ubuntu-trusty-14.04-amd64-server-20170727', description: 'Canonical, Ubuntu, 14.04 LTS, amd64 trusty image build on 2017-07-27', ownerId: CANONICAL, alias: undefined, architecture: 'x86_64', rootDeviceName: '/dev/sda1', volumeType: 'gp2', creationDate: '2017-07-27T00:00:00.000Z' }],
  ];
  for (const [id, p] of classic) out.push(image(region, id, { location: 'alias' in p ? `${p.ownerId}/${p.name}` : `amazon/${p.name}`, ...p }));
  cache.set(region, out);
  return out;
}

const byId = new Map<string, Map<string, ImageRec>>();
export function publicImage(region: string, id: string): ImageRec | undefined {
  let m = byId.get(region);
  if (!m) byId.set(region, (m = new Map(publicImages(region).map((i) => [i.id, i]))));
  return m.get(id);
}
