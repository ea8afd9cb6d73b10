/**
 * Site-to-Site VPN: customer gateways, virtual private gateways (attach/detach to one VPC),
 * VPN connections to a virtual private gateway or a transit gateway (pending → available on the
 * virtual clock; two tunnels with outside addresses, inside /30s, pre-shared keys and the customer
 * gateway configuration document), static routes, and route propagation into route tables.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, type FilterFields } from '../common.js';
import { contains4, formatCidr4, formatIp4, parseCidr4, parseIp4 } from '../domain/cidr.js';
import { tgwState } from '../domain/tgw.js';
import { vgwAttachState, vpnState, VGW_ATTACH_MS, VPN_DELETING_MS, VPN_VISIBLE_AFTER_DELETE_MS } from '../domain/vpn.js';
import { newId, tagsFor, tagsOut, zonesOf, type Ec2State } from '../state.js';
import type { CgwRec, TgwAttachRec, VgwRec, VpnRec } from '../records.js';
import { tgwNotFound } from './transit-gateways.js';

const CGW_VISIBLE_AFTER_DELETE_MS = 3_600_000;
export const cgwNotFound = (id: string) => new AwsError('InvalidCustomerGatewayID.NotFound', `The customerGateway ID '${id}' does not exist`, 400);
export const vgwNotFound = (id: string) => new AwsError('InvalidVpnGatewayID.NotFound', `The vpnGateway ID '${id}' does not exist`, 400);
export const vpnNotFound = (id: string) => new AwsError('InvalidVpnConnectionID.NotFound', `The vpnConnection ID '${id}' does not exist`, 400);
/** Inside tunnel /30s AWS reserves. */
const RESERVED_INSIDE = ['169.254.0.0/30', '169.254.1.0/30', '169.254.2.0/30', '169.254.3.0/30', '169.254.4.0/30', '169.254.5.0/30', '169.254.169.252/30'];

function ipsecType(t: string | undefined): string {
  if (t !== 'ipsec.1') throw new AwsError('InvalidParameterValue', `Value (${t ?? ''}) for parameter type is invalid. Valid value is ipsec.1`, 400);
  return t;
}

const cgwState = (c: CgwRec) => (c.deletedAt === undefined ? 'available' : 'deleted');

function renderCgw(c: CgwRec): T.CustomerGateway {
  return { BgpAsn: c.asn, CustomerGatewayId: c.id, IpAddress: c.ip, State: cgwState(c), Type: c.type, DeviceName: c.deviceName, CertificateArn: c.certArn, Tags: tagsOut(c.tags) ?? [] };
}

function renderVgw(v: VgwRec, now: number): T.VpnGateway {
  return {
    AmazonSideAsn: v.asn, AvailabilityZone: v.az, State: v.deletedAt === undefined ? 'available' : 'deleted', Type: v.type, VpnGatewayId: v.id, Tags: tagsOut(v.tags) ?? [],
    VpcAttachments: v.attachments.map((a) => ({ VpcId: a.vpcId, State: vgwAttachState(a, now) })),
  };
}

function tunnelOptions(v: VpnRec): T.TunnelOption[] {
  return v.tunnels.map((t) => ({ OutsideIpAddress: t.outsideIp, TunnelInsideCidr: t.insideCidr, PreSharedKey: t.psk, IkeVersions: [{ Value: 'ikev1' }, { Value: 'ikev2' }] }));
}

/** The customer gateway configuration document (generic format). */
function configuration(v: VpnRec, cgw: CgwRec | undefined, amazonAsn: number): string {
  const tunnels = v.tunnels.map((t) => {
    const inside = parseCidr4(t.insideCidr)!;
    const ours = formatIp4(inside.base + 1);
    const theirs = formatIp4(inside.base + 2);
    const addr = (ip: string) => `<tunnel_inside_address><ip_address>${ip}</ip_address><network_mask>255.255.255.252</network_mask><network_cidr>30</network_cidr></tunnel_inside_address>`;
    const bgp = (asn: string | number) => (v.staticRoutesOnly ? '' : `<bgp><asn>${asn}</asn><hold_time>30</hold_time></bgp>`);
    return [
      '  <ipsec_tunnel>',
      `    <customer_gateway><tunnel_outside_address><ip_address>${cgw?.ip ?? ''}</ip_address></tunnel_outside_address>${addr(theirs)}${bgp(cgw?.asn ?? '65000')}</customer_gateway>`,
      `    <vpn_gateway><tunnel_outside_address><ip_address>${t.outsideIp}</ip_address></tunnel_outside_address>${addr(ours)}${bgp(amazonAsn)}</vpn_gateway>`,
      `    <ike><authentication_protocol>sha1</authentication_protocol><encryption_protocol>aes-128-cbc</encryption_protocol><lifetime>28800</lifetime><perfect_forward_secrecy>group2</perfect_forward_secrecy><mode>main</mode><pre_shared_key>${t.psk}</pre_shared_key></ike>`,
      '    <ipsec><protocol>esp</protocol><authentication_protocol>hmac-sha1-96</authentication_protocol><encryption_protocol>aes-128-cbc</encryption_protocol><lifetime>3600</lifetime><perfect_forward_secrecy>group2</perfect_forward_secrecy><mode>tunnel</mode><tcp_mss_adjustment>1379</tcp_mss_adjustment><dead_peer_detection><delay>10</delay><retries>3</retries></dead_peer_detection></ipsec>',
      '  </ipsec_tunnel>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<vpn_connection id="${v.id}">`,
    `  <customer_gateway_id>${v.cgwId}</customer_gateway_id>`,
    v.vgwId ? `  <vpn_gateway_id>${v.vgwId}</vpn_gateway_id>` : `  <transit_gateway_id>${v.tgwId}</transit_gateway_id>`,
    `  <vpn_connection_type>${v.type}</vpn_connection_type>`,
    ...tunnels,
    '</vpn_connection>',
  ].join('\n');
}

export function vpnOperations(st: Ec2State) {
  const now = () => st.now();
  function cgw(scope: Scope, id: string | undefined): CgwRec {
    const c = id ? st.cgws.get(scope, id) : undefined;
    if (!c || c.deletedAt !== undefined) throw cgwNotFound(id ?? '');
    return c;
  }
  function vgw(scope: Scope, id: string | undefined): VgwRec {
    const v = id ? st.vgws.get(scope, id) : undefined;
    if (!v || v.deletedAt !== undefined) throw vgwNotFound(id ?? '');
    return v;
  }
  function vpn(scope: Scope, id: string | undefined): VpnRec {
    const v = id ? st.vpns.get(scope, id) : undefined;
    if (!v || vpnState(v, now()) === 'deleted') throw vpnNotFound(id ?? '');
    return v;
  }
  function renderVpn(scope: Scope, v: VpnRec): T.VpnConnection {
    const state = vpnState(v, now());
    const amazonAsn = v.vgwId ? (st.vgws.get(scope, v.vgwId)?.asn ?? 64512) : (st.tgws.get(scope, v.tgwId ?? '')?.options.amazonSideAsn ?? 64512);
    return {
      Category: 'VPN', CustomerGatewayConfiguration: state === 'deleted' ? undefined : configuration(v, st.cgws.get(scope, v.cgwId), amazonAsn),
      CustomerGatewayId: v.cgwId, State: state, Type: v.type, VpnConnectionId: v.id, VpnGatewayId: v.vgwId, TransitGatewayId: v.tgwId,
      GatewayAssociationState: state === 'available' || state === 'pending' ? 'associated' : 'disassociated',
      Options: {
        EnableAcceleration: false, StaticRoutesOnly: v.staticRoutesOnly, LocalIpv4NetworkCidr: v.localCidr, RemoteIpv4NetworkCidr: v.remoteCidr,
        OutsideIpAddressType: 'PublicIpv4', TunnelInsideIpVersion: 'ipv4', TunnelOptions: tunnelOptions(v),
      },
      Routes: v.routes.map((r) => ({
        DestinationCidrBlock: r.cidr, Source: 'Static',
        State: r.deletedAt !== undefined ? 'deleted' : state === 'available' ? 'available' : 'pending',
      })),
      VgwTelemetry: v.tunnels.map((t) => ({ OutsideIpAddress: t.outsideIp, Status: 'DOWN', StatusMessage: '', AcceptedRouteCount: 0, LastStatusChange: new Date(v.createdAt) })),
      Tags: tagsOut(v.tags) ?? [],
    };
  }

  function tunnels(specs: T.VpnTunnelOptionsSpecification[] | undefined): VpnRec['tunnels'] {
    if (specs && specs.length > 2) throw new AwsError('InvalidParameterValue', 'A VPN connection has at most two tunnels.', 400);
    const used = new Set<string>();
    return [0, 1].map((i) => {
      const s = specs?.[i] ?? {};
      let inside = s.TunnelInsideCidr;
      if (inside !== undefined) {
        const c = parseCidr4(inside, true);
        if (!c || c.prefix !== 30 || !contains4(parseCidr4('169.254.0.0/16')!, c) || RESERVED_INSIDE.includes(inside)) {
          throw new AwsError('InvalidParameterValue', `The tunnel inside CIDR ${inside} is invalid. It must be a /30 CIDR block from the 169.254.0.0/16 range, excluding reserved blocks.`, 400);
        }
      } else {
        do inside = formatCidr4({ base: parseIp4('169.254.0.0')! + randomInt(6, 16000) * 4, prefix: 30 });
        while (used.has(inside) || RESERVED_INSIDE.includes(inside));
      }
      if (used.has(inside)) throw new AwsError('InvalidParameterValue', `The tunnel inside CIDR ${inside} is used by both tunnels.`, 400);
      used.add(inside);
      const psk = s.PreSharedKey ?? randomBytes(24).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 32).replace(/^0/, 'a');
      if (!/^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/.test(psk)) {
        throw new AwsError('InvalidParameterValue', 'The pre-shared key must be 8–64 characters of letters, digits, periods and underscores, and cannot start with zero.', 400);
      }
      return { outsideIp: formatIp4(((34 << 24) | (randomInt(192, 256) << 16) | randomInt(0, 65536)) >>> 0), insideCidr: inside, psk };
    });
  }

  return {
    // ---- customer gateways
    CreateCustomerGateway(input: T.CreateCustomerGatewayRequest, ctx: RequestContext): T.CreateCustomerGatewayResult {
      const scope = st.scope(ctx);
      const type = ipsecType(input.Type);
      const ip = input.IpAddress ?? input.PublicIp;
      if (!ip && !input.CertificateArn) throw new AwsError('MissingParameter', 'The request must contain the parameter IpAddress', 400);
      if (ip !== undefined && parseIp4(ip) === undefined) throw new AwsError('InvalidParameterValue', `Value (${ip}) for parameter ipAddress is invalid. Invalid Format.`, 400);
      const asn = String(input.BgpAsnExtended ?? input.BgpAsn ?? 65000);
      const tags = tagsFor(input.TagSpecifications, 'customer-gateway');
      dryRun(input);
      // The same address and ASN answer the existing gateway, as AWS does.
      const same = [...st.cgws.values(scope)].find((c) => c.deletedAt === undefined && c.ip === ip && c.asn === asn && c.type === type);
      if (same) return { CustomerGateway: renderCgw(same) };
      const c: CgwRec = { id: newId('cgw'), asn, ip: ip ?? '', type, deviceName: input.DeviceName, certArn: input.CertificateArn, tags };
      st.cgws.put(scope, c.id, c);
      return { CustomerGateway: renderCgw(c) };
    },

    DeleteCustomerGateway(input: T.DeleteCustomerGatewayRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const c = cgw(scope, input.CustomerGatewayId);
      const user = [...st.vpns.values(scope)].find((v) => v.cgwId === c.id && vpnState(v, now()) !== 'deleted');
      if (user) throw new AwsError('IncorrectState', `The customer gateway ${c.id} is in use by ${user.id}.`, 400);
      dryRun(input);
      c.deletedAt = now();
      st.cgws.put(scope, c.id, c);
    },

    DescribeCustomerGateways(input: T.DescribeCustomerGatewaysRequest, ctx: RequestContext): T.DescribeCustomerGatewaysResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...st.cgws.values(scope)].filter((c) => c.deletedAt === undefined || now() < c.deletedAt + CGW_VISIBLE_AFTER_DELETE_MS);
      if (input.CustomerGatewayIds?.length) {
        const missing = input.CustomerGatewayIds.find((id) => !all.some((c) => c.id === id));
        if (missing) throw cgwNotFound(missing);
        all = all.filter((c) => input.CustomerGatewayIds!.includes(c.id));
      }
      const filters: FilterFields<T.CustomerGateway> = {
        'bgp-asn': (c) => c.BgpAsn, 'customer-gateway-id': (c) => c.CustomerGatewayId, 'ip-address': (c) => c.IpAddress, state: (c) => c.State, type: (c) => c.Type,
      };
      return { CustomerGateways: applyFilters(all.map(renderCgw), input.Filters, filters, (c) => c.Tags) };
    },

    // ---- virtual private gateways
    CreateVpnGateway(input: T.CreateVpnGatewayRequest, ctx: RequestContext): T.CreateVpnGatewayResult {
      const scope = st.scope(ctx);
      const type = ipsecType(input.Type);
      const asn = input.AmazonSideAsn ?? 64512;
      const ok = (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294) || asn === 7224 || asn === 9059 || asn === 10124 || asn === 17493;
      if (!ok) throw new AwsError('InvalidParameterValue', `Invalid Amazon side ASN ${asn}. It must be in the private ranges 64512-65534 or 4200000000-4294967294.`, 400);
      if (input.AvailabilityZone && !zonesOf(scope.region).some((z) => z.name === input.AvailabilityZone)) {
        throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${input.AvailabilityZone}]`, 400);
      }
      const tags = tagsFor(input.TagSpecifications, 'vpn-gateway');
      dryRun(input);
      const v: VgwRec = { id: newId('vgw'), type, asn, az: input.AvailabilityZone, attachments: [], createdAt: now(), tags };
      st.vgws.put(scope, v.id, v);
      return { VpnGateway: renderVgw(v, now()) };
    },

    AttachVpnGateway(input: T.AttachVpnGatewayRequest, ctx: RequestContext): T.AttachVpnGatewayResult {
      const scope = st.scope(ctx);
      const v = vgw(scope, input.VpnGatewayId);
      const vpc = st.vpc(scope, input.VpcId);
      const current = v.attachments.find((a) => vgwAttachState(a, now()) !== 'detached');
      if (current) {
        if (current.vpcId === vpc.id) throw new AwsError('VpnGatewayAttachmentLimitExceeded', `The VPN gateway ${v.id} is already attached to ${vpc.id}.`, 400);
        throw new AwsError('VpnGatewayAttachmentLimitExceeded', `The VPN gateway ${v.id} is already attached to another VPC.`, 400);
      }
      const other = [...st.vgws.values(scope)].find((g) => g.id !== v.id && g.deletedAt === undefined && g.attachments.some((a) => a.vpcId === vpc.id && vgwAttachState(a, now()) !== 'detached'));
      if (other) throw new AwsError('VpnGatewayAttachmentLimitExceeded', `The VPC ${vpc.id} already has a VPN gateway attached.`, 400);
      dryRun(input);
      v.attachments = [{ vpcId: vpc.id, since: now() }];
      st.vgws.put(scope, v.id, v);
      return { VpcAttachment: { VpcId: vpc.id, State: 'attaching' } };
    },

    DetachVpnGateway(input: T.DetachVpnGatewayRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const v = vgw(scope, input.VpnGatewayId);
      const a = v.attachments.find((x) => x.vpcId === input.VpcId && x.detachedAt === undefined);
      if (!a) {
        throw new AwsError('InvalidVpnGatewayAttachment.NotFound', `The attachment with vpn gateway ID '${v.id}' and vpc ID '${input.VpcId}' does not exist`, 400);
      }
      dryRun(input);
      a.detachedAt = now();
      st.vgws.put(scope, v.id, v);
    },

    DeleteVpnGateway(input: T.DeleteVpnGatewayRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const v = vgw(scope, input.VpnGatewayId);
      if (v.attachments.some((a) => vgwAttachState(a, now()) !== 'detached')) {
        throw new AwsError('IncorrectState', `The VPN gateway ${v.id} is attached to a VPC; detach it first.`, 400);
      }
      const user = [...st.vpns.values(scope)].find((x) => x.vgwId === v.id && vpnState(x, now()) !== 'deleted');
      if (user) throw new AwsError('IncorrectState', `The VPN gateway ${v.id} is in use by ${user.id}.`, 400);
      dryRun(input);
      v.deletedAt = now();
      st.vgws.put(scope, v.id, v);
    },

    DescribeVpnGateways(input: T.DescribeVpnGatewaysRequest, ctx: RequestContext): T.DescribeVpnGatewaysResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...st.vgws.values(scope)].filter((v) => v.deletedAt === undefined || now() < v.deletedAt + CGW_VISIBLE_AFTER_DELETE_MS);
      if (input.VpnGatewayIds?.length) {
        const missing = input.VpnGatewayIds.find((id) => !all.some((v) => v.id === id));
        if (missing) throw vgwNotFound(missing);
        all = all.filter((v) => input.VpnGatewayIds!.includes(v.id));
      }
      const filters: FilterFields<T.VpnGateway> = {
        'amazon-side-asn': (v) => String(v.AmazonSideAsn), 'attachment.state': (v) => v.VpcAttachments?.map((a) => a.State!), 'attachment.vpc-id': (v) => v.VpcAttachments?.map((a) => a.VpcId!),
        'availability-zone': (v) => v.AvailabilityZone, state: (v) => v.State, type: (v) => v.Type, 'vpn-gateway-id': (v) => v.VpnGatewayId,
      };
      // Detached attachments leave the list a while after detaching.
      const out = all.map((v) => renderVgw({ ...v, attachments: v.attachments.filter((a) => a.detachedAt === undefined || now() < a.detachedAt + VGW_ATTACH_MS + 3_600_000) }, now()));
      return { VpnGateways: applyFilters(out, input.Filters, filters, (v) => v.Tags) };
    },

    // ---- VPN connections
    CreateVpnConnection(input: T.CreateVpnConnectionRequest, ctx: RequestContext): T.CreateVpnConnectionResult {
      const scope = st.scope(ctx);
      const type = ipsecType(input.Type);
      const c = cgw(scope, input.CustomerGatewayId);
      if (!input.VpnGatewayId === !input.TransitGatewayId) {
        throw new AwsError('InvalidParameterCombination', 'Exactly one of VpnGatewayId or TransitGatewayId must be specified.', 400);
      }
      const g = input.VpnGatewayId ? vgw(scope, input.VpnGatewayId) : undefined;
      const tgw = input.TransitGatewayId ? st.tgws.get(scope, input.TransitGatewayId) : undefined;
      if (input.TransitGatewayId && (!tgw || tgwState(tgw, now()) === 'deleted')) throw tgwNotFound(input.TransitGatewayId);
      if (tgw && tgwState(tgw, now()) !== 'available') throw new AwsError('IncorrectState', `Transit Gateway ${tgw.id} is in invalid state`, 400);
      const o = input.Options ?? {};
      const cidrOpt = (v: string | undefined) => {
        if (v === undefined) return '0.0.0.0/0';
        const p = parseCidr4(v);
        if (!p) throw new AwsError('InvalidParameterValue', `Invalid CIDR block ${v}`, 400);
        return formatCidr4(p);
      };
      const tags = tagsFor(input.TagSpecifications, 'vpn-connection');
      const tun = tunnels(o.TunnelOptions);
      dryRun(input);
      const v: VpnRec = {
        id: newId('vpn'), cgwId: c.id, vgwId: g?.id, tgwId: tgw?.id, type, staticRoutesOnly: o.StaticRoutesOnly ?? false, routes: [], tunnels: tun,
        localCidr: cidrOpt(o.LocalIpv4NetworkCidr), remoteCidr: cidrOpt(o.RemoteIpv4NetworkCidr), createdAt: now(), tags,
      };
      if (tgw) {
        // A VPN to a transit gateway is one of its attachments (resource type vpn).
        const a: TgwAttachRec = {
          id: newId('tgw-attach'), tgwId: tgw.id, resourceType: 'vpn', resourceId: v.id, subnetIds: [],
          options: { dns: 'disable', ipv6: 'disable', applianceMode: 'disable', sgReferencing: 'disable' }, createdAt: now(), tags: [],
        };
        if (tgw.options.defaultAssoc === 'enable' && tgw.assocRtbId) a.rtbId = tgw.assocRtbId;
        st.tgwAttachments.put(scope, a.id, a);
        if (tgw.options.defaultProp === 'enable' && tgw.propRtbId) {
          const r = st.tgwRtbs.get(scope, tgw.propRtbId);
          if (r) st.tgwRtbs.put(scope, r.id, { ...r, propagations: [...r.propagations, a.id] });
        }
        v.tgwAttachmentId = a.id;
      }
      st.vpns.put(scope, v.id, v);
      return { VpnConnection: renderVpn(scope, v) };
    },

    DeleteVpnConnection(input: T.DeleteVpnConnectionRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const v = vpn(scope, input.VpnConnectionId);
      dryRun(input);
      if (v.deletedAt !== undefined) return;
      v.deletedAt = now();
      st.vpns.put(scope, v.id, v);
      const a = v.tgwAttachmentId ? st.tgwAttachments.get(scope, v.tgwAttachmentId) : undefined;
      if (a && a.deletedAt === undefined) {
        delete a.rtbId;
        a.deletedAt = now();
        st.tgwAttachments.put(scope, a.id, a);
        for (const r of st.tgwRtbs.values(scope)) {
          if (r.propagations.includes(a.id)) st.tgwRtbs.put(scope, r.id, { ...r, propagations: r.propagations.filter((x) => x !== a.id) });
        }
      }
    },

    DescribeVpnConnections(input: T.DescribeVpnConnectionsRequest, ctx: RequestContext): T.DescribeVpnConnectionsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...st.vpns.values(scope)].filter((v) => v.deletedAt === undefined || now() < v.deletedAt + VPN_DELETING_MS + VPN_VISIBLE_AFTER_DELETE_MS);
      if (input.VpnConnectionIds?.length) {
        const missing = input.VpnConnectionIds.find((id) => !all.some((v) => v.id === id));
        if (missing) throw vpnNotFound(missing);
        all = all.filter((v) => input.VpnConnectionIds!.includes(v.id));
      }
      const filters: FilterFields<T.VpnConnection> = {
        'customer-gateway-configuration': (v) => v.CustomerGatewayConfiguration, 'customer-gateway-id': (v) => v.CustomerGatewayId, state: (v) => v.State,
        'option.static-routes-only': (v) => String(v.Options?.StaticRoutesOnly), 'route.destination-cidr-block': (v) => v.Routes?.map((r) => r.DestinationCidrBlock!),
        'bgp-asn': (v) => st.cgws.get(scope, v.CustomerGatewayId!)?.asn, type: (v) => v.Type, 'vpn-connection-id': (v) => v.VpnConnectionId,
        'vpn-gateway-id': (v) => v.VpnGatewayId, 'transit-gateway-id': (v) => v.TransitGatewayId,
      };
      return { VpnConnections: applyFilters(all.map((v) => renderVpn(scope, v)), input.Filters, filters, (v) => v.Tags) };
    },

    CreateVpnConnectionRoute(input: T.CreateVpnConnectionRouteRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const v = vpn(scope, input.VpnConnectionId);
      const c = parseCidr4(input.DestinationCidrBlock);
      if (!c) throw new AwsError('InvalidParameterValue', `Value (${input.DestinationCidrBlock}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`, 400);
      if (!v.staticRoutesOnly) throw new AwsError('InvalidVpnConnection.InvalidType', `The VPN connection ${v.id} is not configured for static routing.`, 400);
      if (v.tgwId) throw new AwsError('InvalidParameterValue', `Static routes of a VPN connection to a transit gateway are transit gateway routes (CreateTransitGatewayRoute).`, 400);
      const cidr = formatCidr4(c);
      if (v.routes.some((r) => r.cidr === cidr && r.deletedAt === undefined)) throw new AwsError('RouteAlreadyExists', `The route identified by ${cidr} already exists.`, 400);
      v.routes = [...v.routes.filter((r) => r.cidr !== cidr), { cidr }];
      st.vpns.put(scope, v.id, v);
    },

    DeleteVpnConnectionRoute(input: T.DeleteVpnConnectionRouteRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const v = vpn(scope, input.VpnConnectionId);
      const c = parseCidr4(input.DestinationCidrBlock);
      const cidr = c ? formatCidr4(c) : input.DestinationCidrBlock;
      if (!v.routes.some((r) => r.cidr === cidr && r.deletedAt === undefined)) throw new AwsError('InvalidRoute.NotFound', `The route identified by ${cidr} does not exist.`, 400);
      v.routes = v.routes.filter((r) => r.cidr !== cidr);
      st.vpns.put(scope, v.id, v);
    },

    // ---- route propagation
    EnableVgwRoutePropagation(input: T.EnableVgwRoutePropagationRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const r = st.rtb(scope, input.RouteTableId);
      const v = vgw(scope, input.GatewayId);
      if (!v.attachments.some((a) => a.vpcId === r.vpcId && vgwAttachState(a, now()) === 'attached')) {
        throw new AwsError('Gateway.NotAttached', `resource ${v.id} is not attached to network ${r.vpcId}`, 400);
      }
      dryRun(input);
      r.propagatingVgws = [...new Set([...(r.propagatingVgws ?? []), v.id])];
      st.rtbs.put(scope, r.id, r);
    },

    DisableVgwRoutePropagation(input: T.DisableVgwRoutePropagationRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const r = st.rtb(scope, input.RouteTableId);
      if (!(r.propagatingVgws ?? []).includes(input.GatewayId)) {
        throw new AwsError('InvalidParameterValue', `Route propagation from ${input.GatewayId} is not enabled on route table ${r.id}.`, 400);
      }
      dryRun(input);
      r.propagatingVgws = r.propagatingVgws!.filter((x) => x !== input.GatewayId);
      st.rtbs.put(scope, r.id, r);
    },
  };
}
