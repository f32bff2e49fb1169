import { type IsoDate, isIsoDate } from '../core/calendar.js';

/**
 * daily: costs, budgets, the idle scan, alerts, recommendations and the digest.
 * budget-check: costs and budget alerts only, for the extra hours settings ask for.
 */
export type GovernanceRunMode = 'daily' | 'budget-check';

export const GOVERNANCE_RUN_MODES: readonly GovernanceRunMode[] = ['daily', 'budget-check'];

/** What a schedule (or the organisation state machine) sends the governance function. */
export interface GovernanceRunEvent {
  mode: GovernanceRunMode;
  /** Report as of this day instead of today (UTC): for re-running a missed day by hand. */
  asOf?: IsoDate;
  /** An organisation run: the member accounts' scans stored under this id replace the local scan. */
  memberScanRunId?: string;
}

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/** Checks an incoming event; anything else is refused with what was expected. */
export function parseGovernanceRunEvent(event: unknown): GovernanceRunEvent {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidEventError('expected an object such as {"mode":"daily"}');
  }
  const { mode, asOf, memberScanRunId } = event as Record<string, unknown>;
  if (typeof mode !== 'string' || !GOVERNANCE_RUN_MODES.includes(mode as GovernanceRunMode)) {
    throw new InvalidEventError(`"mode" must be one of ${GOVERNANCE_RUN_MODES.join(', ')}`);
  }
  const parsed: GovernanceRunEvent = { mode: mode as GovernanceRunMode };
  if (asOf !== undefined) {
    if (typeof asOf !== 'string' || !isIsoDate(asOf))
      throw new InvalidEventError('"asOf" must be YYYY-MM-DD');
    parsed.asOf = asOf;
  }
  if (memberScanRunId !== undefined) {
    if (typeof memberScanRunId !== 'string' || !/^[\w.:-]{1,128}$/.test(memberScanRunId)) {
      throw new InvalidEventError('"memberScanRunId" must be 1-128 letters, digits and . : _ -');
    }
    if (parsed.mode !== 'daily') throw new InvalidEventError('"memberScanRunId" belongs to a daily run');
    parsed.memberScanRunId = memberScanRunId;
  }
  return parsed;
}
