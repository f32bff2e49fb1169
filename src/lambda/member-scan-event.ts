import { type IsoDate, isIsoDate } from '../core/calendar.js';
import { InvalidEventError } from './governance-event.js';

/** What the organisation state machine sends for one member account. */
export interface MemberScanEvent {
  account: string;
  /** The state machine execution's name: every account of one run stores its scan under it. */
  runId: string;
  /** The run's day (UTC), the same for every account however long the fan-out takes. */
  asOf: IsoDate;
}

/** A member scan's response: small, since Step Functions keeps every iteration's output. */
export interface MemberScanSummary {
  account: string;
  status: 'scanned' | 'failed';
  recommendations: number;
  taggedResources: number;
}

export function parseMemberScanEvent(event: unknown): MemberScanEvent {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidEventError('expected {"account":"…","runId":"…","asOf":"YYYY-MM-DD"}');
  }
  const { account, runId, asOf } = event as Record<string, unknown>;
  if (typeof account !== 'string' || !/^\d{12}$/.test(account)) {
    throw new InvalidEventError('"account" must be a 12-digit account id');
  }
  if (typeof runId !== 'string' || !/^[\w.:-]{1,128}$/.test(runId)) {
    throw new InvalidEventError('"runId" must be 1-128 letters, digits and . : _ -');
  }
  if (typeof asOf !== 'string' || !isIsoDate(asOf)) throw new InvalidEventError('"asOf" must be YYYY-MM-DD');
  return { account, runId, asOf };
}
