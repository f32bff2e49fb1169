import { stateRule } from '../rule-kit.js';

/**
 * A volume attached to nothing (DescribeVolumes State=available): paid per GB-month, used by no one.
 * A state says nothing about how long it has held, so `windowDays` is a minimum age instead: a
 * volume created in the last 7 days may be waiting for its instance.
 */
export const ebsVolume = stateRule({
  type: 'ec2:volume',
  label: 'EBS volume',
  signal: 'attachment: DescribeVolumes State (available = attached to nothing)',
  threshold: 0,
  windowDays: 7,
  rationale:
    'Any unattached volume (anchors: any), once it is at least 7 days old, so volumes created for an instance still launching are left alone.',
  holdsData: true,
  iamActions: ['ec2:DescribeVolumes'],
  check: (state) => {
    if (state.volumeState === undefined) return undefined;
    return state.volumeState === 'available'
      ? { idle: true, evidence: 'attached to nothing (State=available)' }
      : { idle: false, evidence: `State=${state.volumeState}` };
  },
});
