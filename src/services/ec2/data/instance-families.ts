/**
 * gureum's own EC2 instance family table: one row per family, expanded into DescribeInstanceTypes
 * records by domain/instance-types.ts. Values are from AWS's published instance type
 * specifications (the "Amazon EC2 instance types" pages), as of 2026; see the README for what is
 * approximate.
 *
 * Mini-language of the string columns (sizes are listed in the family's own order):
 *   sizes  space-separated sizes. `large` alone: vCPUs from the name (medium 1, large 2, xlarge 4,
 *          Nxlarge 4N) and memory = vCPUs × `gib`. `name=V` sets the vCPUs, `name=V/M` the vCPUs
 *          and memory in GiB (`M` ending in `m`: MiB).
 *   net, disk, gpu, accel, eni: space-separated `value:sizes`, where sizes is a comma list of
 *          sizes or ranges `a-b` (inclusive, in family order). Every size needs a `net` value.
 *   net    `L` Low, `LM` Low to Moderate, `M` Moderate, `H` High, `U10` Up to 10 Gigabit,
 *          `25` 25 Gigabit, `4x100` 4x 100 Gigabit.
 *   disk   `countxGB` instance store disks.
 *   gpu, accel  device count.
 *   eni    `maxInterfaces/ipv4PerInterface` where the size-class default (domain) does not fit.
 *   efa    sizes (comma list / ranges) that support EFA.
 */

export type Maker = 'Intel' | 'AMD' | 'AWS';

export interface InstanceFamily {
  family: string;
  current: boolean;
  maker: Maker;
  /** x86_64 unless `arm64`; `i386` adds i386 next to x86_64. */
  arch?: 'arm64' | 'i386';
  ghz: number;
  hv: 'xen' | 'nitro';
  sizes: string;
  /** GiB of memory per vCPU for sizes without an explicit memory. */
  gib?: number;
  net: string;
  burstable?: true;
  /** EbsOptimizedSupport; default `default` on nitro, `unsupported` on xen. */
  ebs?: 'unsupported' | 'supported' | 'default';
  /** EnaSupport on xen families (nitro: `required`); default `unsupported`. */
  ena?: 'supported';
  disk?: string;
  diskType?: 'ssd' | 'hdd';
  gpu?: { name: string; maker: string; gib: number; count: string };
  accel?: { name: string; maker: string; gib: number; count: string };
  eni?: string;
  efa?: string;
  networkCards?: number;
  /** Older families: paravirtual AMIs, instance-store root volumes, no IPv6 or EBS encryption. */
  legacy?: true;
  /** Families without hibernation (otherwise any non-metal size up to 150 GiB). */
  noHibernation?: true;
}

/** FreeTierEligible in DescribeInstanceTypes (the 12-month free tier's instance types). */
export const FREE_TIER = ['t2.micro', 't3.micro'];

const STD = 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge';
const GEN6_X86 = `${STD} 32xlarge`;
const GEN7_X86 = `${STD} 48xlarge metal-24xl=96 metal-48xl=192`;
const GRAVITON2 = 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal=64';
const GRAVITON3 = GRAVITON2;
const GRAVITON4 = 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl=96 metal-48xl=192';

const NET_M5 = 'U10:large-4xlarge 10:8xlarge,12xlarge 20:16xlarge 25:24xlarge,metal';
const NET_6 = 'U12.5:large-4xlarge 12.5:8xlarge 18.75:12xlarge 25:16xlarge 37.5:24xlarge 50:32xlarge,metal';
const NET_6A = 'U12.5:large-8xlarge 18.75:12xlarge 25:16xlarge 37.5:24xlarge 50:32xlarge,48xlarge,metal';
const NET_7 = 'U12.5:large-4xlarge 12.5:8xlarge 18.75:12xlarge 25:16xlarge 37.5:24xlarge,metal-24xl 50:48xlarge,metal-48xl';
const NET_G2 = 'U10:medium-4xlarge 12:8xlarge 20:12xlarge 25:16xlarge,metal';
const NET_G3 = 'U12.5:medium-4xlarge 15:8xlarge 22.5:12xlarge 30:16xlarge,metal';
const NET_G4 = 'U12.5:medium-4xlarge 15:8xlarge 22.5:12xlarge 30:16xlarge 40:24xlarge,metal-24xl 50:48xlarge,metal-48xl';

export const INSTANCE_FAMILIES: InstanceFamily[] = [
  // burstable general purpose
  { family: 't2', current: true, maker: 'Intel', arch: 'i386', ghz: 3.3, hv: 'xen', burstable: true, sizes: 'nano=1/0.5 micro=1/1 small=1/2 medium=2/4 large=2/8 xlarge=4/16 2xlarge=8/32', net: 'LM:nano-large M:xlarge,2xlarge', eni: '2/2:nano,micro 3/4:small 3/6:medium 3/12:large 3/15:xlarge,2xlarge' },
  { family: 't3', current: true, maker: 'Intel', ghz: 3.1, hv: 'nitro', burstable: true, sizes: 'nano=2/0.5 micro=2/1 small=2/2 medium=2/4 large=2/8 xlarge=4/16 2xlarge=8/32', net: 'U5:nano-2xlarge', eni: '2/2:nano,micro 3/4:small 3/6:medium 3/12:large 4/15:xlarge,2xlarge' },
  { family: 't3a', current: true, maker: 'AMD', ghz: 2.5, hv: 'nitro', burstable: true, sizes: 'nano=2/0.5 micro=2/1 small=2/2 medium=2/4 large=2/8 xlarge=4/16 2xlarge=8/32', net: 'U5:nano-2xlarge', eni: '2/2:nano,micro 2/4:small 3/6:medium 3/12:large 4/15:xlarge,2xlarge' },
  { family: 't4g', current: true, maker: 'AWS', arch: 'arm64', ghz: 2.5, hv: 'nitro', burstable: true, sizes: 'nano=2/0.5 micro=2/1 small=2/2 medium=2/4 large=2/8 xlarge=4/16 2xlarge=8/32', net: 'U5:nano-2xlarge', eni: '2/2:nano,micro 3/4:small 3/6:medium 3/12:large 4/15:xlarge,2xlarge' },

  // general purpose
  { family: 'm1', current: false, maker: 'Intel', arch: 'i386', ghz: 2.0, hv: 'xen', legacy: true, ebs: 'supported', sizes: 'small=1/1740m medium=1/3.75 large=2/7.5 xlarge=4/15', net: 'L:small M:medium,large H:xlarge', disk: '1x160:small 1x410:medium 2x420:large 4x420:xlarge', diskType: 'hdd', eni: '2/4:small 2/6:medium 3/10:large 4/15:xlarge' },
  { family: 'm4', current: false, maker: 'Intel', ghz: 2.4, hv: 'xen', ebs: 'default', ena: 'supported', gib: 4, sizes: 'large xlarge 2xlarge 4xlarge 10xlarge 16xlarge', net: 'M:large H:xlarge-4xlarge 10:10xlarge 25:16xlarge', eni: '2/10:large 4/15:xlarge,2xlarge 8/30:4xlarge-16xlarge' },
  { family: 'm5', current: false, maker: 'Intel', ghz: 3.1, hv: 'nitro', gib: 4, sizes: `${STD} metal=96`, net: NET_M5 },
  { family: 'm5a', current: true, maker: 'AMD', ghz: 2.5, hv: 'nitro', gib: 4, sizes: STD, net: 'U10:large-8xlarge 10:12xlarge 12:16xlarge 20:24xlarge' },
  { family: 'm6a', current: true, maker: 'AMD', ghz: 3.6, hv: 'nitro', gib: 4, sizes: `${GEN6_X86} 48xlarge metal=192`, net: NET_6A, efa: '48xlarge,metal' },
  { family: 'm6i', current: false, maker: 'Intel', ghz: 3.5, hv: 'nitro', gib: 4, sizes: `${GEN6_X86} metal=128`, net: NET_6, efa: '32xlarge,metal' },
  { family: 'm6g', current: true, maker: 'AWS', arch: 'arm64', ghz: 2.5, hv: 'nitro', gib: 4, sizes: GRAVITON2, net: NET_G2, efa: '16xlarge,metal' },
  { family: 'm7i', current: true, maker: 'Intel', ghz: 3.2, hv: 'nitro', gib: 4, sizes: GEN7_X86, net: NET_7, efa: '48xlarge,metal-48xl' },
  { family: 'm7i-flex', current: true, maker: 'Intel', ghz: 3.2, hv: 'nitro', gib: 4, sizes: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge', net: 'U12.5:large-8xlarge 18.75:12xlarge 25:16xlarge' },
  { family: 'm7g', current: true, maker: 'AWS', arch: 'arm64', ghz: 2.6, hv: 'nitro', gib: 4, sizes: GRAVITON3, net: NET_G3, efa: '16xlarge,metal' },
  { family: 'm8g', current: true, maker: 'AWS', arch: 'arm64', ghz: 2.8, hv: 'nitro', gib: 4, sizes: GRAVITON4, net: NET_G4, efa: '24xlarge,48xlarge,metal-24xl,metal-48xl' },
  { family: 'a1', current: false, maker: 'AWS', arch: 'arm64', ghz: 2.3, hv: 'nitro', gib: 2, sizes: 'medium large xlarge 2xlarge 4xlarge metal=16', net: 'U10:medium-metal', noHibernation: true },

  // compute optimized
  { family: 'c4', current: false, maker: 'Intel', ghz: 2.9, hv: 'xen', ebs: 'default', sizes: 'large=2/3.75 xlarge=4/7.5 2xlarge=8/15 4xlarge=16/30 8xlarge=36/60', net: 'M:large H:xlarge-4xlarge 10:8xlarge' },
  { family: 'c5', current: false, maker: 'Intel', ghz: 3.4, hv: 'nitro', gib: 2, sizes: 'large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge metal=96', net: 'U10:large-4xlarge 12:9xlarge,12xlarge 25:18xlarge,24xlarge,metal' },
  { family: 'c6a', current: true, maker: 'AMD', ghz: 3.6, hv: 'nitro', gib: 2, sizes: `${GEN6_X86} 48xlarge metal=192`, net: NET_6A, efa: '48xlarge,metal' },
  { family: 'c6i', current: true, maker: 'Intel', ghz: 3.5, hv: 'nitro', gib: 2, sizes: `${GEN6_X86} metal=128`, net: NET_6, efa: '32xlarge,metal' },
  { family: 'c6g', current: true, maker: 'AWS', arch: 'arm64', ghz: 2.5, hv: 'nitro', gib: 2, sizes: GRAVITON2, net: NET_G2, efa: '16xlarge,metal' },
  { family: 'c7i', current: true, maker: 'Intel', ghz: 3.2, hv: 'nitro', gib: 2, sizes: GEN7_X86, net: NET_7, efa: '48xlarge,metal-48xl' },
  { family: 'c7i-flex', current: true, maker: 'Intel', ghz: 3.2, hv: 'nitro', gib: 2, sizes: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge', net: 'U12.5:large-8xlarge 18.75:12xlarge 25:16xlarge' },
  { family: 'c7g', current: true, maker: 'AWS', arch: 'arm64', ghz: 2.6, hv: 'nitro', gib: 2, sizes: GRAVITON3, net: NET_G3, efa: '16xlarge,metal' },
  { family: 'c8g', current: true, maker: 'AWS', arch: 'arm64', ghz: 2.8, hv: 'nitro', gib: 2, sizes: GRAVITON4, net: NET_G4, efa: '24xlarge,48xlarge,metal-24xl,metal-48xl' },

  // memory optimized
  { family: 'r4', current: false, maker: 'Intel', ghz: 2.3, hv: 'xen', ebs: 'default', ena: 'supported', gib: 7.625, sizes: 'large xlarge 2xlarge 4xlarge 8xlarge 16xlarge', net: 'U10:large-4xlarge 10:8xlarge 25:16xlarge' },
  { family: 'r5', current: false, maker: 'Intel', ghz: 3.1, hv: 'nitro', gib: 8, sizes: `${STD} metal=96`, net: NET_M5 },
  { family: 'r6a', current: true, maker: 'AMD', ghz: 3.6, hv: 'nitro', gib: 8, sizes: `${GEN6_X86} 48xlarge metal=192`, net: NET_6A, efa: '48xlarge,metal' },
  { family: 'r6i', current: false, maker: 'Intel', ghz: 3.5, hv: 'nitro', gib: 8, sizes: `${GEN6_X86} metal=128`, net: NET_6, efa: '32xlarge,metal' },
  { family: 'r6g', current: true, maker: 'AWS', arch: 'arm64', ghz: 2.5, hv: 'nitro', gib: 8, sizes: GRAVITON2, net: NET_G2, efa: '16xlarge,metal' },
  { family: 'r7i', current: true, maker: 'Intel', ghz: 3.2, hv: 'nitro', gib: 8, sizes: GEN7_X86, net: NET_7, efa: '48xlarge,metal-48xl' },
  { family: 'r7g', current: true, maker: 'AWS', arch: 'arm64', ghz: 2.6, hv: 'nitro', gib: 8, sizes: GRAVITON3, net: NET_G3, efa: '16xlarge,metal' },
  { family: 'r8g', current: true, maker: 'AWS', arch: 'arm64', ghz: 2.8, hv: 'nitro', gib: 8, sizes: GRAVITON4, net: NET_G4, efa: '24xlarge,48xlarge,metal-24xl,metal-48xl' },
  { family: 'x2idn', current: true, maker: 'Intel', ghz: 3.5, hv: 'nitro', gib: 16, sizes: '16xlarge 24xlarge 32xlarge metal=128', net: '50:16xlarge 75:24xlarge 100:32xlarge,metal', disk: '1x1900:16xlarge 2x1425:24xlarge 2x1900:32xlarge,metal', diskType: 'ssd', efa: '32xlarge,metal' },

  // storage optimized
  { family: 'i3', current: true, maker: 'Intel', ghz: 2.3, hv: 'xen', ebs: 'default', ena: 'supported', gib: 7.625, sizes: 'large xlarge 2xlarge 4xlarge 8xlarge 16xlarge metal=72/512', net: 'U10:large-4xlarge 10:8xlarge 25:16xlarge,metal', disk: '1x475:large 1x950:xlarge 1x1900:2xlarge 2x1900:4xlarge 4x1900:8xlarge 8x1900:16xlarge,metal', diskType: 'ssd' },
  { family: 'i4i', current: true, maker: 'Intel', ghz: 3.5, hv: 'nitro', gib: 8, sizes: `${GEN6_X86} metal=128`, net: 'U10:large-4xlarge 18.75:8xlarge 28.125:12xlarge 37.5:16xlarge 56.25:24xlarge 75:32xlarge,metal', disk: '1x468:large 1x937:xlarge 1x1875:2xlarge 1x3750:4xlarge 2x3750:8xlarge 3x3750:12xlarge 4x3750:16xlarge 6x3750:24xlarge 8x3750:32xlarge,metal', diskType: 'ssd', efa: '32xlarge,metal' },
  { family: 'd3', current: true, maker: 'Intel', ghz: 3.1, hv: 'nitro', gib: 8, sizes: 'xlarge 2xlarge 4xlarge 8xlarge', net: 'U15:xlarge-4xlarge 25:8xlarge', disk: '3x2000:xlarge 6x2000:2xlarge 12x2000:4xlarge 24x2000:8xlarge', diskType: 'hdd', noHibernation: true },

  // accelerated computing
  { family: 'g4dn', current: true, maker: 'Intel', ghz: 2.5, hv: 'nitro', gib: 4, sizes: 'xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal=96', net: 'U25:xlarge-4xlarge 50:8xlarge-16xlarge 100:metal', disk: '1x125:xlarge 1x225:2xlarge,4xlarge 1x900:8xlarge-16xlarge 2x900:metal', diskType: 'ssd', gpu: { name: 'T4', maker: 'NVIDIA', gib: 16, count: '1:xlarge-8xlarge,16xlarge 4:12xlarge 8:metal' }, eni: '3/10:xlarge-4xlarge 4/15:8xlarge,16xlarge 8/30:12xlarge 15/50:metal', efa: '8xlarge-metal' },
  { family: 'g5', current: true, maker: 'AMD', ghz: 3.3, hv: 'nitro', gib: 4, sizes: 'xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge', net: 'U10:xlarge,2xlarge U25:4xlarge 25:8xlarge,16xlarge 40:12xlarge 50:24xlarge 100:48xlarge', disk: '1x250:xlarge 1x450:2xlarge 1x600:4xlarge 1x900:8xlarge 1x3800:12xlarge 1x1900:16xlarge 1x3800:24xlarge 2x3800:48xlarge', diskType: 'ssd', gpu: { name: 'A10G', maker: 'NVIDIA', gib: 24, count: '1:xlarge-8xlarge,16xlarge 4:12xlarge,24xlarge 8:48xlarge' }, efa: '8xlarge-48xlarge' },
  { family: 'p3', current: true, maker: 'Intel', ghz: 2.7, hv: 'xen', ebs: 'default', ena: 'supported', sizes: '2xlarge=8/61 8xlarge=32/244 16xlarge=64/488', net: 'U10:2xlarge 10:8xlarge 25:16xlarge', gpu: { name: 'V100', maker: 'NVIDIA', gib: 16, count: '1:2xlarge 4:8xlarge 8:16xlarge' }, noHibernation: true },
  { family: 'p4d', current: true, maker: 'Intel', ghz: 3.0, hv: 'nitro', sizes: '24xlarge=96/1152', net: '4x100:24xlarge', disk: '8x1000:24xlarge', diskType: 'ssd', gpu: { name: 'A100', maker: 'NVIDIA', gib: 40, count: '8:24xlarge' }, eni: '60/50:24xlarge', networkCards: 4, efa: '24xlarge', noHibernation: true },
  { family: 'inf1', current: true, maker: 'Intel', ghz: 2.5, hv: 'nitro', gib: 2, sizes: 'xlarge 2xlarge 6xlarge 24xlarge', net: 'U25:xlarge,2xlarge 25:6xlarge 100:24xlarge', accel: { name: 'Inferentia', maker: 'AWS', gib: 8, count: '1:xlarge,2xlarge 4:6xlarge 16:24xlarge' }, efa: '24xlarge', noHibernation: true },
];
