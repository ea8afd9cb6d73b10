/**
 * EC2 (ec2Query protocol): the region catalogue and the VPC network half — VPCs (with the
 * lazily created default VPC), subnets, internet gateways, route tables, security groups,
 * network ACLs, Elastic IPs, NAT gateways and tags; instances with their interfaces, EBS volumes and
 * snapshots, key pairs, images and instance types; VPC peering, transit gateways, endpoints and
 * prefix lists, Site-to-Site VPN, flow logs, the Reachability Analyzer, launch templates and Spot.
 * Operations are grouped by resource under operations/; state (one scoped table per resource kind)
 * in state.ts and records.ts; the control routes under /_gureum/ec2 in control.ts.
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
import { peeringOperations } from './operations/peering.js';
import { transitGatewayOperations } from './operations/transit-gateways.js';
import { transitGatewayRouteOperations } from './operations/transit-gateway-routes.js';
import { endpointOperations } from './operations/endpoints.js';
import { prefixListOperations } from './operations/prefix-lists.js';
import { vpnOperations } from './operations/vpn.js';
import { networkInsightsOperations } from './operations/network-insights.js';
import { flowLogOperations } from './operations/flow-logs.js';
import { launchTemplateOperations } from './operations/launch-templates.js';
import { rearmInterruptions, spotOperations } from './operations/spot.js';
import { networkInterfaceOperations } from './operations/network-interfaces.js';
import { placementGroupOperations } from './operations/placement-groups.js';
import { ebsSettingsOperations } from './operations/ebs-settings.js';
import { snapshotSharingOperations } from './operations/snapshot-sharing.js';
import { imageSharingOperations } from './operations/image-sharing.js';
import { capacityReservationOperations } from './operations/capacity-reservations.js';
import { hostOperations } from './operations/hosts.js';
import { instanceOptionOperations } from './operations/instance-options.js';
import { securityGroupRuleOperations } from './operations/security-group-rules.js';
import { dhcpOptionOperations } from './operations/dhcp-options.js';
import { egressGatewayOperations } from './operations/egress-gateways.js';
import { reservedInstanceOperations } from './operations/reserved-instances.js';
import { fleetOperations } from './operations/fleets.js';
import { register } from './internal.js';

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
      ...peeringOperations(st),
      ...transitGatewayOperations(st),
      ...transitGatewayRouteOperations(st),
      ...endpointOperations(st),
      ...prefixListOperations(st),
      ...vpnOperations(st),
      ...networkInsightsOperations(st),
      ...flowLogOperations(st),
      ...launchTemplateOperations(st),
      ...spotOperations(st),
      ...networkInterfaceOperations(st),
      ...placementGroupOperations(st),
      ...ebsSettingsOperations(st),
      ...snapshotSharingOperations(st),
      ...imageSharingOperations(st),
      ...capacityReservationOperations(st),
      ...hostOperations(st),
      ...instanceOptionOperations(st),
      ...securityGroupRuleOperations(st),
      ...dhcpOptionOperations(st),
      ...egressGatewayOperations(st),
      ...reservedInstanceOperations(st),
      ...fleetOperations(st),
    };
    register(rt.store, st);
    rearmInterruptions(st);
    return { handlers: handlers as never };
  },
});
