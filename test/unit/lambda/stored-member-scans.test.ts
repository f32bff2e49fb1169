import { describe, expect, it } from 'vitest';
import type { IdleScanResult } from '../../../src/app/idle-scanner.js';
import { StoredMemberScans } from '../../../src/app/stored-member-scans.js';
import { moneyFromNumber } from '../../../src/core/money.js';
import type { PerUseReport, Recommendation } from '../../../src/core/report.js';
import { loadPolicies } from '../../../src/policy/load-policies.js';
import {
  decodeScanResult,
  encodeScanResult,
  type MemberScanRecord,
} from '../../../src/state/member-scan-store.js';
import { policyDir } from '../policy/policy-dir.js';

function recommendation(poc: string, account: string): Recommendation {
  return {
    id: `${poc}-${account}`,
    poc,
    reason: 'idle',
    resources: [
      {
        arn: `arn:aws:lambda:us-east-1:${account}:function:${poc}`,
        type: 'lambda:function',
        region: 'us-east-1',
        account,
        window: { start: '2026-10-20', end: '2026-11-19', days: 30 },
        evidence: '0 invocations in 30 days',
        monthlyCost: moneyFromNumber(1.5),
        costSource: 'price-table',
        holdsData: false,
      },
    ],
    estimatedMonthlySavings: moneyFromNumber(1.5),
  } as Recommendation;
}

function perUse(usage: number): PerUseReport {
  return {
    signal: 'AWS/Lambda Invocations (FunctionName=api)',
    windowDays: 30,
    cost: 0n,
    usage,
    per: 1000,
    max: moneyFromNumber(0.5),
    breached: false,
  };
}

function scanned(account: string, result: Partial<IdleScanResult>): MemberScanRecord {
  const full: IdleScanResult = {
    recommendations: [],
    perUse: new Map(),
    alerts: [],
    warnings: [],
    taggedResourceCount: 0,
    ...result,
  };
  // Through the stored form, as the run reads it.
  return {
    account,
    status: 'scanned',
    result: decodeScanResult(encodeScanResult(full)),
    scannedAt: '2026-11-19T07:00:00Z',
  };
}

describe('StoredMemberScans', () => {
  it('merges member accounts, names the ones not scanned, and prices use with the run’s costs', async () => {
    const dir = await policyDir({
      'api.yaml':
        'poc: api\nowners: [a@example.com]\nbudget:\n  monthly: 100\n  perUse:\n    signal: { resource: api }\n    per: 1000\n    max: 0.5\n',
    });
    const { policySet } = await loadPolicies(dir);
    if (!policySet) throw new Error('policies did not load');
    const records: MemberScanRecord[] = [
      scanned('111122223333', {
        recommendations: [recommendation('api', '111122223333')],
        perUse: new Map([['api', perUse(1000)]]),
        taggedResourceCount: 3,
      }),
      scanned('444455556666', {
        perUse: new Map([['api', perUse(1000)]]),
        taggedResourceCount: 2,
        warnings: [
          { code: 'per-use-signal', message: 'api: pay-per-use budget not measured: no resource api' },
        ],
      }),
      { account: '777788889999', status: 'failed', error: 'cannot assume the member role', scannedAt: '' },
    ];
    const scanner = new StoredMemberScans({
      store: { list: async () => records },
      runId: 'run-1',
      accounts: ['111122223333', '444455556666', '777788889999', '000011112222'],
    });
    const rows = ['2026-11-17', '2026-11-18'].map((date) => ({
      date,
      poc: 'api',
      service: 'AWS Lambda',
      account: '111122223333',
      cost: moneyFromNumber(1.5),
    }));
    const result = await scanner.scan({
      policySet,
      asOf: '2026-11-19',
      dataset: { rows, warnings: [], apiCalls: {} } as never,
      expiredPocs: [],
    });

    expect(result.recommendations.map((r) => r.id)).toEqual(['api-111122223333']);
    expect(result.recommendations[0]?.estimatedMonthlySavings).toBe(moneyFromNumber(1.5));
    expect(result.taggedResourceCount).toBe(5);
    // 2,000 uses over both accounts for $3.00: $1.50 per 1,000, above the $0.50 maximum.
    expect(result.perUse.get('api')).toMatchObject({ usage: 2000, cost: moneyFromNumber(3), breached: true });
    expect(result.alerts.map((alert) => alert.kind)).toEqual(['per-use']);
    expect(result.warnings.map((warning) => warning.message)).toEqual([
      'account 777788889999 was not scanned: cannot assume the member role',
      "account 000011112222 was not scanned: its scan did not finish (see the state machine's execution)",
    ]);
    expect(result.warnings.every((warning) => warning.partial)).toBe(true);
  });
});
