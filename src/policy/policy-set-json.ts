import { formatMoneyExact, parseMoney } from '../core/money.js';
import type { PolicySet } from './model.js';

/**
 * A validated policy set as JSON, exact: Money (a bigint) is written as `{"$money":"120.5"}` and read
 * back to the same value. The deployment ships its policies this way (validated at synthesis), so the
 * functions need no YAML parser or schema validator at run time.
 */
const FORMAT = 'pocketwatch-policy-set';
const VERSION = 1;

export class PolicySetJsonError extends Error {
  override readonly name = 'PolicySetJsonError';
}

export function encodePolicySet(policySet: PolicySet): string {
  return JSON.stringify({ format: FORMAT, version: VERSION, policySet }, (_key, value: unknown) =>
    typeof value === 'bigint' ? { $money: formatMoneyExact(value) } : value,
  );
}

/** The policy set `encodePolicySet` wrote; `where` names the file in errors. */
export function decodePolicySet(text: string, where: string): PolicySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => {
      if (isMoney(value)) return parseMoney(value.$money);
      return value;
    });
  } catch (error) {
    throw new PolicySetJsonError(`${where} is not a policy set: ${(error as Error).message}`);
  }
  const envelope = parsed as { format?: unknown; version?: unknown; policySet?: PolicySet };
  if (envelope?.format !== FORMAT || envelope.version !== VERSION || typeof envelope.policySet !== 'object') {
    throw new PolicySetJsonError(`${where} is not a version ${VERSION} policy set`);
  }
  const { policySet } = envelope;
  if (!Array.isArray(policySet.policies) || typeof policySet.settings !== 'object') {
    throw new PolicySetJsonError(`${where} has no settings or policies`);
  }
  return policySet;
}

function isMoney(value: unknown): value is { $money: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as { $money?: unknown }).$money === 'string'
  );
}
