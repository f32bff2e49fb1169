import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { AwsCallError } from '../../../src/aws/aws-errors.js';
import {
  type AlertPublisher,
  type DeliverAlertsInput,
  deliverAlerts,
  isTransientError,
} from '../../../src/delivery/deliver-alerts.js';
import { LocalStateStore } from '../../../src/state/local-state-store.js';
import type { DeliveryStateStore } from '../../../src/state/state-store.js';
import { fixtureReport } from '../report/fixture-report.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:pocketwatch-alerts';
const NOW = new Date('2026-11-19T07:00:00Z');

/** Records every publish; `failWith(input, attempt)` may throw instead. */
class FakePublisher implements AlertPublisher {
  readonly published: PublishCommandInput[] = [];
  attempts = 0;
  constructor(private readonly failWith?: (input: PublishCommandInput, attempt: number) => unknown) {}

  async publish(input: PublishCommandInput): Promise<string> {
    this.attempts++;
    const failure = this.failWith?.(input, this.attempts);
    if (failure) throw failure;
    this.published.push(input);
    return `message-${this.published.length}`;
  }

  /** The alert or recommendation id of each published message. */
  ids(): string[] {
    return this.published.map((input) => {
      const structured = JSON.parse(input.Message ?? '{}') as { sqs: string };
      return (JSON.parse(structured.sqs) as { id: string }).id;
    });
  }
}

async function statePath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'pocketwatch-deliver-')), 'state.json');
}

const noSleep = async () => {};

function input(overrides: Partial<DeliverAlertsInput> & Pick<DeliverAlertsInput, 'state' | 'publisher'>) {
  return { report: fixtureReport(), topicArn: TOPIC, runId: 'run-1', now: NOW, sleep: noSleep, ...overrides };
}

const report = fixtureReport();
const NEW_ALERTS = report.alerts.filter((alert) => alert.new).map((alert) => alert.id);
const RECOMMENDATIONS = report.recommendations.map((r) => `recommendation:${r.id}`);

describe('deliverAlerts', () => {
  it('sends each new alert and each recommendation once, and nothing on a second run', async () => {
    const state = new LocalStateStore(await statePath());
    const publisher = new FakePublisher();
    const first = await deliverAlerts(input({ state, publisher }));
    expect(first.sent).toEqual([...NEW_ALERTS, ...RECOMMENDATIONS]);
    expect(first.failed).toEqual([]);
    expect(publisher.ids()).toEqual([...NEW_ALERTS, ...RECOMMENDATIONS]);
    expect(await state.deliveredAlertIds(NEW_ALERTS)).toEqual(new Set(NEW_ALERTS));

    // Same day, new run: the report still says the alerts are new (it was built before delivery).
    const again = await deliverAlerts(input({ state, publisher, runId: 'run-2' }));
    expect(again).toEqual({ sent: [], failed: [], skipped: NEW_ALERTS });
    expect(publisher.published).toHaveLength(first.sent.length);
  });

  it('leaves alerts already delivered alone without claiming them', async () => {
    const state = new LocalStateStore(await statePath());
    const publisher = new FakePublisher();
    const result = await deliverAlerts(input({ state, publisher }));
    expect(result.sent).not.toContain('chatbot-poc:expired:2026-10-31');
  });

  it('retries a throttled publish and then sends it', async () => {
    const state = new LocalStateStore(await statePath());
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'Throttling',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    const waits: number[] = [];
    const publisher = new FakePublisher((_input, attempt) => (attempt <= 2 ? throttled : undefined));
    const result = await deliverAlerts(input({ state, publisher, sleep: async (ms) => void waits.push(ms) }));
    expect(result.failed).toEqual([]);
    expect(result.sent).toHaveLength(NEW_ALERTS.length + RECOMMENDATIONS.length);
    expect(waits).toEqual([1000, 2000]);
  });

  it('returns a failed publish in `failed`, releases its claim, and the next run sends it', async () => {
    const state = new LocalStateStore(await statePath());
    const broken = NEW_ALERTS[0] as string;
    const denied = new AwsCallError('missing IAM permission sns:Publish (AuthorizationError: ...)', {
      operation: 'sns:Publish',
      code: 'AuthorizationError',
    });
    const publisher = new FakePublisher((published) =>
      (published.Message ?? '').includes(JSON.stringify(broken).slice(1, -1)) ? denied : undefined,
    );
    const result = await deliverAlerts(input({ state, publisher }));
    expect(result.failed).toEqual([{ id: broken, error: denied.message }]);
    expect(result.sent).not.toContain(broken);
    expect(publisher.attempts).toBe(result.sent.length + 1); // not retried: not transient
    expect(await state.deliveredAlertIds([broken])).toEqual(new Set());
    expect(await state.claimDelivery(broken, { owner: 'probe', leaseMs: 1, now: NOW })).toBe(true);
    await state.releaseClaim(broken, 'probe');

    const fixed = new FakePublisher();
    const next = await deliverAlerts(input({ state, publisher: fixed, runId: 'run-2' }));
    expect(next.sent).toEqual([broken]);
  });

  it('gives up on a transient failure after its attempts, leaving it for the next run', async () => {
    const state = new LocalStateStore(await statePath());
    const down = Object.assign(new Error('Service Unavailable'), { $metadata: { httpStatusCode: 503 } });
    const publisher = new FakePublisher(() => down);
    const result = await deliverAlerts(input({ state, publisher, maxAttempts: 2 }));
    expect(result.sent).toEqual([]);
    expect(result.failed.map((failure) => failure.id)).toEqual([...NEW_ALERTS, ...RECOMMENDATIONS]);
    expect(publisher.attempts).toBe(2 * result.failed.length);
  });

  it('skips what another live run has claimed', async () => {
    const state = new LocalStateStore(await statePath());
    const other = NEW_ALERTS[1] as string;
    await state.claimDelivery(other, { owner: 'other-run', leaseMs: 60_000, now: NOW });
    const publisher = new FakePublisher();
    const result = await deliverAlerts(input({ state, publisher }));
    expect(result.skipped).toEqual([other]);
    expect(publisher.ids()).not.toContain(other);
  });

  it('sends nothing twice when two runs deliver at the same time', async () => {
    const path = await statePath();
    const publisher = new FakePublisher();
    const [a, b] = await Promise.all([
      deliverAlerts(input({ state: new LocalStateStore(path), publisher, runId: 'run-a' })),
      deliverAlerts(input({ state: new LocalStateStore(path), publisher, runId: 'run-b' })),
    ]);
    const ids = publisher.ids();
    expect(new Set(ids).size).toBe(ids.length);
    expect([...a.sent, ...b.sent].sort()).toEqual([...NEW_ALERTS, ...RECOMMENDATIONS].sort());
  });

  it('does not re-send on a Lambda retry that died after publishing, until the lease is over', async () => {
    const path = await statePath();
    const publisher = new FakePublisher();
    // The first attempt published and then timed out before recording the delivery.
    const dying: DeliveryStateStore = Object.assign(Object.create(new LocalStateStore(path)), {
      completeDelivery: async () => {
        throw new Error('Task timed out');
      },
    });
    const first = await deliverAlerts(
      input({ state: dying, publisher, runId: 'request-1', leaseMs: 60_000 }),
    );
    expect(first.sent).toEqual([]);
    expect(first.failed[0]?.error).toMatch(
      /^published \(MessageId message-1\) but the delivery could not be recorded/,
    );
    const sentOnce = publisher.published.length;

    // Lambda retries the same request (same id) a minute later: nothing is sent again.
    const retry = await deliverAlerts(
      input({
        state: new LocalStateStore(path),
        publisher,
        runId: 'request-1',
        now: new Date(NOW.getTime() + 59_000),
      }),
    );
    expect(retry.sent).toEqual([]);
    expect(publisher.published).toHaveLength(sentOnce);
  });

  it('asks for approval links per recommendation', async () => {
    const state = new LocalStateStore(await statePath());
    const publisher = new FakePublisher();
    await deliverAlerts(
      input({
        state,
        publisher,
        approvalLinks: (recommendation) => ({
          approve: `https://pw.example.com/approve/${recommendation.id}`,
          reject: `https://pw.example.com/reject/${recommendation.id}`,
          snooze: `https://pw.example.com/snooze/${recommendation.id}`,
        }),
      }),
    );
    const last = JSON.parse(publisher.published.at(-1)?.Message ?? '{}') as { default: string };
    expect(last.default).toContain(`https://pw.example.com/approve/${report.recommendations[1]?.id}`);
  });

  it('deduplicates on a FIFO topic with an id that is the same in every run', async () => {
    const publisher = new FakePublisher();
    await deliverAlerts(
      input({ state: new LocalStateStore(await statePath()), publisher, topicArn: `${TOPIC}.fifo` }),
    );
    const other = new FakePublisher();
    await deliverAlerts(
      input({ state: new LocalStateStore(await statePath()), publisher: other, topicArn: `${TOPIC}.fifo` }),
    );
    const first = publisher.published[0];
    expect(first?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(first?.MessageGroupId).toBe('checkout-redesign');
    expect(other.published[0]?.MessageDeduplicationId).toBe(first?.MessageDeduplicationId);
  });
});

describe('isTransientError', () => {
  it('knows throttling, server and network errors from permanent ones', () => {
    expect(isTransientError({ name: 'ThrottlingException' })).toBe(true);
    expect(isTransientError({ name: 'X', $retryable: { throttling: true } })).toBe(true);
    expect(isTransientError({ $metadata: { httpStatusCode: 500 } })).toBe(true);
    expect(isTransientError({ $fault: 'server' })).toBe(true);
    expect(isTransientError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientError({ retryable: true })).toBe(true);
    expect(
      isTransientError(new AwsCallError('throttled', { operation: 'sns:Publish', code: 'Throttling' })),
    ).toBe(true);
    expect(isTransientError({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } })).toBe(false);
    expect(isTransientError({ name: 'AuthorizationErrorException', $fault: 'client' })).toBe(false);
    expect(isTransientError(new Error('boom'))).toBe(false);
    expect(isTransientError(undefined)).toBe(false);
    expect(isTransientError('Throttling')).toBe(false);
  });
});
