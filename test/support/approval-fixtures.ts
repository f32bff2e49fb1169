/** A recorded recommendation, signing keys and links, shared by the approval endpoint's tests. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApprovalLinkSet, signApprovalLinks } from '../../src/approval/approval-links.js';
import type { Keyring } from '../../src/approval/keyring.js';
import { recommendationResourceSetHash } from '../../src/approval/resource-set-hash.js';
import { parseMoney, sumMoney } from '../../src/core/money.js';
import type { Recommendation, RecommendedResource } from '../../src/core/report.js';
import { LocalStateStore } from '../../src/state/local-state-store.js';

export const APPROVAL_RING: Keyring = {
  current: { id: '2026-11', secret: Buffer.alloc(32, 0x5a) },
  previous: [{ id: '2026-08', secret: Buffer.alloc(32, 0x3c) }],
};

/** The keyring as POCKETWATCH_APPROVAL_KEYS holds it. */
export const APPROVAL_KEYS_JSON = JSON.stringify({
  current: { id: APPROVAL_RING.current.id, secret: APPROVAL_RING.current.secret.toString('base64') },
  previous: APPROVAL_RING.previous.map((key) => ({ id: key.id, secret: key.secret.toString('base64') })),
});

/** When the recommendation was proposed and the links were signed. */
export const PROPOSED_AT = new Date('2026-11-19T06:00:00Z');

const WINDOW = { start: '2026-10-20', end: '2026-11-19', days: 30 };

function resource(
  arn: string,
  type: string,
  cost: string,
  evidence: string,
  extra: Partial<RecommendedResource> = {},
): RecommendedResource {
  return {
    arn,
    type,
    region: 'us-east-1',
    account: '111122223333',
    window: WINDOW,
    evidence,
    monthlyCost: parseMoney(cost),
    costSource: 'billing-export',
    holdsData: false,
    ...extra,
  };
}

export function sampleRecommendation(overrides: Partial<Recommendation> = {}): Recommendation {
  const resources = overrides.resources ?? [
    resource(
      'arn:aws:ec2:us-east-1:111122223333:natgateway/nat-07a9f3e2c4d1b8a60',
      'ec2:natgateway',
      '32.85',
      '0 bytes processed in 30 days (AWS/NATGateway BytesOutToDestination, Sum)',
      { idleSince: '2026-10-02' },
    ),
    resource(
      'arn:aws:ec2:us-east-1:111122223333:volume/vol-0c1d2e3f4a5b6c7d8',
      'ec2:volume',
      '8.00',
      'unattached (state available) for 30 days',
      { holdsData: true, idleSince: '2026-09-28' },
    ),
    resource(
      'arn:aws:s3:::chatbot-poc-transcripts',
      's3:bucket',
      '1.234567890123456789',
      'no requests in 30 days (AWS/S3 AllRequests, Sum)',
      { holdsData: true, costSource: 'cost-explorer-resource' },
    ),
  ];
  return {
    id: 'rec-0f3a9c2b7d1e',
    poc: 'chatbot-poc',
    reason: 'idle',
    resources,
    estimatedMonthlySavings: sumMoney(resources.map((r) => r.monthlyCost)),
    ...overrides,
  };
}

/** A fresh state file with the recommendation proposed at PROPOSED_AT. */
export async function recordedState(
  recommendation: Recommendation = sampleRecommendation(),
  now: () => Date = () => PROPOSED_AT,
): Promise<{ path: string; store: LocalStateStore }> {
  const path = join(await mkdtemp(join(tmpdir(), 'pocketwatch-approval-')), 'state.json');
  const store = new LocalStateStore(path, { now });
  await store.recordProposals([recommendation], PROPOSED_AT);
  return { path, store };
}

/** The three links of one message for the recommendation, signed at `now`. */
export function messageLinks(
  recommendation: Recommendation,
  baseUrl: string,
  now: Date = PROPOSED_AT,
  keyring: Keyring = APPROVAL_RING,
): ApprovalLinkSet {
  return signApprovalLinks(
    { id: recommendation.id, resourceSetHash: recommendationResourceSetHash(recommendation) },
    { baseUrl, keyring, now },
  );
}

/** The token of a link. */
export function tokenOf(link: string): string {
  return new URL(link).searchParams.get('token') ?? '';
}
