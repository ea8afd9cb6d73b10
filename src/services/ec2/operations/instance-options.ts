/**
 * Instance options that are not lifecycle: ModifyInstanceMetadataOptions (pending → applied with
 * the instance's next view) and DescribeInstanceTypeOfferings per region, zone or zone id
 * (domain/offerings.ts).
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { offerings, type Offering } from '../domain/offerings.js';
import type { Ec2State } from '../state.js';
import { checkInstanceIds } from './instances.js';
import { checkMetadataOptions } from './launch-plan.js';

const OFFERING_FILTERS: FilterFields<Offering> = {
  location: (o) => o.Location,
  'instance-type': (o) => o.InstanceType,
};

export function instanceOptionOperations(st: Ec2State) {
  return {
    ModifyInstanceMetadataOptions(input: T.ModifyInstanceMetadataOptionsRequest, ctx: RequestContext): T.ModifyInstanceMetadataOptionsResult {
      const scope = st.scope(ctx);
      checkInstanceIds([input.InstanceId]);
      const i = st.instance(scope, input.InstanceId);
      const state = st.instanceState(i);
      if (state === 'terminated' || state === 'shutting-down') {
        throw new AwsError('IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be modified.`, 400);
      }
      checkMetadataOptions(input);
      dryRun(input);
      if (input.HttpTokens !== undefined) i.httpTokens = input.HttpTokens;
      if (input.HttpPutResponseHopLimit !== undefined && input.HttpPutResponseHopLimit !== -1) i.hopLimit = input.HttpPutResponseHopLimit;
      if (input.HttpEndpoint !== undefined) i.httpEndpoint = input.HttpEndpoint;
      if (input.HttpProtocolIpv6 !== undefined) i.httpProtocolIpv6 = input.HttpProtocolIpv6;
      if (input.InstanceMetadataTags !== undefined) i.metadataTags = input.InstanceMetadataTags;
      st.instances.put(scope, i.id, i);
      return {
        InstanceId: i.id,
        InstanceMetadataOptions: {
          State: 'pending', HttpTokens: i.httpTokens, HttpPutResponseHopLimit: i.hopLimit, HttpEndpoint: i.httpEndpoint,
          HttpProtocolIpv6: i.httpProtocolIpv6 ?? 'disabled', InstanceMetadataTags: i.metadataTags ?? 'disabled',
        },
      };
    },

    DescribeInstanceTypeOfferings(input: T.DescribeInstanceTypeOfferingsRequest, ctx: RequestContext): T.DescribeInstanceTypeOfferingsResult {
      const scope = st.scope(ctx);
      const type = input.LocationType ?? 'region';
      if (!['region', 'availability-zone', 'availability-zone-id', 'outpost'].includes(type)) {
        throw new AwsError('InvalidParameterValue', `Value (${type}) for parameter locationType is invalid. Valid values are: region | availability-zone | availability-zone-id | outpost`, 400);
      }
      dryRun(input);
      const all = type === 'outpost' ? [] : offerings(scope.region, type);
      const { page, NextToken } = paginate(applyFilters(all, input.Filters, OFFERING_FILTERS), { MaxResults: input.MaxResults ?? 1000, NextToken: input.NextToken }, 5, 1000);
      return { InstanceTypeOfferings: page, NextToken };
    },
  };
}
