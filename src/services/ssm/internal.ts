/** What other services may use of SSM: the public AMI ids (for EC2 to accept as image ids). */
import { publicParams } from './domain/public.js';

/** The AMI ids served under /aws/service/… in `region`, keyed by parameter name. */
export function publicAmiIds(region: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of publicParams(region)) if (/^ami-[0-9a-f]{17}$/.test(p.value)) out.set(p.name, p.value);
  return out;
}
