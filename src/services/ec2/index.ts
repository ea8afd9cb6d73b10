/**
 * EC2 (ec2Query protocol): the region catalogue and the VPC network half — VPCs (with the
 * lazily created default VPC), subnets, internet gateways, route tables, security groups,
 * network ACLs, Elastic IPs, NAT gateways and tags; instances with their interfaces, EBS volumes and
 * snapshots, key pairs, images and instance types. Operations are grouped by resource under
 * operations/; state (one scoped table per resource kind) in state.ts.
 */
import { defineService } from '../service.js';
import type { EC2Handlers } from './generated/types.js';
import { regionOperations } from './operations/regions.js';
import { Ec2State } from './state.js';
import { vpcOperations } from './operations/vpcs.js';
import { subnetOperations } from './operations/subnets.js';
import { gatewayOperations } from './operations/gateways.js';
import { routeTableOperations } from './operations/route-tables.js';
import { securityGroupOperations } from './operations/security-groups.js';
import { networkAclOperations } from './operations/network-acls.js';
import { tagOperations } from './operations/tags.js';
import { instanceOperations } from './operations/instances.js';
import { instanceLifecycleOperations } from './operations/instance-ops.js';
import { volumeOperations } from './operations/volumes.js';
import { keyPairOperations } from './operations/key-pairs.js';
import { imageOperations } from './operations/images.js';

export default defineService({
  id: 'ec2',
  create(rt) {
    const st = new Ec2State(rt);
    const handlers: EC2Handlers = {
      ...regionOperations,
      ...vpcOperations(st),
      ...subnetOperations(st),
      ...gatewayOperations(st),
      ...routeTableOperations(st),
      ...securityGroupOperations(st),
      ...networkAclOperations(st),
      ...tagOperations(st),
      ...instanceOperations(st),
      ...instanceLifecycleOperations(st),
      ...volumeOperations(st),
      ...keyPairOperations(st),
      ...imageOperations(st),
    };
    return { handlers: handlers as never };
  },
});
