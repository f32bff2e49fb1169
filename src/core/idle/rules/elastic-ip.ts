import { HOURLY_PRICES } from '../price-table.js';
import { stateRule } from '../rule-kit.js';

/** An Elastic IP associated with nothing: every public IPv4 address bills $0.005 an hour since 2024-02. */
export const elasticIp = stateRule({
  type: 'ec2:elastic-ip',
  label: 'Elastic IP address',
  signal: 'association: DescribeAddresses AssociationId (none = attached to nothing)',
  threshold: 0,
  windowDays: 7,
  rationale:
    'Any address without an association (anchors: any); the minimum age of 7 days applies only when the caller knows when the address was allocated.',
  holdsData: false,
  iamActions: ['ec2:DescribeAddresses'],
  hourlyPrice: () => HOURLY_PRICES.publicIpv4,
  // The bill names it: PublicIPv4:IdleAddress hours are charged only for unassociated addresses.
  billing: { kind: 'idle-time', maxUsageCost: '0' },
  check: (state) => {
    if (state.associated === undefined) return undefined;
    return state.associated
      ? { idle: false, evidence: 'associated (has an AssociationId)' }
      : { idle: true, evidence: 'associated with nothing (no AssociationId)' };
  },
});
