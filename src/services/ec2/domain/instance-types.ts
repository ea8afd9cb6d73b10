/**
 * The instance type catalogue in DescribeInstanceTypes' shape, expanded on first use from
 * gureum's own family table (data/instance-families.ts): one record per family × size, with
 * vCPUs, memory, architectures, network, EBS, instance storage and accelerators. Fields AWS
 * publishes per family are taken from the row; per-size details the row does not give (network
 * interface limits, hibernation, Nitro features) follow AWS's size-class rules here.
 */
import type { InstanceTypeInfo } from '../generated/types.js';
import { FREE_TIER, INSTANCE_FAMILIES, type InstanceFamily } from '../data/instance-families.js';

interface Size { name: string; vcpus: number; mib: number }

function parseSizes(f: InstanceFamily): Size[] {
  return f.sizes.split(/\s+/).map((tok) => {
    const [name, spec] = tok.split('=') as [string, string | undefined];
    const [v, m] = spec ? spec.split('/') : [];
    const vcpus = v ? Number(v) : vcpusOf(name, f.family);
    let mib: number;
    if (m?.endsWith('m')) mib = Number(m.slice(0, -1));
    else if (m) mib = Math.round(Number(m) * 1024);
    else if (f.gib) mib = Math.round(vcpus * f.gib * 1024);
    else throw new Error(`instance-families: ${f.family}.${name} has no memory`);
    if (!Number.isFinite(vcpus) || !Number.isFinite(mib)) throw new Error(`instance-families: bad size ${f.family} ${tok}`);
    return { name, vcpus, mib };
  });
}

function vcpusOf(size: string, family: string): number {
  if (size === 'medium') return 1;
  if (size === 'large') return 2;
  const m = /^(\d*)xlarge$/.exec(size);
  if (m) return 4 * (m[1] ? Number(m[1]) : 1);
  throw new Error(`instance-families: ${family}.${size} needs an explicit vCPU count`);
}

/** `value:a,b-c …` → size → value, ranges inclusive in the family's size order. */
function perSize(spec: string | undefined, sizes: string[], family: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of spec ? spec.split(/\s+/) : []) {
    const i = part.lastIndexOf(':');
    const value = part.slice(0, i);
    for (const item of part.slice(i + 1).split(',')) {
      // a size (`metal-24xl`) or a range `a-b` (split where both sides are sizes)
      let from = sizes.indexOf(item);
      let to = from;
      for (let d = item.indexOf('-'); from < 0 && d > 0; d = item.indexOf('-', d + 1)) {
        from = sizes.indexOf(item.slice(0, d));
        to = sizes.indexOf(item.slice(d + 1));
        if (to < 0) from = -1;
      }
      if (from < 0 || to < from) throw new Error(`instance-families: ${family} has no sizes ${item}`);
      for (let k = from; k <= to; k++) out.set(sizes[k]!, value);
    }
  }
  return out;
}

function sizeList(spec: string | undefined, sizes: string[], family: string): Set<string> {
  return new Set(perSize(spec && `x:${spec}`, sizes, family).keys());
}

const NET_WORDS: Record<string, string> = { VL: 'Very Low', L: 'Low', LM: 'Low to Moderate', M: 'Moderate', H: 'High' };

function networkPerformance(code: string): string {
  if (NET_WORDS[code]) return NET_WORDS[code];
  if (code.startsWith('U')) return `Up to ${code.slice(1)} Gigabit`;
  const cards = /^(\d+)x(\d+)$/.exec(code);
  if (cards) return `${cards[1]}x ${cards[2]} Gigabit`;
  return `${code} Gigabit`;
}

/** Interfaces × IPv4 addresses per interface by size class (AWS's table for most families). */
function defaultEni(vcpus: number): [number, number] {
  if (vcpus <= 1) return [2, 4];
  if (vcpus <= 2) return [3, 10];
  if (vcpus <= 8) return [4, 15];
  if (vcpus <= 48) return [8, 30];
  return [15, 50];
}

function expand(f: InstanceFamily): InstanceTypeInfo[] {
  const sizes = parseSizes(f);
  const names = sizes.map((s) => s.name);
  const net = perSize(f.net, names, f.family);
  const disk = perSize(f.disk, names, f.family);
  const gpu = perSize(f.gpu?.count, names, f.family);
  const accel = perSize(f.accel?.count, names, f.family);
  const eni = perSize(f.eni, names, f.family);
  const efa = sizeList(f.efa, names, f.family);
  const nitro = f.hv === 'nitro';
  const arm = f.arch === 'arm64';
  return sizes.map(({ name, vcpus, mib }) => {
    const type = `${f.family}.${name}`;
    const perf = net.get(name);
    if (!perf) throw new Error(`instance-families: ${type} has no network performance`);
    const metal = name.startsWith('metal');
    const threads = arm || f.family === 't2' || f.legacy || vcpus === 1 ? 1 : 2;
    const [enis, ipv4] = eni.has(name) ? (eni.get(name)!.split('/').map(Number) as [number, number]) : defaultEni(vcpus);
    const cards = f.networkCards ?? 1;
    const diskSpec = disk.get(name);
    const info: InstanceTypeInfo = {
      InstanceType: type,
      CurrentGeneration: f.current,
      FreeTierEligible: FREE_TIER.includes(type),
      SupportedUsageClasses: ['on-demand', 'spot'],
      SupportedRootDeviceTypes: f.legacy ? ['ebs', 'instance-store'] : ['ebs'],
      SupportedVirtualizationTypes: f.legacy ? ['hvm', 'paravirtual'] : ['hvm'],
      BareMetal: metal,
      ...(metal ? {} : { Hypervisor: f.hv }),
      ProcessorInfo: {
        SupportedArchitectures: arm ? ['arm64'] : f.arch === 'i386' ? ['i386', 'x86_64'] : ['x86_64'],
        SustainedClockSpeedInGhz: f.ghz,
        Manufacturer: f.maker,
      },
      VCpuInfo: {
        DefaultVCpus: vcpus,
        DefaultCores: vcpus / threads,
        DefaultThreadsPerCore: threads,
        ...(threads === 2 && !f.burstable ? { ValidThreadsPerCore: [1, 2] } : {}),
      },
      MemoryInfo: { SizeInMiB: mib },
      InstanceStorageSupported: !!diskSpec,
      EbsInfo: {
        EbsOptimizedSupport: f.ebs ?? (nitro ? 'default' : 'unsupported'),
        EncryptionSupport: f.legacy ? 'unsupported' : 'supported',
        NvmeSupport: nitro ? 'required' : 'unsupported',
        MaximumEbsAttachments: nitro ? 28 : 40,
        AttachmentLimitType: 'shared',
      },
      NetworkInfo: {
        NetworkPerformance: networkPerformance(perf),
        MaximumNetworkInterfaces: enis,
        MaximumNetworkCards: cards,
        DefaultNetworkCardIndex: 0,
        NetworkCards: Array.from({ length: cards }, (_, i) => ({
          NetworkCardIndex: i,
          NetworkPerformance: networkPerformance(cards > 1 ? perf.replace(/^\d+x/, '') : perf),
          MaximumNetworkInterfaces: Math.ceil(enis / cards),
        })),
        Ipv4AddressesPerInterface: ipv4,
        Ipv6AddressesPerInterface: f.legacy ? 0 : ipv4,
        Ipv6Supported: !f.legacy,
        EnaSupport: nitro ? 'required' : (f.ena ?? 'unsupported'),
        EfaSupported: efa.has(name),
        ...(efa.has(name) ? { EfaInfo: { MaximumEfaInterfaces: cards } } : {}),
        EncryptionInTransitSupported: nitro && (Number(/^[a-z]+(\d)/.exec(f.family)?.[1]) >= 6 || ['g4dn', 'g5', 'p4d', 'd3', 'i4i', 'x2idn', 'inf1'].includes(f.family)),
      },
      PlacementGroupInfo: { SupportedStrategies: f.burstable || f.legacy ? ['partition', 'spread'] : ['cluster', 'partition', 'spread'] },
      HibernationSupported: !metal && !f.noHibernation && !f.legacy && mib <= 150 * 1024,
      BurstablePerformanceSupported: !!f.burstable,
      DedicatedHostsSupported: !f.legacy && (!f.burstable || f.family === 't3'),
      AutoRecoverySupported: !diskSpec,
      SupportedBootModes: arm ? ['uefi'] : nitro ? ['legacy-bios', 'uefi'] : ['legacy-bios'],
      NitroEnclavesSupport: nitro && !metal && !f.burstable && vcpus >= 4 ? 'supported' : 'unsupported',
      NitroTpmSupport: nitro && !metal ? 'supported' : 'unsupported',
      ...(nitro && !metal ? { NitroTpmInfo: { SupportedVersions: ['2.0'] } } : {}),
    };
    if (diskSpec) {
      const disks = diskSpec.split('+').map((d) => {
        const [count, gb] = d.split('x').map(Number) as [number, number];
        return { Count: count, SizeInGB: gb, Type: f.diskType ?? 'ssd' };
      });
      info.InstanceStorageInfo = {
        TotalSizeInGB: disks.reduce((n, d) => n + d.Count * d.SizeInGB, 0),
        Disks: disks,
        NvmeSupport: f.diskType === 'hdd' || f.legacy ? 'unsupported' : 'required',
        EncryptionSupport: nitro ? 'required' : 'unsupported',
      };
    }
    const gpus = Number(gpu.get(name) ?? 0);
    if (f.gpu && gpus) {
      info.GpuInfo = {
        Gpus: [{ Name: f.gpu.name, Manufacturer: f.gpu.maker, Count: gpus, MemoryInfo: { SizeInMiB: f.gpu.gib * 1024 } }],
        TotalGpuMemoryInMiB: gpus * f.gpu.gib * 1024,
      };
    }
    const chips = Number(accel.get(name) ?? 0);
    if (f.accel && chips) {
      info.InferenceAcceleratorInfo = {
        Accelerators: [{ Name: f.accel.name, Manufacturer: f.accel.maker, Count: chips, MemoryInfo: { SizeInMiB: f.accel.gib * 1024 } }],
        TotalInferenceMemoryInMiB: chips * f.accel.gib * 1024,
      };
    }
    return info;
  });
}

let all: InstanceTypeInfo[] | undefined;
let byName: Map<string, InstanceTypeInfo> | undefined;

export function instanceTypes(): InstanceTypeInfo[] {
  if (!all) {
    all = INSTANCE_FAMILIES.flatMap(expand).sort((a, b) => (a.InstanceType! < b.InstanceType! ? -1 : 1));
    byName = new Map(all.map((t) => [t.InstanceType!, t]));
  }
  return all;
}

export function instanceType(name: string): InstanceTypeInfo | undefined {
  instanceTypes();
  return byName!.get(name);
}
