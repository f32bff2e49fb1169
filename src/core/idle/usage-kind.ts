/**
 * What drives a billing line: the passing of time (a resource that exists), use (bytes, requests,
 * LCUs), or time that AWS itself bills as idle (an unassociated public IPv4 address).
 *
 * Tuned for the resources whose bill shows idleness (NAT gateways, load balancers, Kinesis streams,
 * public IPv4 addresses); elsewhere the split is only indicative. Anything not recognised counts as
 * use, so an unknown charge can only make a resource look busier, never idle.
 */
export type UsageKind = 'time' | 'usage' | 'idle-time';

/** IdleAddress: PublicIPv4:IdleAddress (since 2024-02) and the older ElasticIP:IdleAddress. */
const IDLE_TIME = /IdleAddress/i;
/** Checked before the time markers: LCUUsage is billed in "LCU-Hrs" but measures traffic. */
const USE = /LCU|Bytes|DataTransfer|DataProcessing|Request|Payload|Invocation|Token|GB-Second/i;
/** NatGateway-Hours, LoadBalancerUsage, ShardHour, BoxUsage, InstanceUsage, Host:ml.*, TimedStorage, InUseAddress. */
const TIME = /Hour|Hrs|LoadBalancerUsage|BoxUsage|InstanceUsage|Host:|TimedStorage|InUseAddress/i;
/** ConsumedUnit values of time-based charges, when the usage type says nothing either way. */
const TIME_UNIT = /^(Hrs|Hours?|GB-Mo|GB-Month)$/i;

export function usageKind(usageType: string, unit: string): UsageKind {
  if (IDLE_TIME.test(usageType)) return 'idle-time';
  if (USE.test(usageType)) return 'usage';
  if (TIME.test(usageType)) return 'time';
  if (TIME_UNIT.test(unit.trim())) return 'time';
  return 'usage';
}
