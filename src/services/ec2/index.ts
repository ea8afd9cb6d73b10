/**
 * EC2 (ec2Query protocol). So far the read-only region catalogue: DescribeRegions and
 * DescribeAvailabilityZones. Operations are grouped by resource under operations/.
 */
import { defineService } from '../service.js';
import type { EC2Handlers } from './generated/types.js';
import { regionOperations } from './operations/regions.js';

export default defineService({
  id: 'ec2',
  create() {
    const handlers: EC2Handlers = {
      ...regionOperations,
    };
    return { handlers: handlers as never };
  },
});
